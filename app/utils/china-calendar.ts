import chineseDays from "chinese-days";
import { addDays, isoWeekday } from "./dates";

/**
 * China's working-day calendar: weekends, the public holidays and the adjusted working days (调休) that
 * the State Council publishes each year, from the `chinese-days` package (maintained; a new release
 * follows each year's notice). The one place the product asks "is this a working day?" — follow-up
 * deadlines of public ratings today, night-class series tomorrow. Dates are calendar days
 * (YYYY-MM-DD) in Asia/Shanghai.
 *
 * A year whose schedule is not published yet (or not in the installed package) falls back to plain
 * weekdays; `calendarCovers` tells which, so a page can say so.
 */

// The package's main file is a UMD bundle: Node sees only its default export.
const { getDayDetail, getHolidaysInRange } = chineseDays;

export interface DayInfo {
  date: string;
  working: boolean;
  /** A public holiday (法定节假日 and the days off around it): its Chinese name, e.g. 国庆节. */
  holiday: string | null;
  /** A weekend day that is a working day (调休上班). */
  adjustedWorkday: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(date: string): void {
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new Error(`china-calendar: not a date: ${date}`);
}

const coverage = new Map<number, boolean>();

/** Whether the installed schedule covers this year (it lists at least one public holiday in it). */
export function calendarCovers(year: number): boolean {
  let known = coverage.get(year);
  if (known === undefined) {
    known = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    coverage.set(year, known);
  }
  return known;
}

function weekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

/** What kind of day this is. */
export function dayInfo(date: string): DayInfo {
  checkDate(date);
  if (!calendarCovers(Number(date.slice(0, 4)))) {
    return { date, working: !weekend(date), holiday: null, adjustedWorkday: false };
  }
  const detail = getDayDetail(date);
  // The package names a holiday day or an adjusted working day "English,中文,n"; plain days by weekday.
  const parts = detail.name.split(",");
  const named = parts.length >= 2 ? parts[1]! : null;
  return {
    date,
    working: detail.work,
    holiday: !detail.work && named ? named : null,
    adjustedWorkday: detail.work && weekend(date),
  };
}

export function isWorkingDay(date: string): boolean {
  return dayInfo(date).working;
}

/**
 * The n-th working day after `date` (n ≥ 1); `date` itself does not count, whether working or not.
 * Three working days after Wednesday 30 September 2026 is Saturday 10 October: the National Day days
 * off (1–7 October) do not count, 8 and 9 October do, and the 10th is a Saturday worked in lieu (调休).
 */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`china-calendar: n must be a positive whole number, not ${n}`);
  let day = date;
  let left = n;
  // A year has at most ~20 consecutive days off; the bound only guards against a broken schedule.
  for (let guard = 0; guard < 366 * 2; guard++) {
    day = addDays(day, 1);
    if (isWorkingDay(day) && --left === 0) return day;
  }
  throw new Error(`china-calendar: no ${n} working days after ${date}`);
}

/** Working days strictly after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}
