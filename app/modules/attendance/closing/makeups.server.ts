import { and, eq, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { type CurrentUser, hasRole, scopeCoversCadre } from "~/modules/auth/roles";
import { conflict, forbidden, invalid, notFound } from "~/utils/errors";
import type { Database } from "~db/client";
import { attendanceMakeups, cadres, classLeaveRequests, classRegistrations, classSessions } from "~db/schema/index";

/**
 * 补学: a cadre excused from a session (approved leave) watches the replay and says so; the head of
 * their unit (or a liaison, or the organization department) confirms, and the session's hours count.
 */

/** The cadre's own submission, once the session has ended. A second click changes nothing; a rejected one may be sent again. */
export async function submitMakeup(
  db: Database,
  caller: Pick<CurrentUser, "id" | "cadreId">,
  input: { sessionId: number; note: string },
  now = new Date(),
): Promise<{ changed: boolean }> {
  if (!caller.cadreId) throw forbidden();
  const cadreId = caller.cadreId;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ endsAt: classSessions.endsAt, status: classSessions.status })
      .from(classRegistrations)
      .innerJoin(classSessions, eq(classSessions.id, classRegistrations.sessionId))
      .where(
        and(
          eq(classRegistrations.sessionId, input.sessionId),
          eq(classRegistrations.cadreId, cadreId),
          eq(classRegistrations.status, "registered"),
        ),
      );
    if (!row) throw notFound();
    const [leave] = await tx
      .select({ id: classLeaveRequests.id })
      .from(classLeaveRequests)
      .where(
        and(
          eq(classLeaveRequests.sessionId, input.sessionId),
          eq(classLeaveRequests.cadreId, cadreId),
          eq(classLeaveRequests.status, "approved"),
        ),
      );
    if (!leave) throw invalid("attendance.errors.makeupNotExcused", "form");
    if (now < row.endsAt) throw invalid("attendance.errors.makeupNotYet", "form");
    const [saved] = await tx
      .insert(attendanceMakeups)
      .values({ sessionId: input.sessionId, cadreId, note: input.note, submittedAt: now })
      .onConflictDoUpdate({
        target: [attendanceMakeups.sessionId, attendanceMakeups.cadreId],
        set: { status: "submitted", note: input.note, submittedAt: now, decidedAt: null, decidedByUserId: null, decisionComment: null },
        setWhere: sql`${attendanceMakeups.status} = 'rejected'`,
      })
      .returning({ id: attendanceMakeups.id });
    if (!saved) return { changed: false };
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "attendance.makeup_submitted",
        entityType: "attendance_makeup",
        entityId: saved.id,
        after: { sessionId: input.sessionId, cadreId },
      },
    );
    return { changed: true };
  });
}

/** Confirm or reject a submitted make-up: heads and liaisons for cadres in their units, org admins for anyone. Audited. */
export async function decideMakeup(
  db: Database,
  caller: Pick<CurrentUser, "id" | "roles" | "scope" | "cadreId">,
  input: { makeupId: number; decision: "confirmed" | "rejected"; comment: string },
): Promise<{ changed: boolean }> {
  if (!hasRole(caller, "org_admin", "unit_head", "unit_liaison")) throw forbidden();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ makeup: attendanceMakeups, unitId: cadres.unitId })
      .from(attendanceMakeups)
      .innerJoin(cadres, eq(cadres.id, attendanceMakeups.cadreId))
      .where(eq(attendanceMakeups.id, input.makeupId))
      .for("update", { of: attendanceMakeups });
    if (!row || !scopeCoversCadre({ ...caller.scope, cadreId: null }, { id: row.makeup.cadreId, unitId: row.unitId })) throw notFound();
    // Nobody confirms their own make-up study.
    if (row.makeup.cadreId === caller.cadreId) throw forbidden();
    if (row.makeup.status === input.decision) return { changed: false };
    if (row.makeup.status !== "submitted") throw conflict("attendance.errors.makeupDecided", "form");
    await tx
      .update(attendanceMakeups)
      .set({ status: input.decision, decidedByUserId: caller.id, decidedAt: new Date(), decisionComment: input.comment || null })
      .where(eq(attendanceMakeups.id, row.makeup.id));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: `attendance.makeup_${input.decision}`,
        entityType: "attendance_makeup",
        entityId: row.makeup.id,
        before: { status: row.makeup.status },
        after: { status: input.decision, sessionId: row.makeup.sessionId, cadreId: row.makeup.cadreId },
        reason: input.comment || null,
      },
    );
    return { changed: true };
  });
}
