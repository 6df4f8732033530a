import { and, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { forbidden, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import type { AttendanceStatus } from "~db/schema/attendance";
import { attendanceRecords, classRegistrations, classSessions } from "~db/schema/index";

export interface CloseOutcome {
  excused: number;
  absent: number;
}

/**
 * Closing a session freezes its attendance: everyone enrolled with nothing recorded gets a row,
 * excused when their leave was approved, absent otherwise. Called by the night-class service inside the
 * transaction that sets the session closed, so the state and the rows stand or fall together; a second
 * close adds nothing (the rows exist).
 */
export async function closeSessionAttendance(tx: DbOrTx, sessionId: number, actor: Actor): Promise<CloseOutcome> {
  const rows = await tx.execute<{ status: AttendanceStatus; n: number }>(sql`
    with added as (
      insert into attendance_records (session_id, cadre_id, status, source)
      select r.session_id, r.cadre_id,
        (case when exists (
          select 1 from class_leave_requests l where l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status = 'approved'
        ) then 'excused' else 'absent' end)::attendance_status,
        'close'
      from class_registrations r
      where r.session_id = ${sessionId} and r.status = 'registered'
        and not exists (select 1 from attendance_records a where a.session_id = r.session_id and a.cadre_id = r.cadre_id)
      on conflict (session_id, cadre_id) do nothing
      returning status
    )
    select status::text as status, count(*)::int as n from added group by status`);
  const outcome: CloseOutcome = { excused: 0, absent: 0 };
  for (const r of rows) if (r.status === "excused" || r.status === "absent") outcome[r.status] = Number(r.n);
  await audit(tx, actor, { action: "attendance.session_closed", entityType: "class_session", entityId: sessionId, after: outcome });
  return outcome;
}

export type CorrectionCaller = Pick<CurrentUser, "id" | "roles">;

/**
 * A change to a session's attendance by the organization department, with a reason, audited with what
 * it was before. The only way to change a closed session's attendance; open sessions take corrections
 * too (the venue roster is the usual way).
 */
export async function correctAttendance(
  db: Database,
  caller: CorrectionCaller,
  input: { sessionId: number; cadreId: number; status: AttendanceStatus; reason: string },
): Promise<{ changed: boolean }> {
  if (!hasRole(caller, "org_admin")) throw forbidden();
  const reason = input.reason.trim();
  if (!reason) throw invalid("attendance.errors.reasonRequired", "reason");
  return db.transaction(async (tx) => {
    const [session] = await tx.select({ status: classSessions.status }).from(classSessions).where(eq(classSessions.id, input.sessionId));
    if (!session) throw notFound();
    if (session.status !== "published" && session.status !== "closed") throw invalid("attendance.errors.notOpen", "form");
    const [registration] = await tx
      .select({ id: classRegistrations.id })
      .from(classRegistrations)
      .where(
        and(
          eq(classRegistrations.sessionId, input.sessionId),
          eq(classRegistrations.cadreId, input.cadreId),
          eq(classRegistrations.status, "registered"),
        ),
      );
    if (!registration) throw notFound();
    const [before] = await tx
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.sessionId, input.sessionId), eq(attendanceRecords.cadreId, input.cadreId)))
      .for("update");
    if (before?.status === input.status) return { changed: false };
    const values = { status: input.status, source: "correction" as const, recordedByUserId: caller.id };
    const [saved] = await tx
      .insert(attendanceRecords)
      .values({ sessionId: input.sessionId, cadreId: input.cadreId, ...values })
      .onConflictDoUpdate({ target: [attendanceRecords.sessionId, attendanceRecords.cadreId], set: { ...values, updatedAt: new Date() } })
      .returning({ id: attendanceRecords.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "attendance.corrected",
        entityType: "attendance_record",
        entityId: saved!.id,
        before: before ? { status: before.status, source: before.source } : null,
        after: { sessionId: input.sessionId, cadreId: input.cadreId, status: input.status, sessionStatus: session.status },
        reason,
      },
    );
    return { changed: true };
  });
}
