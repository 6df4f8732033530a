import { and, asc, eq, inArray, ne, type SQL } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { forbidden, invalid, notFound } from "~/utils/errors";
import { linkOrigin } from "~/utils/origin.server";
import type { Database, DbOrTx } from "~db/client";
import { cadres, classLeaveRequests, classRegistrations, classSessions, units, users } from "~db/schema";
import { queueClassEmails, recipients, sessionLinks, sessionSummary } from "./notify.server";
import { type ClassOptions, cadreForClasses, cadreMaySee, findRegistration, liveLeave } from "./registration.server";
import { leaveDecisionProblem, leaveRequestProblem } from "./rules";
import { promoteWaitlist, seatStates } from "./seats.server";
import { type ClassCaller, findSessionByCode, findSessionById, lockSession } from "./sessions.server";

export type LeaveOutcome = { status: "pending" | "approved" | "refused" | "withdrawn"; leaveId: number; unchanged: boolean };

/** 请假: the calling cadre asks, with a reason, before the session starts. Asking twice keeps the first request. */
export async function askLeave(
  db: Database,
  caller: ClassCaller,
  code: string,
  reason: string,
  options: ClassOptions = {},
): Promise<LeaveOutcome> {
  const now = options.now ?? new Date();
  if (!caller.cadreId) throw forbidden();
  const cadreId = caller.cadreId;
  return db.transaction(async (tx) => {
    const found = await findSessionByCode(tx, code);
    await lockSession(tx, found.id);
    const session = await findSessionById(tx, found.id);
    const cadre = await cadreForClasses(tx, cadreId);
    const registration = await findRegistration(tx, session.id, cadreId);
    if (!cadreMaySee(session, cadre, registration !== null)) throw notFound();
    const existing = await liveLeave(tx, session.id, cadreId);
    if (existing) return { status: existing.status, leaveId: existing.id, unchanged: true } as LeaveOutcome;
    const problem = leaveRequestProblem(session, now);
    if (problem) throw invalid(problem, "form");
    if (registration?.status !== "registered") throw invalid("classes.errors.leaveNeedsRegistration", "form");
    const [leave] = await tx
      .insert(classLeaveRequests)
      .values({ sessionId: session.id, cadreId, reason, requestedByUserId: caller.id })
      .returning({ id: classLeaveRequests.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "class.leave.requested",
        entityType: "class_leave_request",
        entityId: leave!.id,
        after: { sessionId: session.id, cadreId, reason },
      },
    );
    return { status: "pending", leaveId: leave!.id, unchanged: false } as LeaveOutcome;
  });
}

/** Takes back a request nobody has decided yet. */
export async function withdrawLeave(db: Database, caller: ClassCaller, code: string): Promise<LeaveOutcome | null> {
  if (!caller.cadreId) throw forbidden();
  const cadreId = caller.cadreId;
  return db.transaction(async (tx) => {
    const session = await findSessionByCode(tx, code);
    await lockSession(tx, session.id);
    const leave = await liveLeave(tx, session.id, cadreId);
    if (!leave) return null;
    if (leave.status !== "pending") throw invalid("classes.errors.alreadyDecided", "form");
    await tx.update(classLeaveRequests).set({ status: "withdrawn" }).where(eq(classLeaveRequests.id, leave.id));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "class.leave.withdrawn",
        entityType: "class_leave_request",
        entityId: leave.id,
        before: { status: "pending" },
        after: { status: "withdrawn" },
      },
    );
    return { status: "withdrawn", leaveId: leave.id, unchanged: false } as LeaveOutcome;
  });
}

/**
 * The unit head (or liaison, or the organization department) approves or refuses. Only requests of
 * cadres inside the caller's scope exist for them; nobody decides their own. Approved leave gives the
 * seat back (the first in line moves up) and the decision is emailed to the cadre.
 */
