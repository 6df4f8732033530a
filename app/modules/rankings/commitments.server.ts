import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import { conflict, forbidden, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, rankingCommitmentNotes, rankingCommitments, rankingMeetingItems, rankingMeetings, units, users } from "~db/schema";
import { commitmentState, defaultCommitmentDeadline, overdueOn } from "./commitments";

/**
 * Commitments made at a ranking meeting (表态): each has an owner (a cadre of the unit), a deadline and
 * a state — open, done, or overdue once past its deadline — with progress notes. The owner and the
 * unit's head or liaisons add notes; the owner or the department marks it done; the department may
 * reopen it. Overdue commitments go on the next meeting's agenda and, through `overdueCommitments`,
 * to the home pages of the department and of each owner.
 */

export type CommitmentCaller = Pick<CurrentUser, "id" | "roles" | "scope" | "cadreId">;

const isAdmin = (caller: Pick<CurrentUser, "roles">) => hasRole(caller, "org_admin");

/** A lagging unit's commitment: the text, the cadre answerable for it (one of the unit's) and the deadline. */
export async function saveCommitment(
  db: Database,
  actor: Actor,
  meetingId: number,
  input: { unitId: number; text: string; responsibleCadreId: number; deadline?: string | null },
): Promise<{ changed: boolean }> {
  const text = input.text.trim();
  if (!text) throw invalid("validation.required", "text");
  return db.transaction(async (tx) => {
    const [meeting] = await tx.select().from(rankingMeetings).where(eq(rankingMeetings.id, meetingId)).for("update");
    if (!meeting) throw notFound();
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
    const deadline = input.deadline ?? defaultCommitmentDeadline(meeting.quarter);
    const meetingDay = todayInShanghai(meeting.startsAt);
    if (deadline < meetingDay) throw invalid("rankings.validation.deadlineBeforeMeeting", "deadline");
    const [before] = await tx
      .select()
      .from(rankingCommitments)
      .where(and(eq(rankingCommitments.meetingId, meetingId), eq(rankingCommitments.unitId, input.unitId)));
    if (before && before.text === text && before.responsibleCadreId === cadre.id && before.deadline === deadline) return { changed: false };
    const values = { text, responsibleCadreId: cadre.id, responsibleName: cadre.name, deadline, recordedByUserId: actor.userId };
    await tx
      .insert(rankingCommitments)
      .values({ meetingId, unitId: input.unitId, ...values })
      .onConflictDoUpdate({ target: [rankingCommitments.meetingId, rankingCommitments.unitId], set: { ...values, updatedAt: new Date() } });
    await audit(tx, actor, {
      action: "ranking.commitment_recorded",
      entityType: "ranking_meeting",
      entityId: meetingId,
      before: before ? { unitId: input.unitId, text: before.text, responsible: before.responsibleName, deadline: before.deadline } : null,
      after: { unitId: input.unitId, text, responsible: cadre.name, deadline },
    });
    return { changed: true };
  });
}

/** Who may read a commitment, add notes, mark it done. */
function abilities(caller: CommitmentCaller, c: { unitId: number; responsibleCadreId: number | null }) {
  const admin = isAdmin(caller);
  const owner = caller.cadreId !== null && c.responsibleCadreId === caller.cadreId;
  const unit = caller.scope.unitIds.includes(c.unitId);
  return { read: admin || owner || unit, note: admin || owner || unit, done: admin || owner, reopen: admin };
}

async function lockCommitment(tx: DbOrTx, caller: CommitmentCaller, commitmentId: number) {
  const [c] = await tx.select().from(rankingCommitments).where(eq(rankingCommitments.id, commitmentId)).for("update");
  if (!c) throw notFound();
  const may = abilities(caller, c);
  if (!may.read) throw notFound();
  return { c, may };
}

