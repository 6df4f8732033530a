import { dateOfDayNumber as fromDay, isoWeekday, dayNumber as toDay } from "~/utils/dates";
import type { Recurrence } from "~db/schema/classes";

/** Calendar dates of a series, as YYYY-MM-DD in Asia/Shanghai (calendar arithmetic from ~/utils/dates). */

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A series longer than this is almost certainly a typo in a year. */
export const MAX_OCCURRENCES = 200;

/** The dates a recurrence gives between two dates, both included, in order. `except` dates are left out (holidays). */
export function occurrences(rule: Recurrence, startDate: string, endDate: string, except: string[] = []): string[] {
  const first = toDay(startDate);
  const last = toDay(endDate);
  if (!(first <= last)) return [];
  const skip = new Set(except);
  const out: string[] = [];
  const push = (date: string) => {
    if (!skip.has(date) && out.length < MAX_OCCURRENCES) out.push(date);
  };
  if (rule.kind === "weekly") {
    const weekdays = new Set(rule.weekdays);
    const interval = Math.max(1, Math.floor(rule.intervalWeeks));
    // Weeks are counted from the Monday of the start date's week, so "every 2 weeks on Mon and Thu" keeps
    // both days of a week together whatever weekday the series starts on.
    const anchorMonday = first - (isoWeekday(startDate) - 1);
    for (let day = first; day <= last; day++) {
      const date = fromDay(day);
      if (!weekdays.has(isoWeekday(date))) continue;
      if (Math.floor((day - anchorMonday) / 7) % interval === 0) push(date);
    }
    return out;
  }
  const [startYear, startMonth] = startDate.split("-").map(Number) as [number, number];
  const [endYear, endMonth] = endDate.split("-").map(Number) as [number, number];
  let [y, m] = [startYear, startMonth];
  while (y < endYear || (y === endYear && m <= endMonth)) {
    const dates = new Set<string>();
    for (const n of rule.weeks) {
      const date = nthWeekdayOfMonth(y, m, rule.weekday, n);
      if (date) dates.add(date);
    }
    for (const date of [...dates].sort()) {
      const day = toDay(date);
      if (day >= first && day <= last) push(date);
    }
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

/** The n-th (1…5) or last (-1) given ISO weekday of a month; null when the month has no such day (a 5th Wednesday). */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): string | null {
  const pad = (v: number) => String(v).padStart(2, "0");
  const days = daysInMonth(year, month);
  if (n === -1) {
    const lastDate = `${year}-${pad(month)}-${pad(days)}`;
    const back = (isoWeekday(lastDate) - weekday + 7) % 7;
    return `${year}-${pad(month)}-${pad(days - back)}`;
  }
  if (n < 1 || n > 5) return null;
  const firstDate = `${year}-${pad(month)}-01`;
  const day = 1 + ((weekday - isoWeekday(firstDate) + 7) % 7) + (n - 1) * 7;
  return day > days ? null : `${year}-${pad(month)}-${pad(day)}`;
}
