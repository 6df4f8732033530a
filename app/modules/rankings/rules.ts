/**
 * Pure rules of the rankings that production applies in TypeScript (the score itself is computed in
 * SQL, score.server.ts; its one-row-at-a-time restatement for the tests is scoring-oracle.ts).
 */

/**
 * How many of a peer group of n present experience (top) and make commitments (bottom) with K slots
 * each. A small group is split so that no unit is both: the top gets the odd one.
 */
export function agendaSlots(n: number, k: number): { top: number; bottom: number } {
  return { top: Math.min(k, Math.ceil(n / 2)), bottom: Math.min(k, Math.floor(n / 2)) };
}

/** In the top P% of a group of n: rank ≤ ⌈P·n/100⌉, so the top 10% of 25 are the first 3. */
export function inTopPercent(rank: number, n: number, percent: number): boolean {
  return n > 0 && rank >= 1 && rank <= Math.ceil((percent * n) / 100 - 1e-9);
}