/** A progress note by the owner, the unit's head or liaison, or the department. */
export async function addCommitmentNote(db: Database, caller: CommitmentCaller, commitmentId: number, note: string): Promise<void> {
  const text = note.trim();
  if (!text) throw invalid("validation.required", "note");
  await db.transaction(async (tx) => {
    const { c, may } = await lockCommitment(tx, caller, commitmentId);
    if (!may.note) throw forbidden();
    if (c.status === "done") throw conflict("rankings.errors.commitmentDone", "note");
    await tx.insert(rankingCommitmentNotes).values({ commitmentId, note: text, kind: "progress", createdByUserId: caller.id });
    await audit(
      tx,
      { userId: caller.id },
      { action: "ranking.commitment_progress", entityType: "ranking_commitment", entityId: commitmentId, after: { note: text } },
    );
  });
}

/** Done, by its owner or the department, with a note of what was done; a second click changes nothing. */
export async function markCommitmentDone(
  db: Database,
  caller: CommitmentCaller,
  commitmentId: number,
  note: string,
): Promise<{ changed: boolean }> {
  const text = note.trim();
  if (!text) throw invalid("validation.required", "note");
  return db.transaction(async (tx) => {
    const { c, may } = await lockCommitment(tx, caller, commitmentId);
    if (!may.done) throw forbidden();
    if (c.status === "done") return { changed: false };
    const now = new Date();
    await tx
      .update(rankingCommitments)
      .set({ status: "done", doneAt: now, doneByUserId: caller.id, updatedAt: now })
      .where(eq(rankingCommitments.id, commitmentId));
    await tx.insert(rankingCommitmentNotes).values({ commitmentId, note: text, kind: "done", createdByUserId: caller.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "ranking.commitment_done",
        entityType: "ranking_commitment",
        entityId: commitmentId,
        before: { status: "open", deadline: c.deadline },
        after: { status: "done" },
        reason: text,
      },
    );
    return { changed: true };
  });
}

