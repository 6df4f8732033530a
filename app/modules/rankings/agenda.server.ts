import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { type AgendaRole, agendaRole } from "./rules";

/**
 * The top and bottom K of every unit peer group of a ranking, with ties: the one reading of who
 * presents experience and who makes commitments that the agenda, the 约谈 flags, the quarterly summary
 * and the tables share. The rule itself is rules.ts `agendaRole`; this reads the ranked rows (units
 * left out of the ranking have no rank and never appear).
 */
export interface AgendaPlace {
  unitId: number;
  code: string;
  name: string;
  peerGroup: string;
  score: number | null;
  rank: number;
  tieSize: number;
  /** Ranked units of the peer group. */
  groupSize: number;
  role: AgendaRole;
}

export async function agendaPlaces(db: DbOrTx, rankingId: number, k: number): Promise<AgendaPlace[]> {
  const rows = await db.execute<{
    unit_id: number;
    code: string;
    name: string;
    peer_group: string;
    score: number | null;
    rank: number;
    tie_size: number | null;
    size: number;
  }>(sql`
    select unit_id, code, name, peer_group::text as peer_group, score, rank, tie_size,
      count(*) over (partition by peer_group)::int as size
    from ranking_unit_results
    where ranking_id = ${rankingId} and rank is not null
    order by peer_group, rank, code collate "C"`);
  const out: AgendaPlace[] = [];
  for (const r of rows) {
    const rank = Number(r.rank);
    const tieSize = Number(r.tie_size ?? 1);
    const groupSize = Number(r.size);
    const role = agendaRole(rank, tieSize, groupSize, k);
    if (!role) continue;
    out.push({
      unitId: Number(r.unit_id),
      code: r.code,
      name: r.name,
      peerGroup: r.peer_group,
      score: r.score === null ? null : Number(r.score),
      rank,
      tieSize,
      groupSize,
      role,
    });
  }
  return out;
}
