import { sql } from "drizzle-orm";
import { idList, textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { RankingBand } from "./model";
import { inTopPercent } from "./rules";

export { openFlags } from "./flags.server";

/**
 * What the promotion shortlist reads of the rankings: every cadre's place in their rank band in each
 * published quarter (frozen, so a shortlist decided on it can be explained later), and the open 约谈
 * flags ("no open flag"). Percentile = rank ÷ cadres ranked in the band: 0.05 is the top 5%.
 */
export interface CadrePercentile {
  cadreId: number;
  quarter: string;
  rankingId: number;
  band: RankingBand;
  /** The unit on the quarter's last day (whose open flags may matter). */
  unitId: number;
  rank: number | null;
  bandSize: number;
  /** rank ÷ bandSize; null when the cadre was not ranked that quarter. */
  percentile: number | null;
  score: number | null;
}

/**
 * Per cadre and published quarter, newest first. `lastQuarters` keeps the N latest published quarters
 * (of all, not per cadre: a quarter a cadre was missing from counts as missing); `quarters` names them.
 */
export async function cadrePercentiles(
  db: DbOrTx,
  options: { cadreIds?: number[]; quarters?: string[]; lastQuarters?: number } = {},
): Promise<CadrePercentile[]> {
  const rows = await db.execute<{
    cadre_id: number;
    quarter: string;
    ranking_id: number;
    band: RankingBand;
    unit_id: number;
    rank: number | null;
    size: number;
    score: number | null;
  }>(sql`
    with published as (
      select id, quarter from rankings where status = 'published'
      ${options.quarters ? sql`and quarter in ${textList(options.quarters)}` : sql``}
      order by quarter desc
      ${options.lastQuarters ? sql`limit ${options.lastQuarters}` : sql``}
    ),
    sizes as (
      select r.ranking_id, r.band, count(r.rank)::int as size
      from ranking_cadre_results r join published p on p.id = r.ranking_id
      group by r.ranking_id, r.band
    )
    select r.cadre_id, p.quarter, p.id as ranking_id, r.band, r.unit_id, r.rank, s.size, r.score
    from ranking_cadre_results r
    join published p on p.id = r.ranking_id
    join sizes s on s.ranking_id = r.ranking_id and s.band = r.band
    ${options.cadreIds ? sql`where r.cadre_id in ${idList(options.cadreIds)}` : sql``}
    order by r.cadre_id, p.quarter desc`);
  return rows.map((r) => {
    const rank = r.rank === null ? null : Number(r.rank);
    const size = Number(r.size);
    return {
      cadreId: Number(r.cadre_id),
      quarter: r.quarter,
      rankingId: Number(r.ranking_id),
      band: r.band,
      unitId: Number(r.unit_id),
      rank,
      bandSize: size,
      percentile: rank === null || size === 0 ? null : rank / size,
      score: r.score === null ? null : Number(r.score),
    };
  });
}

/**
 * Whether each cadre was in the top `percent`% of their band in every one of the last `quarters`
 * published quarters (a quarter they were not ranked in fails the rule), with the evidence.
 */
export async function topPercentInLastQuarters(db: DbOrTx, cadreIds: number[], options: { percent: number; quarters: number }) {
  const rows = await cadrePercentiles(db, { cadreIds, lastQuarters: options.quarters });
  const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(
    sql`select least(count(*), ${options.quarters})::int as n from rankings where status = 'published'`,
  );
  const out = new Map<number, { met: boolean; quarters: CadrePercentile[] }>();
  for (const id of cadreIds) {
    const mine = rows.filter((r) => r.cadreId === id);
    const met =
      mine.length === Number(n) && Number(n) > 0 && mine.every((r) => r.rank !== null && inTopPercent(r.rank, r.bandSize, options.percent));
    out.set(id, { met, quarters: mine });
  }
  return out;
}
