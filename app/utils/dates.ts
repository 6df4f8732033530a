/**
 * The one home for time in Asia/Shanghai: calendar dates, wall-clock instants, ISO weeks, and how they
 * are shown. Shanghai keeps UTC+8 all year (no daylight saving since 1991), so its wall clock is the
 * instant moved by eight hours; that offset is written here and nowhere else (a unit test greps the
 * tree). Calendar arithmetic works on YYYY-MM-DD strings through UTC midnights, so the machine's own
 * time zone never shifts a day. Pure: pages, emails, jobs and the tests share it.
 *
 *   shanghaiDateOf(instant) → "2026-11-25"       shanghaiInstant("2026-11-25", "19:30") → Date
 *   shanghaiTimeOf(instant) → "19:30"            parseShanghaiLocal("2026-11-25T19:30") → Date
 *   todayInShanghai()       → "2026-11-25"       yearBounds(2026) → { from, to }
 *   addDays("2026-11-25", 7), isoWeekOf(instant), weekBounds({ year: 2026, week: 47 })
 */
export const TIME_ZONE = "Asia/Shanghai";

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

type Instant = Date | string | number;

/** The instant moved so that its UTC fields read Shanghai's wall clock. */
function wallClock(instant: Instant): Date {
  return new Date(new Date(instant).getTime() + OFFSET_MS);
}

// ——— instants → Shanghai's calendar and clock ———

/** The Shanghai calendar date of an instant, YYYY-MM-DD. */
export function shanghaiDateOf(instant: Instant): string {
  return wallClock(instant).toISOString().slice(0, 10);
}

/** The Shanghai wall-clock time of an instant, HH:mm. */
export function shanghaiTimeOf(instant: Instant): string {
  return wallClock(instant).toISOString().slice(11, 16);
}

/** A value for <input type="datetime-local">, in Shanghai time: YYYY-MM-DDTHH:mm. */
export function shanghaiLocalInput(instant: Instant): string {
  return wallClock(instant).toISOString().slice(0, 16);
}

/** Date and time with seconds, YYYY-MM-DDTHH:mm:ss (iCalendar's floating time, with the zone named beside it). */
export function shanghaiLocalSeconds(instant: Instant): string {
  return wallClock(instant).toISOString().slice(0, 19);
}

/** Shanghai's wall clock as numbers, for formatting many dates fast (weekday: 0 Sunday … 6 Saturday). */
export function shanghaiParts(instant: Instant) {
  const d = wallClock(instant);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** Today's calendar date in Asia/Shanghai as YYYY-MM-DD. */
export function todayInShanghai(now: Instant = new Date()): string {
  return shanghaiDateOf(now);
}

/** The year it is in Shanghai. */
export function shanghaiYear(now: Instant = new Date()): number {
  return wallClock(now).getUTCFullYear();
}

// ——— Shanghai's wall clock → instants ———

/** The instant of a Shanghai wall-clock time (HH:mm or HH:mm:ss) on a calendar date. */
export function shanghaiInstant(date: string, time = "00:00"): Date {
  const [h = 0, m = 0, s = 0] = time.split(":").map(Number);
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((h * 60 + m) * 60 + s) * 1000 - OFFSET_MS);
}

/** The instant a Shanghai calendar date begins. */
export function shanghaiMidnight(date: string): Date {
  return shanghaiInstant(date);
}

/** A datetime-local value ("YYYY-MM-DDTHH:mm", also with a space or seconds) read as Shanghai time. */
export function parseShanghaiLocal(value: string): Date {
  const [date = "", time = "00:00"] = value.trim().split(/[T ]/);
  return shanghaiInstant(date, time);
}

/** A calendar year in Shanghai: from its first instant, to the next year's (exclusive). */
export function yearBounds(year: number): { from: Date; to: Date } {
  return { from: shanghaiMidnight(`${year}-01-01`), to: shanghaiMidnight(`${year + 1}-01-01`) };
}

// ——— calendar dates ———

/** Days since 1970-01-01. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-30, not 0000-01-01). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value < "0001-01-01") return false;
  return dateOfDayNumber(dayNumber(value)) === value;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

// ——— ISO 8601 weeks ———

/**
 * ISO weeks ("2026-W47": Monday 16 to Sunday 22 November 2026), the weeks the weekly digest is named
 * by. A year has 53 weeks when it starts on a Thursday (or, in a leap year, on a Wednesday): 2026-W53
 * exists (28 December 2026 to 3 January 2027), 2027-W53 does not.
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
  return { year, week: Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1 };
}

/** The week an instant falls in, on the Shanghai calendar. */
export function isoWeekOf(instant: Instant): IsoWeek {
  return isoWeekOfDate(shanghaiDateOf(instant));
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
  /** Monday 00:00 in Shanghai, inclusive, and the next Monday 00:00, exclusive. */
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

// ——— showing dates ———

function fmt(locale: string, options: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", { timeZone: TIME_ZONE, ...options });
}

export function formatDateTime(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  const d = typeof value === "string" ? new Date(value) : value;
  return fmt(locale, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

export function formatDate(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  // A bare calendar date (YYYY-MM-DD) has no time zone: show it as it is.
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = typeof value === "string" ? new Date(value) : value;
  return fmt(locale, { year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}