/** Reopened by the department with the reason (the work was not in fact done). */
export async function reopenCommitment(
  db: Database,
  caller: CommitmentCaller,
  commitmentId: number,
  note: string,
): Promise<{ changed: boolean }> {
  const text = note.trim();
  if (!text) throw invalid("validation.required", "note");
  return db.transaction(async (tx) => {
    const { c, may } = await lockCommitment(tx, caller, commitmentId);
    if (!may.reopen) throw forbidden();
    if (c.status === "open") return { changed: false };
    await tx
      .update(rankingCommitments)
      .set({ status: "open", doneAt: null, doneByUserId: null, updatedAt: new Date() })
      .where(eq(rankingCommitments.id, commitmentId));
    await tx.insert(rankingCommitmentNotes).values({ commitmentId, note: text, kind: "reopened", createdByUserId: caller.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "ranking.commitment_reopened",
        entityType: "ranking_commitment",
        entityId: commitmentId,
        before: { status: "done" },
        after: { status: "open" },
        reason: text,
      },
    );
    return { changed: true };
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading

const actorName = sql<string | null>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email})`;

const rowColumns = {
  id: rankingCommitments.id,
  meetingId: rankingCommitments.meetingId,
  quarter: rankingMeetings.quarter,
  meetingStartsAt: rankingMeetings.startsAt,
  unitId: rankingCommitments.unitId,
  unitName: units.name,
  text: rankingCommitments.text,
  responsibleCadreId: rankingCommitments.responsibleCadreId,
  responsibleName: rankingCommitments.responsibleName,
  deadline: rankingCommitments.deadline,
  status: rankingCommitments.status,
  doneAt: rankingCommitments.doneAt,
};

function commitmentRows(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(rowColumns)
    .from(rankingCommitments)
    .innerJoin(rankingMeetings, eq(rankingMeetings.id, rankingCommitments.meetingId))
    .innerJoin(units, eq(units.id, rankingCommitments.unitId))
    .where(where)
    .orderBy(asc(rankingCommitments.deadline), asc(rankingCommitments.id));
}

type Row = Awaited<ReturnType<typeof commitmentRows>>[number];
const withState = (r: Row, today: string) => ({ ...r, state: commitmentState(r, today) });

/** What the caller may read: all for the department; their own and their units' for anyone else. */
function readable(caller: CommitmentCaller): SQL | undefined {
  if (isAdmin(caller)) return undefined;
  return or(
    caller.cadreId ? eq(rankingCommitments.responsibleCadreId, caller.cadreId) : undefined,
    caller.scope.unitIds.length ? inArray(rankingCommitments.unitId, caller.scope.unitIds) : undefined,
    sql`false`,
  );
}

export async function listCommitments(
  db: DbOrTx,
  caller: CommitmentCaller,
  filter: { state: "open" | "overdue" | "done" | "all" },
  today = todayInShanghai(),
) {
  const state =
    filter.state === "done"
      ? eq(rankingCommitments.status, "done")
      : filter.state === "overdue"
        ? and(eq(rankingCommitments.status, "open"), lt(rankingCommitments.deadline, today))
        : filter.state === "open"
          ? eq(rankingCommitments.status, "open")
          : undefined;
  return (await commitmentRows(db, and(readable(caller), state))).map((r) => withState(r, today));
}

/**
 * Overdue commitments — open and past their deadline — of one owner, or of all (the department's home
 * page), for the home pages and the weekly reminders to come. Oldest deadline first.
 */
export async function overdueCommitments(db: DbOrTx, options: { ownerCadreId?: number; today?: string } = {}) {
  const today = options.today ?? todayInShanghai();
  return (
    await commitmentRows(
      db,
      and(
        eq(rankingCommitments.status, "open"),
        lt(rankingCommitments.deadline, today),
        options.ownerCadreId !== undefined ? eq(rankingCommitments.responsibleCadreId, options.ownerCadreId) : undefined,
      ),
    )
  ).map((r) => withState(r, today));
}

/**
 * For the home pages (issue 18): the overdue commitments the caller may read — all for the department,
 * their units' and their own for heads and liaisons, their own for an owner — oldest deadline first.
 */
export async function overdueCommitmentsFor(db: DbOrTx, caller: CommitmentCaller, today = todayInShanghai()) {
  const rows = await listCommitments(db, caller, { state: "overdue" }, today);
  return rows.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.id - b.id));
}

/**
 * The commitments of earlier meetings that were overdue on a meeting's day (its agenda lists them):
 * past their deadline then, and not done by then.
 */
export async function overdueAtMeeting(db: DbOrTx, meeting: { quarter: string; startsAt: Date }) {
  const day = todayInShanghai(meeting.startsAt);
  const rows = await commitmentRows(db, and(lt(rankingMeetings.quarter, meeting.quarter), lt(rankingCommitments.deadline, day)));
  return rows
    .filter((r) => overdueOn({ ...r, doneOn: r.doneAt ? todayInShanghai(r.doneAt) : null }, day))
    .map((r) => withState(r, todayInShanghai()));
}

export async function commitmentDetail(db: DbOrTx, caller: CommitmentCaller, commitmentId: number, today = todayInShanghai()) {
  const [row] = await commitmentRows(db, eq(rankingCommitments.id, commitmentId));
  if (!row) throw notFound();
  const may = abilities(caller, row);
  if (!may.read) throw notFound();
  const notes = await db
    .select({
      id: rankingCommitmentNotes.id,
      note: rankingCommitmentNotes.note,
      kind: rankingCommitmentNotes.kind,
      createdAt: rankingCommitmentNotes.createdAt,
      by: actorName,
    })
    .from(rankingCommitmentNotes)
    .leftJoin(users, eq(users.id, rankingCommitmentNotes.createdByUserId))
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(eq(rankingCommitmentNotes.commitmentId, commitmentId))
    .orderBy(desc(rankingCommitmentNotes.createdAt), desc(rankingCommitmentNotes.id));
  const open = row.status === "open";
  return {
    ...withState(row, today),
    notes,
    may: { note: may.note && open, done: may.done && open, reopen: may.reopen && !open },
  };
}
