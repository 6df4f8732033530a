import { addDays, isCalendarDate } from "~/utils/dates";

/**
 * The period a report covers, from the URL: calendar dates in Asia/Shanghai, both ends as typed
 * (inclusive). The figures functions take the end exclusive, so `to` is moved one day on for them.
 */
export interface PeriodInput {
  from?: string;
  to?: string;
}

export interface ResolvedPeriod {
  /** As shown and typed, inclusive. */
  from: string;
  to: string;
  /** For the figures: `to` exclusive. */
  query: { from: string; to: string };
}

const DAY = 86_400_000;

/** The year so far unless the URL says otherwise; reversed ends are swapped; at most ten years. */
export function resolvePeriod(input: PeriodInput, today: string): ResolvedPeriod {
  let from = isCalendarDate(input.from) ? input.from : `${today.slice(0, 4)}-01-01`;
  let to = isCalendarDate(input.to) ? input.to : today;
  if (from > to) [from, to] = [to, from];
  if (Date.parse(to) - Date.parse(from) > 3660 * DAY) from = addDays(to, -3660);
  return { from, to, query: { from, to: addDays(to, 1) } };
}
