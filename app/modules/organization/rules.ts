import { pinyin } from "pinyin-pro";
import { RANKS, type Rank } from "~db/schema/enums";

/** Pinyin initials for search: 张三 → "zs", with surnames read as surnames (曾 → z). */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: "first", toneType: "none", type: "array", surname: "head" })
    .join("")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export function rankAtLeast(rank: Rank, minimum: Rank): boolean {
  return RANKS.indexOf(rank) >= RANKS.indexOf(minimum);
}

/** Rank bands used by quotas and rankings. */
export type RankBand = "leading" | "section" | "staff";
export function rankBand(rank: Rank): RankBand {
  if (rankAtLeast(rank, "deputy_county")) return "leading";
  if (rankAtLeast(rank, "deputy_section")) return "section";
  return "staff";
}

/**
 * 参与排名: whether a unit takes part in the quarterly rankings. The department's explicit choice, else
 * the default: units directly under the city or county do (no parent), sub-units (a bureau's school,
 * a town's service centre) do not. The SQL form is `coalesce(ranked, parent_id is null)`.
 */
export function takesPartInRanking(unit: { ranked: boolean | null; parentId: number | null }): boolean {
  return unit.ranked ?? unit.parentId === null;
}
