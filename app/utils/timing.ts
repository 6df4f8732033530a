/**
 * The one timing hook, for benchmarks: a domain function whose parts are worth timing takes an
 * optional `timing` and wraps each part in `timed(timing, "part", work)`. Production passes none, and
 * nothing is measured or kept; the benchmark passes `timingTotals().timing` and prints the totals.
 *
 *   const { timing, totals } = timingTotals();
 *   await sendWeeklyDigests(db, { week, timing });
 *   totals["digest.render"] // ms, summed over every call
 */
export type Timing = (part: string, ms: number) => void;

export async function timed<T>(timing: Timing | undefined, part: string, work: () => Promise<T>): Promise<T> {
  if (!timing) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    timing(part, performance.now() - started);
  }
}

export function timedSync<T>(timing: Timing | undefined, part: string, work: () => T): T {
  if (!timing) return work();
  const started = performance.now();
  try {
    return work();
  } finally {
    timing(part, performance.now() - started);
  }
}

/** A hook that sums each part's milliseconds. */
export function timingTotals(): { timing: Timing; totals: Record<string, number> } {
  const totals: Record<string, number> = {};
  const timing: Timing = (part, ms) => {
    totals[part] = (totals[part] ?? 0) + ms;
  };
  return { timing, totals };
}