export async function decideLeave(
  db: Database,
  caller: ClassCaller,
  leaveId: number,
  decision: "approve" | "refuse",
  comment: string | undefined,
  options: ClassOptions = {},
): Promise<LeaveOutcome> {
  const actor: Actor = { userId: caller.id };
  const outcome = await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: classLeaveRequests.id, sessionId: classLeaveRequests.sessionId, cadreId: classLeaveRequests.cadreId })
      .from(classLeaveRequests)
      .innerJoin(cadres, eq(cadres.id, classLeaveRequests.cadreId))
      .where(and(eq(classLeaveRequests.id, leaveId), cadreScopeFilter({ ...caller.scope, cadreId: null })));
    if (!found) throw notFound();
    if (found.cadreId === caller.cadreId) throw forbidden("classes.errors.ownLeave");
    await lockSession(tx, found.sessionId);
    const session = await findSessionById(tx, found.sessionId);
    const [leave] = await tx.select().from(classLeaveRequests).where(eq(classLeaveRequests.id, leaveId));
    const target = decision === "approve" ? "approved" : "refused";
    if (leave!.status === target) return { status: target, leaveId, unchanged: true } as LeaveOutcome;
    if (leave!.status !== "pending") throw invalid("classes.errors.alreadyDecided", "form");
    const problem = leaveDecisionProblem(session);
    if (problem) throw invalid(problem, "form");

    await tx
      .update(classLeaveRequests)
      .set({ status: target, decidedByUserId: caller.id, decidedAt: new Date(), decisionComment: comment ?? null })
      .where(eq(classLeaveRequests.id, leaveId));
    await audit(tx, actor, {
      action: `class.leave.${target}`,
      entityType: "class_leave_request",
      entityId: leaveId,
      before: { status: "pending" },
      after: { status: target, comment: comment ?? null },
    });
    const registration = await findRegistration(tx, session.id, leave!.cadreId);
    if (target === "approved" && registration) {
      // An excused cadre will not come: stop waiting for another venue, and let their seat go.
      if (registration.waitlistVenueId) {
        await tx
          .update(classRegistrations)
          .set({ waitlistVenueId: null, waitlistedAt: null })
          .where(eq(classRegistrations.id, registration.id));
      }
      if (registration.venueId) await promoteWaitlist(tx, session, actor, options);
    }

    const people = await recipients(tx, [leave!.cadreId]);
    const recipient = people.get(leave!.cadreId);
    if (recipient) {
      const [decider] = await tx
        .select({ name: cadres.name, displayName: users.displayName })
        .from(users)
        .leftJoin(cadres, eq(cadres.id, users.cadreId))
        .where(eq(users.id, caller.id));
      const seats = await seatStates(tx, session.id);
      const venue = registration?.venueId ? (seats.find((s) => s.venueId === registration.venueId) ?? null) : null;
      await queueClassEmails(tx, "class-leave-decision", [
        {
          recipient,
          key: `class-leave/${leaveId}`,
          props: {
            session: sessionSummary(session, venue),
            approved: target === "approved",
            deciderName: decider?.name ?? decider?.displayName ?? "",
            comment: comment ?? null,
            sessionUrl: sessionLinks(linkOrigin(options.origin), session.code).sessionUrl,
          },
        },
      ]);
    }
    return { status: target, leaveId, unchanged: false } as LeaveOutcome;
  });
  nudgeOutbox();
  return outcome;
}

/**
 * Leave requests of cadres in the caller's units (the organization department: all), pending first;
 * the caller's own requests are not theirs to decide and are left out.
 */
export async function listLeaveRequests(
  db: DbOrTx,
  caller: ClassCaller,
  options: { status?: "pending" | "decided"; sessionId?: number } = {},
) {
  const where: (SQL | undefined)[] = [
    cadreScopeFilter({ ...caller.scope, cadreId: null }),
    caller.cadreId ? ne(classLeaveRequests.cadreId, caller.cadreId) : undefined,
    options.sessionId ? eq(classLeaveRequests.sessionId, options.sessionId) : undefined,
    options.status === "pending"
      ? eq(classLeaveRequests.status, "pending")
      : options.status === "decided"
        ? inArray(classLeaveRequests.status, ["approved", "refused"])
        : ne(classLeaveRequests.status, "withdrawn"),
  ];
  return db
    .select({
      id: classLeaveRequests.id,
      status: classLeaveRequests.status,
      reason: classLeaveRequests.reason,
      requestedAt: classLeaveRequests.createdAt,
      decidedAt: classLeaveRequests.decidedAt,
      decisionComment: classLeaveRequests.decisionComment,
      sessionId: classSessions.id,
      code: classSessions.code,
      title: classSessions.title,
      startsAt: classSessions.startsAt,
      endsAt: classSessions.endsAt,
      sessionStatus: classSessions.status,
      cadreId: cadres.id,
      cadreName: cadres.name,
      staffNo: cadres.staffNo,
      rank: cadres.rank,
      unitName: units.name,
    })
    .from(classLeaveRequests)
    .innerJoin(cadres, eq(cadres.id, classLeaveRequests.cadreId))
    .innerJoin(units, eq(units.id, cadres.unitId))
    .innerJoin(classSessions, eq(classSessions.id, classLeaveRequests.sessionId))
    .where(and(...where))
    .orderBy(asc(classSessions.startsAt), asc(classLeaveRequests.id))
    .limit(500);
}
