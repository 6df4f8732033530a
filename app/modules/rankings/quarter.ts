import { addDays } from "~/utils/dates";

/**
 * Quarters as the organization department names them (2026Q3) and the calendar dates they cover, in
 * Asia/Shanghai. Pure, so pages, the CLI and the tests agree on every boundary.
 */
export interface Quarter {
  year: number;
  q: 1 | 2 | 3 | 4;
}

export interface QuarterPeriod {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** The day after the last (exclusive end), YYYY-MM-DD. */
  to: string;
  /** The last day: who is ranked, and in which unit and band, is decided on this day. */
  lastDay: string;
}

const QUARTER = /^(\d{4})Q([1-4])$/;

/** "2026Q3" (also "2026q3", " 2026 Q3 ") → the quarter, or null. */
export function parseQuarter(value: unknown): Quarter | null {
  if (typeof value !== "string") return null;
  const m = QUARTER.exec(value.replace(/\s+/g, "").toUpperCase());
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
  return { year, q: Number(m[2]) as Quarter["q"] };
}

export function formatQuarter(q: Quarter): string {
  return `${q.year}Q${q.q}`;
}

/** The canonical spelling, or null. */
export function normaliseQuarter(value: unknown): string | null {
  const q = parseQuarter(value);
  return q ? formatQuarter(q) : null;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function quarterPeriod(quarter: string | Quarter): QuarterPeriod {
  const q = typeof quarter === "string" ? parseQuarter(quarter) : quarter;
  if (!q) throw new Error(`not a quarter: ${String(quarter)}`);
  const startMonth = (q.q - 1) * 3 + 1;
  const from = `${q.year}-${pad(startMonth)}-01`;
  const to = q.q === 4 ? `${q.year + 1}-01-01` : `${q.year}-${pad(startMonth + 3)}-01`;
  return { from, to, lastDay: addDays(to, -1) };
}

/** The quarter `n` quarters after (negative: before) the given one. */
export function shiftQuarter(quarter: string, n: number): string {
  const q = parseQuarter(quarter);
  if (!q) throw new Error(`not a quarter: ${quarter}`);
  const index = q.year * 4 + (q.q - 1) + n;
  return formatQuarter({ year: Math.floor(index / 4), q: ((index % 4) + 1) as Quarter["q"] });
}

export const previousQuarter = (quarter: string) => shiftQuarter(quarter, -1);
export const nextQuarter = (quarter: string) => shiftQuarter(quarter, 1);

/** The quarter a calendar date (YYYY-MM-DD) falls in. */
export function quarterOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return formatQuarter({ year, q: (Math.floor((month - 1) / 3) + 1) as Quarter["q"] });
}

/** Whether the quarter is over on `today` (its last day has passed). */
export function quarterEnded(quarter: string, today: string): boolean {
  return today >= quarterPeriod(quarter).to;
}

/** Quarters from `from` to `to`, both included, in order. */
export function quarterRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let q = from; q <= to && out.length < 400; q = nextQuarter(q)) out.push(q);
  return out;
}

/** "2026年第三季度" / "2026 Q3". */
export function quarterLabel(quarter: string, locale: string): string {
  const q = parseQuarter(quarter);
  if (!q) return quarter;
  if (locale === "en") return `${q.year} Q${q.q}`;
  return `${q.year}年第${"一二三四"[q.q - 1]}季度`;
}
