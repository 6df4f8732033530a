import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { invalid, notFound } from "~/utils/errors";
import { idList } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import { cadres, rankingFlags, units, users } from "~db/schema";
import type { FlagStatus } from "~db/schema/rankings";
import { agendaPlaces } from "./agenda.server";
import { modelById } from "./model.server";
import { previousQuarter } from "./quarter";
import { publishedRankingId } from "./views.server";

/**
 * 约谈 flags: a unit in the bottom K of its peer group in two consecutive published quarters. Derived
 * when a quarter is published (and again for the next quarter, if a correction changes the one it
 * follows); one flag per unit and quarter; resolved by the organization department with a note.
 * Bottom K is the agenda's commitment slots (scoring.ts agendaSlots), K from the later quarter's model.
 */

/**
 * Raises the flags of `quarter` against the quarter before it (both published), and resolves open
 * flags of `quarter` that a correction no longer supports. Bottom K is the agenda's (agendaRole, ties
 * included). Returns the units newly flagged. A withdrawal is the act of whoever published the
 * correction, and names them.
 */
export async function deriveFlags(tx: DbOrTx, actor: Actor, quarter: string): Promise<number[]> {
  const current = await publishedRankingId(tx, quarter);
  const before = await publishedRankingId(tx, previousQuarter(quarter));
  if (!current) return [];
  const [ranking] = await tx.execute<{ model_id: number }>(sql`select model_id from rankings where id = ${current}`);
  const k = (await modelById(tx, Number(ranking!.model_id))).spec.params.agendaSize;
  const bottom = async (rankingId: number) => (await agendaPlaces(tx, rankingId, k)).filter((p) => p.role === "commitment");
  const previous = before ? new Map((await bottom(before)).map((p) => [`${p.unitId}/${p.peerGroup}`, p])) : new Map();
  const supported = before
    ? (await bottom(current)).flatMap((now) => {
        const prev = previous.get(`${now.unitId}/${now.peerGroup}`);
        return prev
          ? [
              {
                unit_id: now.unitId,
                peer_group: now.peerGroup,
                rank: now.rank,
                size: now.groupSize,
                previous_rank: prev.rank,
                previous_size: prev.groupSize,
              },
            ]
          : [];
      })
    : [];
  const created = supported.length
    ? await tx.execute<{ id: number; unit_id: number }>(sql`
        insert into ranking_flags (unit_id, quarter, previous_quarter, ranking_id, previous_ranking_id, peer_group, rank, group_size, previous_rank, previous_group_size)
        select s.unit_id, ${quarter}, ${previousQuarter(quarter)}, ${current}, ${before ?? 0}, s.peer_group::unit_kind, s.rank, s.size, s.previous_rank, s.previous_size
        from jsonb_to_recordset(${JSON.stringify(supported)}::jsonb)
          as s(unit_id integer, peer_group text, rank integer, size integer, previous_rank integer, previous_size integer)
        join units u on u.id = s.unit_id
        on conflict (unit_id, quarter) do nothing
        returning id, unit_id`)
    : [];
  // A correction can take a unit out of the bottom: its open flag for this quarter no longer stands.
  const withdrawn = await tx.execute<{ id: number; unit_id: number }>(sql`
    update ranking_flags set status = 'resolved', resolved_at = now(), resolved_by_user_id = ${actor.userId},
      resolution_note = ${WITHDRAWN_NOTE}
    where quarter = ${quarter} and status = 'open'
      and unit_id not in ${idList(supported.map((s) => s.unit_id))}
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

/** The note of a flag answered by an accountability record: "accountability:<record id>", linked on the page. */
const RECORD_NOTE = /^accountability:(\d+)$/;
export const recordNote = (recordId: number) => `accountability:${recordId}`;

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
  /** The accountability record that answered the flag, when one did. */
  recordId: number | null;
  createdAt: Date;
}

export async function listFlags(db: DbOrTx, filter: { status?: FlagStatus } = {}): Promise<FlagRow[]> {
  // The resolver by the name people know them by: their cadre record's, else the account's name or address.
  const rows = await db
    .select({
      f: rankingFlags,
      code: units.code,
      name: units.name,
      resolvedByName: sql<string | null>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email})`,
    })
    .from(rankingFlags)
    .innerJoin(units, eq(units.id, rankingFlags.unitId))
    .leftJoin(users, eq(users.id, rankingFlags.resolvedByUserId))
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
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
    recordId: f.resolutionNote && RECORD_NOTE.test(f.resolutionNote) ? Number(RECORD_NOTE.exec(f.resolutionNote)![1]) : null,
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

/** A flag as the accountability records need it when one is opened from it. */
export async function flagById(db: DbOrTx, flagId: number) {
  const [flag] = await db
    .select({ id: rankingFlags.id, unitId: rankingFlags.unitId, quarter: rankingFlags.quarter, status: rankingFlags.status })
    .from(rankingFlags)
    .where(eq(rankingFlags.id, flagId));
  return flag ?? null;
}

/**
 * Resolves a flag by the accountability record opened for it, in the record's transaction, by whoever
 * opened it. A flag resolved already stays as it was.
 */
export async function resolveFlagByRecord(tx: DbOrTx, actor: Actor, flagId: number, recordId: number): Promise<boolean> {
  const [flag] = await tx.select().from(rankingFlags).where(eq(rankingFlags.id, flagId)).for("update");
  if (!flag || flag.status === "resolved") return false;
  const note = recordNote(recordId);
  await tx
    .update(rankingFlags)
    .set({ status: "resolved", resolutionNote: note, resolvedAt: new Date(), resolvedByUserId: actor.userId })
    .where(eq(rankingFlags.id, flagId));
  await audit(tx, actor, {
    action: "ranking.flag_resolved",
    entityType: "ranking_flag",
    entityId: flagId,
    before: { status: "open" },
    after: { status: "resolved", unitId: flag.unitId, quarter: flag.quarter, accountabilityRecordId: recordId },
    reason: note,
  });
  return true;
}
