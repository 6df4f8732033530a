import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { rankingFlags, units, users } from "~db/schema";
import type { FlagStatus } from "~db/schema/rankings";
import { modelById } from "./model.server";
import { previousQuarter } from "./quarter";
import { publishedRankingId } from "./views.server";

/**
 * 约谈 flags: a unit in the bottom K of its peer group in two consecutive published quarters. Derived
 * when a quarter is published (and again for the next quarter, if a correction changes the one it
 * follows); one flag per unit and quarter; resolved by the organization department with a note.
 * Bottom K is the agenda's commitment slots (scoring.ts agendaSlots), K from the later quarter's model.
 */

/** The units in the bottom K of their peer group in a ranking, as SQL (unit_id, peer_group, rank, size). */
function bottomSql(rankingId: number, k: number) {
  return sql`(
    select r.unit_id, r.peer_group, r.rank, g.size
    from ranking_unit_results r
    join (select peer_group, count(rank)::int as size from ranking_unit_results where ranking_id = ${rankingId} group by peer_group) g
      on g.peer_group = r.peer_group
    where r.ranking_id = ${rankingId} and r.rank is not null and r.rank > g.size - least(${k}::int, g.size / 2))`;
}

/**
 * Raises the flags of `quarter` against the quarter before it (both published), and resolves open
 * flags of `quarter` that a correction no longer supports. Returns the units newly flagged.
 */
export async function deriveFlags(tx: DbOrTx, actor: Actor, quarter: string): Promise<number[]> {
  const current = await publishedRankingId(tx, quarter);
  const before = await publishedRankingId(tx, previousQuarter(quarter));
  if (!current) return [];
  const [ranking] = await tx.execute<{ model_id: number }>(sql`select model_id from rankings where id = ${current}`);
  const k = (await modelById(tx, Number(ranking!.model_id))).spec.params.agendaSize;
  const supported = before
    ? sql`(select now.unit_id, now.peer_group, now.rank, now.size, prev.rank as previous_rank, prev.size as previous_size
        from ${bottomSql(current, k)} now
        join ${bottomSql(before, k)} prev on prev.unit_id = now.unit_id and prev.peer_group = now.peer_group)`
    : sql`(select null::int as unit_id, null::unit_kind as peer_group, null::int as rank, null::int as size, null::int as previous_rank, null::int as previous_size where false)`;
  const created = await tx.execute<{ id: number; unit_id: number }>(sql`
    insert into ranking_flags (unit_id, quarter, previous_quarter, ranking_id, previous_ranking_id, peer_group, rank, group_size, previous_rank, previous_group_size)
    select s.unit_id, ${quarter}, ${previousQuarter(quarter)}, ${current}, ${before ?? 0}, s.peer_group, s.rank, s.size, s.previous_rank, s.previous_size
    from ${supported} s
    join units u on u.id = s.unit_id
    on conflict (unit_id, quarter) do nothing
    returning id, unit_id`);
  // A correction can take a unit out of the bottom: its open flag for this quarter no longer stands.
  const withdrawn = await tx.execute<{ id: number; unit_id: number }>(sql`
    update ranking_flags set status = 'resolved', resolved_at = now(), resolution_note = ${WITHDRAWN_NOTE}
    where quarter = ${quarter} and status = 'open' and unit_id not in (select unit_id from ${supported} s)
    returning id, unit_id`);
  const entries = [
    ...created.map((r) => ({
      action: "ranking.flag_raised" as const,
      entityType: "ranking_flag",
      entityId: Number(r.id),
      after: { unitId: Number(r.unit_id), quarter },
    })),
    ...withdrawn.map((r) => ({
      action: "ranking.flag_withdrawn" as const,
      entityType: "ranking_flag",
      entityId: Number(r.id),
      after: { unitId: Number(r.unit_id), quarter },
      reason: WITHDRAWN_NOTE,
    })),
  ];
  await audit(tx, actor, entries);
  return created.map((r) => Number(r.unit_id));
}

/** The note of a flag a corrected ranking no longer supports; the flags page words it in the reader's language. */
export const WITHDRAWN_NOTE = "superseded";

export interface FlagRow {
  id: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  quarter: string;
  previousQuarter: string;
  peerGroup: string;
  rank: number;
  groupSize: number;
  previousRank: number;
  previousGroupSize: number;
  status: FlagStatus;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  resolvedByName: string | null;
  createdAt: Date;
}

export async function listFlags(db: DbOrTx, filter: { status?: FlagStatus } = {}): Promise<FlagRow[]> {
  const rows = await db
    .select({ f: rankingFlags, code: units.code, name: units.name, resolvedByName: users.displayName })
    .from(rankingFlags)
    .innerJoin(units, eq(units.id, rankingFlags.unitId))
    .leftJoin(users, eq(users.id, rankingFlags.resolvedByUserId))
    .where(filter.status ? eq(rankingFlags.status, filter.status) : undefined)
    .orderBy(desc(rankingFlags.quarter), rankingFlags.peerGroup, desc(rankingFlags.rank));
  return rows.map(({ f, code, name, resolvedByName }) => ({
    id: f.id,
    unitId: f.unitId,
    unitCode: code,
    unitName: name,
    quarter: f.quarter,
    previousQuarter: f.previousQuarter,
    peerGroup: f.peerGroup,
    rank: f.rank,
    groupSize: f.groupSize,
    previousRank: f.previousRank,
    previousGroupSize: f.previousGroupSize,
    status: f.status,
    resolutionNote: f.resolutionNote,
    resolvedAt: f.resolvedAt,
    resolvedByName: resolvedByName || null,
    createdAt: f.createdAt,
  }));
}

/** Resolves an open flag with a note; resolving it again changes nothing. */
export async function resolveFlag(db: Database, actor: Actor, flagId: number, note: string): Promise<{ changed: boolean }> {
  const text = note.trim();
  if (!text) throw invalid("rankings.validation.noteRequired", "note");
  return db.transaction(async (tx) => {
    const [flag] = await tx.select().from(rankingFlags).where(eq(rankingFlags.id, flagId)).for("update");
    if (!flag) throw notFound();
    if (flag.status === "resolved") return { changed: false };
    await tx
      .update(rankingFlags)
      .set({ status: "resolved", resolutionNote: text, resolvedAt: new Date(), resolvedByUserId: actor.userId })
      .where(eq(rankingFlags.id, flagId));
    await audit(tx, actor, {
      action: "ranking.flag_resolved",
      entityType: "ranking_flag",
      entityId: flagId,
      before: { status: "open" },
      after: { status: "resolved", unitId: flag.unitId, quarter: flag.quarter },
      reason: text,
    });
    return { changed: true };
  });
}

/** Open flags, for the shortlist ("no open flag") and the overview. */
export async function openFlags(db: DbOrTx, options: { unitIds?: number[] } = {}) {
  return db
    .select({ id: rankingFlags.id, unitId: rankingFlags.unitId, quarter: rankingFlags.quarter, peerGroup: rankingFlags.peerGroup })
    .from(rankingFlags)
    .where(
      and(
        eq(rankingFlags.status, "open"),
        options.unitIds ? (options.unitIds.length ? inArray(rankingFlags.unitId, options.unitIds) : sql`false`) : undefined,
      ),
    );
}
