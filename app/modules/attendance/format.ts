/**
 * How attendance figures read on pages and in exports. Kept apart from rules.ts so that the browser
 * bundle does not pull in the organization rules (and their pinyin tables) for a percentage.
 */

/** "87.5%"; an em dash when there is no rate. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "—";
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** The tone a rate is shown in: below the warning threshold is danger, within 10 points of it a warning. */
export function rateTone(rate: number | null, threshold: number): "ok" | "warn" | "danger" | undefined {
  if (rate === null) return undefined;
  if (rate < threshold) return "danger";
  if (rate < threshold + 0.1) return "warn";
  return "ok";
}
