import { sql } from "drizzle-orm";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { UnitKind } from "~db/schema/enums";
import { previousQuarter } from "./quarter";

/**
 * What the rankings tell the weekly digest (digest/gather.server.ts), as they tell the shortlists
 * (shortlist.server.ts): each unit's place in the latest published ranking (in its peer group, with
 * the previous quarter's published place for the movement), and in the draft of a later quarter when
 * the organization department has computed one.
 */
export interface UnitStanding {
  published: { quarter: string; group: UnitKind; rank: number | null; size: number; previousRank: number | null } | null;
  draft: { quarter: string; rank: number | null; size: number } | null;
}

export async function rankingStandingByUnit(db: DbOrTx, unitIds: readonly number[]): Promise<Map<number, UnitStanding>> {
  const out = new Map<number, UnitStanding>();
  const [latest] = await db.execute<{ id: number; quarter: string }>(
    sql`select id, quarter from rankings where status = 'published' order by quarter desc limit 1`,
  );
  const [draft] = await db.execute<{ id: number; quarter: string }>(sql`
    select id, quarter from rankings where status = 'draft' ${latest ? sql`and quarter > ${latest.quarter}` : sql``}
    order by quarter desc limit 1`);
  if (latest) {
    const [previous] = await db.execute<{ id: number }>(
      sql`select id from rankings where status = 'published' and quarter = ${previousQuarter(latest.quarter)}`,
    );
    const rows = await db.execute<{
      unit_id: number;
      peer_group: UnitKind;
      rank: number | null;
      size: number;
      previous_rank: number | null;
    }>(sql`
      with g as (
        select unit_id, peer_group, rank, count(rank) over (partition by peer_group)::int as size
        from ranking_unit_results where ranking_id = ${latest.id}
      )
      select g.unit_id, g.peer_group, g.rank, g.size, prev.rank as previous_rank
      from g left join ranking_unit_results prev on prev.ranking_id = ${previous?.id ?? 0} and prev.unit_id = g.unit_id
      where g.unit_id in ${idList(unitIds)}`);
    for (const r of rows) {
      out.set(Number(r.unit_id), {
        published: {
          quarter: latest.quarter,
          group: r.peer_group,
          rank: r.rank === null ? null : Number(r.rank),
          size: Number(r.size),
          previousRank: r.previous_rank === null ? null : Number(r.previous_rank),
        },
        draft: null,
      });
    }
  }
  if (draft) {
    const rows = await db.execute<{ unit_id: number; rank: number | null; size: number }>(sql`
      with g as (
        select unit_id, rank, count(rank) over (partition by peer_group)::int as size
        from ranking_unit_results where ranking_id = ${draft.id}
      )
      select unit_id, rank, size from g where unit_id in ${idList(unitIds)}`);
    for (const r of rows) {
      const entry = out.get(Number(r.unit_id)) ?? { published: null, draft: null };
      entry.draft = { quarter: draft.quarter, rank: r.rank === null ? null : Number(r.rank), size: Number(r.size) };
      out.set(Number(r.unit_id), entry);
    }
  }
  return out;
}
