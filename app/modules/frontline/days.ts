import { dayNumber } from "~/utils/dates";

/**
 * Frontline days as the union of date intervals. A day spent on two overlapping records is one day:
 * the Lanzhou rule counts days at the grassroots, not records. Dates are calendar days (YYYY-MM-DD)
 * with both ends included, exactly as the records store them.
 *
 * The database computes the same figures set-based (days.server.ts); the tests hold both to each other.
 */
export interface DateInterval {
  start: string;
  end: string;
}

/** Days an interval covers, both ends counted; 0 for an interval that ends before it starts. */
export function intervalDays(interval: DateInterval): number {
  return Math.max(0, dayNumber(interval.end) - dayNumber(interval.start) + 1);
}

/** The part of `interval` inside `within`, or null when they share no day. */
export function clipInterval(interval: DateInterval, within: DateInterval): DateInterval | null {
  const start = interval.start > within.start ? interval.start : within.start;
  const end = interval.end < within.end ? interval.end : within.end;
  return start <= end ? { start, end } : null;
}

/**
 * Sorted, disjoint intervals covering the same days. Touching intervals (the 3rd to the 5th, the 6th
 * to the 9th) become one, since no day lies between them.
 */
export function mergeIntervals(intervals: readonly DateInterval[]): DateInterval[] {
  const sorted = intervals.filter((i) => i.start <= i.end).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: DateInterval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last && dayNumber(next.start) <= dayNumber(last.end) + 1) {
      if (next.end > last.end) last.end = next.end;
    } else {
      out.push({ start: next.start, end: next.end });
    }
  }
  return out;
}

/** Distinct days covered by the intervals, optionally only those inside a period. */
export function unionDays(intervals: readonly DateInterval[], within?: DateInterval): number {
  const clipped = within ? intervals.map((i) => clipInterval(i, within)).filter((i): i is DateInterval => i !== null) : intervals;
  return mergeIntervals(clipped).reduce((sum, i) => sum + intervalDays(i), 0);
}

/** "YYYY-MM" of a date. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** The first and last day of a month given as "YYYY-MM". */
export function monthInterval(month: string): DateInterval {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${month}-01`, end: `${month}-${String(last).padStart(2, "0")}` };
}

export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const d = new Date(Date.UTC(y, m, 1));
  return d.toISOString().slice(0, 7);
}

/** Every month from `from` to `to` ("YYYY-MM", both included), in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/**
 * Union days per month: the intervals are merged first, then each merged stretch is split at month
 * boundaries, so a record from 28 March to 3 April gives March 4 days and April 3.
 */
export function unionDaysByMonth(intervals: readonly DateInterval[], within?: DateInterval): Map<string, number> {
  const clipped = within ? intervals.map((i) => clipInterval(i, within)).filter((i): i is DateInterval => i !== null) : intervals;
  const out = new Map<string, number>();
  for (const stretch of mergeIntervals(clipped)) {
    for (const month of monthsBetween(monthOf(stretch.start), monthOf(stretch.end))) {
      const part = clipInterval(stretch, monthInterval(month))!;
      out.set(month, (out.get(month) ?? 0) + intervalDays(part));
    }
  }
  return out;
}

/** Days two intervals share. */
export function overlapDays(a: DateInterval, b: DateInterval): number {
  const shared = clipInterval(a, b);
  return shared ? intervalDays(shared) : 0;
}

/** The other records that share days with `record`, with how many, as the verifier is shown them. */
export function overlapsWith<T extends DateInterval & { id: number }>(
  record: DateInterval & { id: number },
  others: readonly T[],
): { record: T; days: number; shared: DateInterval }[] {
  const out: { record: T; days: number; shared: DateInterval }[] = [];
  for (const other of others) {
    if (other.id === record.id) continue;
    const shared = clipInterval(record, other);
    if (shared) out.push({ record: other, days: intervalDays(shared), shared });
  }
  return out;
}

/** Days of `record` that no other record already covers: what verifying it adds to the count. */
export function newDays(record: DateInterval, others: readonly DateInterval[]): number {
  return unionDays([record, ...others]) - unionDays(others);
}
