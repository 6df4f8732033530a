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

export type AgendaRole = "experience" | "commitment";

/**
 * Where a row with a shared rank stands on the agenda of a group of n with K slots each way. A tie is
 * one block of positions rank … rank + tieSize − 1, and every row tied at a boundary is in: the top
 * takes a block whose first position is within the top slots, the bottom one whose last position is
 * within the bottom slots. A block reaching into both (a large tie across the middle of a small group)
 * goes to the side it stands nearer — fewer rows beyond it — and to neither when it stands exactly in
 * the middle (docs/decisions/0021).
 */
export function agendaRole(rank: number, tieSize: number, n: number, k: number): AgendaRole | null {
  const { top, bottom } = agendaSlots(n, k);
  const last = rank + Math.max(1, tieSize) - 1;
  const inTop = rank <= top;
  const inBottom = bottom > 0 && last > n - bottom;
  if (inTop && inBottom) {
    const above = rank - 1;
    const below = n - last;
    return above < below ? "experience" : above > below ? "commitment" : null;
  }
  return inTop ? "experience" : inBottom ? "commitment" : null;
}

export function isTop(rank: number, n: number, k: number, tieSize = 1): boolean {
  return agendaRole(rank, tieSize, n, k) === "experience";
}

export function isBottom(rank: number, n: number, k: number, tieSize = 1): boolean {
  return agendaRole(rank, tieSize, n, k) === "commitment";
}

/** The last rank that is in the top P% of a group of n: ⌈P·n/100⌉ (the top 10% of 25 are ranks 1–3). */
export function topPercentCutoff(n: number, percent: number): number {
  return n > 0 ? Math.ceil((percent * n) / 100 - 1e-9) : 0;
}

/**
 * In the top P% of a group of n: rank ≤ ⌈P·n/100⌉. With shared ranks a tie passes or fails whole: its
 * rows share their first position, so a tie that begins within the cut-off is in, however far it runs.
 */
export function inTopPercent(rank: number, n: number, percent: number): boolean {
  return n > 0 && rank >= 1 && rank <= topPercentCutoff(n, percent);
}
