import { isoWeekday } from "~/modules/classes/recurrence";
import { addDays } from "~/modules/rankings/quarter";
import { shanghaiMidnight, todayInShanghai } from "~/utils/dates";

/**
 * ISO 8601 weeks ("2026-W47": Monday 16 to Sunday 22 November 2026) in Asia/Shanghai, the weeks the
 * weekly digest is named by. Pure date arithmetic on calendar dates, so the server's own time zone
 * never shifts a day. A year has 53 weeks when it starts on a Thursday (or, in a leap year, on a
 * Wednesday): 2026-W53 exists (28 December 2026 to 3 January 2027), 2027-W53 does not.
 */
export interface IsoWeek {
  year: number;
  week: number;
}

const WEEK = /^(\d{4})-?W(\d{2})$/;

/** The week a calendar date (YYYY-MM-DD) falls in: the ISO year is the year of its Thursday. */
export function isoWeekOfDate(date: string): IsoWeek {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000;
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** The week an instant falls in, on the Shanghai calendar. */
export function isoWeekOf(instant: Date): IsoWeek {
  return isoWeekOfDate(todayInShanghai(instant));
}

/** 52 or 53: 28 December is always in the year's last week. */
export function weeksInYear(year: number): number {
  return isoWeekOfDate(`${year}-12-28`).week;
}

/** "2026-W47" (also "2026W47", lower case, surrounding spaces) → the week, or null when no such week exists. */
export function parseIsoWeek(value: unknown): IsoWeek | null {
  if (typeof value !== "string") return null;
  const m = WEEK.exec(value.trim().toUpperCase());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 2000 || year > 2100 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function formatIsoWeek(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, "0")}`;
}

/** The Monday that starts the week, as a calendar date. */
export function weekMonday(w: IsoWeek): string {
  const jan4 = `${w.year}-01-04`;
  const firstMonday = addDays(jan4, 1 - isoWeekday(jan4));
  return addDays(firstMonday, (w.week - 1) * 7);
}

export interface WeekBounds {
  /** Monday and Sunday, calendar dates (both in the week). */
  firstDay: string;
  lastDay: string;
  /** Monday 00:00 +08:00, inclusive, and the next Monday 00:00 +08:00, exclusive. */
  start: Date;
  end: Date;
}

export function weekBounds(w: IsoWeek): WeekBounds {
  const firstDay = weekMonday(w);
  const next = addDays(firstDay, 7);
  return { firstDay, lastDay: addDays(firstDay, 6), start: shanghaiMidnight(firstDay), end: shanghaiMidnight(next) };
}

/** The week `n` weeks after (negative: before) the given one, across year ends. */
export function shiftWeek(w: IsoWeek, n: number): IsoWeek {
  return isoWeekOfDate(addDays(weekMonday(w), n * 7));
}

export function compareWeeks(a: IsoWeek, b: IsoWeek): number {
  return a.year - b.year || a.week - b.week;
}
