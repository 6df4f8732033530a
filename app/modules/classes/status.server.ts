import { and, eq, inArray } from "drizzle-orm";
import { closeSessionAttendance } from "~/modules/attendance/closing/close.server";
import { type Actor, audit } from "~/modules/audit/service.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueuePrepared, type PreparedEmail } from "~/modules/email/outbox.server";
import { invalid } from "~/utils/errors";
import { linkOrigin } from "~/utils/origin.server";
import type { Database, Tx } from "~db/client";
import { classRegistrations, classSessions } from "~db/schema";
import { type SyncResult, syncEnrolments } from "./enrolment.server";
import { type ClassEmailItem, prepareClassEmails, recipients, sessionLinks, sessionSummary } from "./notify.server";
import { type SessionTransition, TRANSITION_TARGET, transitionProblem } from "./rules";
import { type ClassSessionRow, findSessionByCode, findSessionById, lockSession } from "./sessions.server";

export interface TransitionOutcome {
  status: ClassSessionRow["status"];
  /** True when the session already was in the state asked for (a second click). */
  unchanged: boolean;
  sync?: SyncResult;
  notified?: number;
}

/**
 * Moves a session along draft → published → closed, or to cancelled. Publishing enrols the mandatory
 * audience; cancelling tells everyone enrolled; closing only sets the state for now (the attendance
 * capability gives it its meaning). All in one transaction, audited.
 */
export async function transitionSession(
  db: Database,
  actor: Actor,
  code: string,
  transition: SessionTransition,
  options: { now?: Date; origin?: string; reason?: string } = {},
): Promise<TransitionOutcome> {
  const now = options.now ?? new Date();
  const target = TRANSITION_TARGET[transition];
  // Everyone enrolled is told of a cancellation: render their emails before taking the session's lock,
  // so that registrations wait for the inserts only, not for a thousand renders.
  const current = await findSessionByCode(db, code);
  const prepared =
    transition === "cancel" && current.status !== "cancelled"
      ? await cancellationEmails(db, current, options)
      : new Map<string, PreparedEmail>();
  const outcome = await db.transaction(async (tx): Promise<TransitionOutcome> => {
    const found = await findSessionByCode(tx, code);
    await lockSession(tx, found.id);
    const session = await findSessionById(tx, found.id);
    if (session.status === target) return { status: target, unchanged: true };
    const problem = transitionProblem(session, transition, now);
    if (problem) throw invalid(problem, "form");

    const stamp =
      transition === "publish"
        ? { publishedAt: now }
        : transition === "close"
          ? { closedAt: now }
          : { cancelledAt: now, cancelReason: options.reason ?? null };
    const [updated] = await tx
      .update(classSessions)
      .set({ status: target, ...stamp })
      .where(eq(classSessions.id, session.id))
      .returning();
    await audit(tx, actor, {
      action: `class.session.${target}`,
      entityType: "class_session",
      entityId: session.id,
      before: { status: session.status },
      after: { status: target, code: session.code },
      reason: options.reason ?? null,
    });

    // Closing freezes attendance: everyone enrolled with nothing recorded becomes excused or absent.
    if (transition === "close") await closeSessionAttendance(tx, session.id, actor);
    if (transition === "publish") {
      return { status: target, unchanged: false, sync: await syncEnrolments(tx, updated!, actor, { now, origin: options.origin }) };
    }
    if (transition === "cancel") {
      const emails = await cancellationEmails(tx, updated!, options, prepared);
      return { status: target, unchanged: false, notified: (await enqueuePrepared(tx, [...emails.values()])).length };
    }
    return { status: target, unchanged: false };
  });
  if (outcome.notified) nudgeOutbox();
  return outcome;
}

/**
 * The cancellation email of everyone registered now, by idempotency key; messages already rendered
 * (`ready`) are reused, so under the lock only latecomers are rendered.
 */
async function cancellationEmails(
  db: Database | Tx,
  session: ClassSessionRow,
  options: { origin?: string; reason?: string },
  ready: Map<string, PreparedEmail> = new Map(),
): Promise<Map<string, PreparedEmail>> {
  const enrolled = await db
    .select({ cadreId: classRegistrations.cadreId })
    .from(classRegistrations)
    .where(and(eq(classRegistrations.sessionId, session.id), inArray(classRegistrations.status, ["registered"])));
  const people = await recipients(
    db,
    enrolled.map((e) => e.cadreId),
  );
  const links = sessionLinks(linkOrigin(options.origin), session.code);
  const items: ClassEmailItem<"class-cancelled">[] = [...people.values()].map((recipient) => ({
    recipient,
    key: `class-cancelled/${session.id}/${recipient.cadreId}`,
    props: { session: sessionSummary(session, null), reason: options.reason ?? "", classesUrl: links.classesUrl },
  }));
  const out = new Map<string, PreparedEmail>();
  const missing = items.filter((i) => {
    const done = ready.get(i.key);
    if (done) out.set(i.key, done);
    return !done;
  });
  for (const email of await prepareClassEmails(db, "class-cancelled", missing)) out.set(email.idempotencyKey, email);
  return out;
}

/** Brings a published session's enrolment in line with its audience and the roster now (the admin's button). */
export async function syncSessionEnrolment(db: Database, actor: Actor, code: string, options: { now?: Date; origin?: string } = {}) {
  return db.transaction(async (tx) => {
    const found = await findSessionByCode(tx, code);
    await lockSession(tx, found.id);
    const session = await findSessionById(tx, found.id);
    return syncEnrolments(tx, session, actor, options);
  });
}
