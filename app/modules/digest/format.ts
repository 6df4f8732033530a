import { resources } from "~/locales";
import { shanghaiParts } from "~/utils/dates";
import { DEFAULT_LOCALE, type Locale } from "~/utils/i18n";

/**
 * How the weekly digest writes dates: short, in the reader's language, in Asia/Shanghai. Computed
 * from the wall clock's fields (shanghaiParts) rather than with Intl.DateTimeFormat, which took a
 * quarter of a digest's render time (a province's Monday formats some 250,000 dates).
 */
const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const EN_MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const EN_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const ZH_WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

function day(year: number, month: number, date: number, locale: Locale, withYear: boolean): string {
  if (locale === "en") return `${date} ${EN_MONTHS[month - 1]}${withYear ? ` ${year}` : ""}`;
  return `${withYear ? `${year}年` : ""}${month}月${date}日`;
}

/** A calendar date (YYYY-MM-DD): "11月16日" / "16 Nov"; with the year when it is not `currentYear`. */
export function dayLabel(date: string, locale: Locale, currentYear?: number): string {
  const year = Number(date.slice(0, 4));
  return day(year, Number(date.slice(5, 7)), Number(date.slice(8, 10)), locale, currentYear !== undefined && year !== currentYear);
}

/**
 * An instant: "11月11日（周三）19:30" / "Wed 11 Nov, 19:30"; with the year when it is not `currentYear`
 * (a shortlist round may close months ahead, in the next year).
 */
export function whenLabel(instant: string, locale: Locale, currentYear?: number): string {
  const d = shanghaiParts(instant);
  const date = day(d.year, d.month, d.day, locale, currentYear !== undefined && d.year !== currentYear);
  const time = `${pad(d.hours)}:${pad(d.minutes)}`;
  return locale === "en" ? `${EN_WEEKDAYS[d.weekday]} ${date}, ${time}` : `${date}（${ZH_WEEKDAYS[d.weekday]}）${time}`;
}

/** "19:48". */
export function timeLabel(instant: string, _locale: Locale): string {
  const d = shanghaiParts(instant);
  return `${pad(d.hours)}:${pad(d.minutes)}`;
}

/** A month (YYYY-MM): "10月" / "October 2026". */
export function monthLabel(month: string, locale: Locale): string {
  const m = Number(month.slice(5, 7));
  return locale === "en" ? `${EN_MONTHS_LONG[m - 1]} ${month.slice(0, 4)}` : `${m}月`;
}

type Values = Record<string, string | number>;

const messages = new Map<string, string>();

/**
 * The digest's own text lookup: the same resources as `translator`, read straight from the bundle and
 * interpolated with a plain {{name}} substitution. i18next's `t()` resolves the language, namespace
 * and fallbacks on every call, which was a quarter of a digest's render time; the digest makes about
 * fifty calls per email and a province sends 10,000 of them. Only plain interpolation is supported
 * (no plurals, no nesting), which is all the digest's strings use.
 */
export function digestTranslator(locale: Locale): (key: string, values?: Values) => string {
  return (key, values) => {
    const id = `${locale}:${key}`;
    let message = messages.get(id);
    if (message === undefined) {
      message = lookup(resources[locale].translation, key) ?? lookup(resources[DEFAULT_LOCALE].translation, key) ?? key;
      messages.set(id, message);
    }
    return values ? message.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : message;
  };
}

function lookup(tree: unknown, key: string): string | undefined {
  let node = tree;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}
