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
