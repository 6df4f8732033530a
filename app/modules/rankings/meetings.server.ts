import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { conflict, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, rankingCommitments, rankingMeetingItems, rankingMeetings, rankings, rankingUnitResults, units, users } from "~db/schema";
import type { MeetingRole } from "~db/schema/rankings";
import { isRankingsAdmin, type RankingsCaller } from "./access";
import { modelById } from "./model.server";
import { nextQuarter, normaliseQuarter } from "./quarter";
import { publishedRankingId } from "./views.server";

/**
 * The quarter's 拼搏赶超交流会. Creating it (for a published quarter) generates the agenda from the
 * ranking: per unit peer group the top K present experience and the bottom K make commitment
 * statements (scoring.ts agendaSlots), the speakers being the unit heads. The organization department
 * adjusts the agenda with a reason, invites the speakers by email with the .ics
 * (meeting-invitations.server.ts), and records the minutes and each lagging unit's commitment. Every
 * change is audited.
 */

export interface MeetingInput {
  startsAt: Date;
  endsAt: Date;
  place: string;
  agendaSize?: number;
}

export async function createMeeting(
  db: Database,
  actor: Actor,
  quarterText: string,
  input: MeetingInput,
): Promise<{ meetingId: number; created: boolean }> {
  const quarter = normaliseQuarter(quarterText);
  if (!quarter) throw notFound();
  if (input.endsAt <= input.startsAt) throw invalid("rankings.validation.endsBeforeStart", "endsAt");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`luoshi:ranking-meeting:${quarter}`}))`);
    const [existing] = await tx.select({ id: rankingMeetings.id }).from(rankingMeetings).where(eq(rankingMeetings.quarter, quarter));
    // The form sent twice: the meeting is there already.
    if (existing) return { meetingId: existing.id, created: false };
    const rankingId = await publishedRankingId(tx, quarter);
    if (!rankingId) throw invalid("rankings.errors.notPublished", "form");
    const [ranking] = await tx.select({ modelId: rankings.modelId }).from(rankings).where(eq(rankings.id, rankingId));
    const k = input.agendaSize ?? (await modelById(tx, ranking!.modelId)).spec.params.agendaSize;
    const [meeting] = await tx
      .insert(rankingMeetings)
      .values({
        quarter,
        rankingId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        place: input.place.trim(),
        agendaSize: k,
        createdByUserId: actor.userId,
      })
      .returning({ id: rankingMeetings.id });
    const items = await tx.execute<{ id: number }>(sql`
      insert into ranking_meeting_items (meeting_id, peer_group, role, unit_id, rank, group_size, speaker_cadre_id, speaker_name, source, created_by_user_id)
      select ${meeting!.id}, r.peer_group,
        (case when r.rank <= least(${k}::int, (g.size + 1) / 2) then 'experience' else 'commitment' end)::ranking_meeting_role,
        r.unit_id, r.rank, g.size, u.head_cadre_id, h.name, 'generated', ${actor.userId}
      from ranking_unit_results r
      join (select peer_group, count(rank)::int as size from ranking_unit_results where ranking_id = ${rankingId} group by peer_group) g
        on g.peer_group = r.peer_group
      join units u on u.id = r.unit_id
      left join cadres h on h.id = u.head_cadre_id
      where r.ranking_id = ${rankingId} and r.rank is not null
        and (r.rank <= least(${k}::int, (g.size + 1) / 2) or r.rank > g.size - least(${k}::int, g.size / 2))
      returning id`);
    await audit(tx, actor, {
      action: "ranking.meeting_created",
      entityType: "ranking_meeting",
      entityId: meeting!.id,
      after: {
        quarter,
        rankingId,
        startsAt: input.startsAt.toISOString(),
        place: input.place.trim(),
        agendaSize: k,
        speakers: items.length,
      },
    });
    return { meetingId: meeting!.id, created: true };
  });
}

async function lockMeeting(tx: DbOrTx, meetingId: number) {
  const [meeting] = await tx.select().from(rankingMeetings).where(eq(rankingMeetings.id, meetingId)).for("update");
  if (!meeting) throw notFound();
  return meeting;
}

/** A new time or place: the calendar event is replaced (SEQUENCE) and invitations can go again. */
export async function updateMeeting(db: Database, actor: Actor, meetingId: number, input: MeetingInput): Promise<{ changed: boolean }> {
  if (input.endsAt <= input.startsAt) throw invalid("rankings.validation.endsBeforeStart", "endsAt");
  return db.transaction(async (tx) => {
    const meeting = await lockMeeting(tx, meetingId);
    const place = input.place.trim();
    if (
      meeting.startsAt.getTime() === input.startsAt.getTime() &&
      meeting.endsAt.getTime() === input.endsAt.getTime() &&
      meeting.place === place
    ) {
      return { changed: false };
    }
    await tx
      .update(rankingMeetings)
      .set({ startsAt: input.startsAt, endsAt: input.endsAt, place, revision: meeting.revision + 1 })
      .where(eq(rankingMeetings.id, meetingId));
    await audit(tx, actor, {
      action: "ranking.meeting_changed",
      entityType: "ranking_meeting",
      entityId: meetingId,
      before: { startsAt: meeting.startsAt.toISOString(), endsAt: meeting.endsAt.toISOString(), place: meeting.place },
      after: { startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString(), place },
    });
    return { changed: true };
  });
}

/** Takes a speaker off the agenda, with the reason (kept on the slot). */
export async function removeAgendaItem(db: Database, actor: Actor, meetingId: number, itemId: number, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw invalid("rankings.validation.reasonRequired", "reason");
  await db.transaction(async (tx) => {
    await lockMeeting(tx, meetingId);
    const [item] = await tx
      .select()
      .from(rankingMeetingItems)
      .where(and(eq(rankingMeetingItems.id, itemId), eq(rankingMeetingItems.meetingId, meetingId)));
    if (!item) throw notFound();
    if (item.removedAt) return;
    await tx
      .update(rankingMeetingItems)
      .set({ removedAt: new Date(), removedByUserId: actor.userId, removedReason: why })
      .where(eq(rankingMeetingItems.id, itemId));
    await audit(tx, actor, {
      action: "ranking.agenda_removed",
      entityType: "ranking_meeting",
      entityId: meetingId,
      before: { unitId: item.unitId, role: item.role },
      reason: why,
    });
  });
}

/** Puts a unit on the agenda by hand, in a role, with the reason; its head speaks. */
export async function addAgendaItem(
  db: Database,
  actor: Actor,
  meetingId: number,
  input: { unitId: number; role: MeetingRole; reason: string },
): Promise<void> {
  const why = input.reason.trim();
  if (!why) throw invalid("rankings.validation.reasonRequired", "reason");
  await db.transaction(async (tx) => {
    const meeting = await lockMeeting(tx, meetingId);
    const [unit] = await tx
      .select({ id: units.id, kind: units.kind, headCadreId: units.headCadreId, headName: cadres.name })
      .from(units)
      .leftJoin(cadres, eq(cadres.id, units.headCadreId))
      .where(eq(units.id, input.unitId));
    if (!unit) throw invalid("rankings.errors.unknownUnit", "unitId");
    const [live] = await tx
      .select({ id: rankingMeetingItems.id })
      .from(rankingMeetingItems)
      .where(
        and(
          eq(rankingMeetingItems.meetingId, meetingId),
          eq(rankingMeetingItems.unitId, input.unitId),
          isNull(rankingMeetingItems.removedAt),
        ),
      );
    if (live) throw conflict("rankings.errors.alreadyOnAgenda", "unitId");
    const [result] = await tx
      .select({ rank: rankingUnitResults.rank, group: rankingUnitResults.peerGroup })
      .from(rankingUnitResults)
      .where(and(eq(rankingUnitResults.rankingId, meeting.rankingId), eq(rankingUnitResults.unitId, input.unitId)));
    const [size] = await tx.execute<{ n: number }>(sql`
      select count(rank)::int as n from ranking_unit_results where ranking_id = ${meeting.rankingId} and peer_group = ${result?.group ?? unit.kind}`);
    await tx.insert(rankingMeetingItems).values({
      meetingId,
      peerGroup: result?.group ?? unit.kind,
      role: input.role,
      unitId: input.unitId,
      rank: result?.rank ?? null,
      groupSize: Number(size?.n ?? 0),
      speakerCadreId: unit.headCadreId,
      speakerName: unit.headName,
      source: "added",
      reason: why,
      createdByUserId: actor.userId,
    });
    await audit(tx, actor, {
      action: "ranking.agenda_added",
      entityType: "ranking_meeting",
      entityId: meetingId,
      after: { unitId: input.unitId, role: input.role },
      reason: why,
    });
  });
}

export async function saveMinutes(db: Database, actor: Actor, meetingId: number, minutes: string): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const meeting = await lockMeeting(tx, meetingId);
    const text = minutes.trim();
    if (meeting.minutes === text) return { changed: false };
    await tx
      .update(rankingMeetings)
      .set({ minutes: text, minutesRecordedAt: new Date(), minutesRecordedByUserId: actor.userId })
      .where(eq(rankingMeetings.id, meetingId));
    await audit(tx, actor, {
      action: "ranking.minutes_recorded",
      entityType: "ranking_meeting",
      entityId: meetingId,
      before: { minutes: meeting.minutes },
      after: { minutes: text },
    });
    return { changed: true };
  });
}

/** A lagging unit's commitment: the text and the cadre answerable for it (one of the unit's). */
export async function saveCommitment(
  db: Database,
  actor: Actor,
  meetingId: number,
  input: { unitId: number; text: string; responsibleCadreId: number },
): Promise<{ changed: boolean }> {
  const text = input.text.trim();
  if (!text) throw invalid("validation.required", "text");
  return db.transaction(async (tx) => {
    await lockMeeting(tx, meetingId);
    const [item] = await tx
      .select({ id: rankingMeetingItems.id })
      .from(rankingMeetingItems)
      .where(
        and(
          eq(rankingMeetingItems.meetingId, meetingId),
          eq(rankingMeetingItems.unitId, input.unitId),
          eq(rankingMeetingItems.role, "commitment"),
          isNull(rankingMeetingItems.removedAt),
        ),
      );
    if (!item) throw invalid("rankings.errors.notCommitting", "form");
    const [cadre] = await tx
      .select({ id: cadres.id, name: cadres.name, unitId: cadres.unitId })
      .from(cadres)
      .where(eq(cadres.id, input.responsibleCadreId));
    if (!cadre || cadre.unitId !== input.unitId) throw invalid("rankings.errors.responsibleNotInUnit", "responsibleCadreId");
    const [before] = await tx
      .select()
      .from(rankingCommitments)
      .where(and(eq(rankingCommitments.meetingId, meetingId), eq(rankingCommitments.unitId, input.unitId)));
    if (before && before.text === text && before.responsibleCadreId === cadre.id) return { changed: false };
    await tx
      .insert(rankingCommitments)
      .values({
        meetingId,
        unitId: input.unitId,
        text,
        responsibleCadreId: cadre.id,
        responsibleName: cadre.name,
        recordedByUserId: actor.userId,
      })
      .onConflictDoUpdate({
        target: [rankingCommitments.meetingId, rankingCommitments.unitId],
        set: { text, responsibleCadreId: cadre.id, responsibleName: cadre.name, recordedByUserId: actor.userId, updatedAt: new Date() },
      });
    await audit(tx, actor, {
      action: "ranking.commitment_recorded",
      entityType: "ranking_meeting",
      entityId: meetingId,
      before: before ? { unitId: input.unitId, text: before.text, responsible: before.responsibleName } : null,
      after: { unitId: input.unitId, text, responsible: cadre.name },
    });
    return { changed: true };
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading

export async function meetingView(db: DbOrTx, caller: RankingsCaller, meetingId: number) {
  const [meeting] = await db
    .select({ m: rankingMeetings, version: rankings.version, rankingStatus: rankings.status })
    .from(rankingMeetings)
    .innerJoin(rankings, eq(rankings.id, rankingMeetings.rankingId))
    .where(eq(rankingMeetings.id, meetingId));
  if (!meeting) throw notFound();
  const items = await db
    .select({
      item: rankingMeetingItems,
      unitCode: units.code,
      unitName: units.name,
      speakerEmail: cadres.email,
      currentHeadId: units.headCadreId,
      score: rankingUnitResults.score,
    })
    .from(rankingMeetingItems)
    .innerJoin(units, eq(units.id, rankingMeetingItems.unitId))
    .leftJoin(cadres, eq(cadres.id, rankingMeetingItems.speakerCadreId))
    .leftJoin(
      rankingUnitResults,
      and(eq(rankingUnitResults.rankingId, meeting.m.rankingId), eq(rankingUnitResults.unitId, rankingMeetingItems.unitId)),
    )
    .where(eq(rankingMeetingItems.meetingId, meetingId))
    .orderBy(asc(rankingMeetingItems.role), asc(rankingMeetingItems.peerGroup), asc(rankingMeetingItems.rank), asc(rankingMeetingItems.id));
  // Heads and liaisons see the meeting only when one of their units speaks at it.
  if (!isRankingsAdmin(caller) && !items.some((i) => !i.item.removedAt && caller.scope.unitIds.includes(i.item.unitId))) throw notFound();
  const commitments = await db.select().from(rankingCommitments).where(eq(rankingCommitments.meetingId, meetingId));
  const [recorder] = meeting.m.minutesRecordedByUserId
    ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, meeting.m.minutesRecordedByUserId))
    : [];
  // The next quarter's ranking, once published, shows whether the committed units moved up.
  const nextId = await publishedRankingId(db, nextQuarter(meeting.m.quarter));
  const nextRanks = nextId
    ? new Map(
        (
          await db
            .select({ unitId: rankingUnitResults.unitId, rank: rankingUnitResults.rank })
            .from(rankingUnitResults)
            .where(eq(rankingUnitResults.rankingId, nextId))
        ).map((r) => [r.unitId, r.rank]),
      )
    : null;
  const members = isRankingsAdmin(caller)
    ? await db.execute<{ unit_id: number; id: number; name: string; staff_no: string }>(sql`
        select c.unit_id, c.id, c.name, c.staff_no from cadres c
        where c.status = 'active' and c.unit_id in (
          select unit_id from ranking_meeting_items where meeting_id = ${meetingId} and role = 'commitment' and removed_at is null)
        order by c.unit_id, c.rank desc, c.staff_no`)
    : [];
  const byUnit = new Map<number, { id: number; name: string; staffNo: string }[]>();
  for (const m of members)
    byUnit.set(Number(m.unit_id), [...(byUnit.get(Number(m.unit_id)) ?? []), { id: Number(m.id), name: m.name, staffNo: m.staff_no }]);
  return {
    id: meeting.m.id,
    quarter: meeting.m.quarter,
    rankingVersion: meeting.version,
    /** The version the agenda came from was later corrected. */
    rankingSuperseded: meeting.rankingStatus === "superseded",
    startsAt: meeting.m.startsAt,
    endsAt: meeting.m.endsAt,
    place: meeting.m.place,
    agendaSize: meeting.m.agendaSize,
    revision: meeting.m.revision,
    minutes: meeting.m.minutes,
    minutesRecordedAt: meeting.m.minutesRecordedAt,
    minutesRecordedBy: recorder?.name || null,
    invitationsSentAt: meeting.m.invitationsSentAt,
    nextQuarter: nextQuarter(meeting.m.quarter),
    nextPublished: nextId !== null,
    items: items.map(({ item, unitCode, unitName, speakerEmail, currentHeadId, score }) => {
      const nextRank = nextRanks?.get(item.unitId) ?? null;
      return {
        id: item.id,
        peerGroup: item.peerGroup as string,
        role: item.role,
        unitId: item.unitId,
        unitCode,
        unitName,
        rank: item.rank,
        groupSize: item.groupSize,
        score,
        speakerName: item.speakerName,
        speakerHasEmail: Boolean(speakerEmail),
        headChanged: item.speakerCadreId !== currentHeadId,
        source: item.source,
        reason: item.reason,
        removedAt: item.removedAt,
        removedReason: item.removedReason,
        nextRank,
        change: nextRank !== null && item.rank !== null ? item.rank - nextRank : null,
        commitment: commitments.find((c) => c.unitId === item.unitId) ?? null,
        members: byUnit.get(item.unitId) ?? [],
      };
    }),
  };
}

export type MeetingView = Awaited<ReturnType<typeof meetingView>>;
