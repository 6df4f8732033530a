/** How rankings figures read on the pages (and only there: exports keep plain numbers). */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? "—" : score.toFixed(4);
}

/** A value in [0, 1] with four decimals. */
export function formatValue(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toFixed(4);
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return "—";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits).replace(/0+$/, "").replace(/\.$/, "");
}

/** A place in a group, with the tie when it is shared: "3/10", "3/10（并列）". */
export function formatPlace(
  rank: number | null | undefined,
  groupSize: number | null | undefined,
  tieSize: number | null | undefined,
  tieLabel: string,
): string {
  if (rank === null || rank === undefined) return "—";
  const place = groupSize ? `${rank}/${groupSize}` : String(rank);
  return tieSize && tieSize > 1 ? `${place}（${tieLabel}）` : place;
}
