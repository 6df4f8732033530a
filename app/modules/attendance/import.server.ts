import { sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { type ApplyContext, chunked, countActions, type ImportKindHandler, importReason } from "~/modules/imports/registry.server";
import type { ImportProblem, RowChange } from "~/modules/imports/types";
import { shanghaiDateOf, shanghaiTimeOf } from "~/utils/dates";
import { textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { attendanceRecords } from "~db/schema";
import type { AttendanceSource, AttendanceStatus } from "~db/schema/attendance";
import { logInstant, type ViewingLogRow, viewingLogKind } from "./import-kinds";
import { classifyViewing, sumViewing } from "./rules";
import { getAttendanceRules } from "./settings.server";

type Action = "present" | "late" | "excused" | "absent" | "unchanged";

interface PlanItem {
  cadreId: number;
  staffNo: string;
  action: Action;
  status: AttendanceStatus;
  minutes: number;
  firstJoinAt: string | null;
  before: { status: AttendanceStatus; source: AttendanceSource } | null;
}

interface ViewingPlan {
  sessionId: number;
  /** A closed session's attendance changes only as corrections, audited as such with the batch. */
  closed: boolean;
  items: PlanItem[];
}

/**
 * Online attendance from the viewing log. Each cadre's rows are added up (overlapping intervals count
 * once) and classified against the session and the rules; a cadre who scanned in or was marked by the
 * roster keeps that (the better evidence), and approved leave is not turned into an absence; a 请假
 * column of 是 records approved leave (excused). Before closing, the organization department and the
 * session's venue staff may import; after closing only the organization department, as corrections
 * audited with the batch as their reason — which is how a past session brought in closed (历史补录)
 * gets its attendance.
 */
export const viewingLogImport: ImportKindHandler<ViewingLogRow, ViewingPlan> = {
  ...viewingLogKind,

  async plan(db, rows, options) {
    const problems: ImportProblem[] = [];
    const code = options.params.session?.trim() ?? "";
    const [session] = await db.execute<{ id: number; status: string; starts_at: string; ends_at: string }>(sql`
      select id, status, to_json(starts_at) #>> '{}' as starts_at, to_json(ends_at) #>> '{}' as ends_at
      from class_sessions where code = ${code}`);
    const fileProblem = (messageKey: string) => ({
      problems: [{ row: null, column: null, messageKey, params: { value: code } }],
      changes: [],
      counts: countActions([], viewingLogKind.counts),
      plan: { sessionId: 0, closed: false, items: [] },
    });
    const refused = await sessionRefusal(db, session, { actor: options.actor, scope: options.scope });
    if (refused || !session) return fileProblem(refused ?? "attendance.import.errors.sessionUnknown");

    const staffNos = [...new Set(rows.map((r) => r.staffNo).filter(Boolean))];
    const found = staffNos.length
      ? await db.execute<{
          staff_no: string;
          cadre_id: number;
          registered: boolean;
          status: AttendanceStatus | null;
          source: AttendanceSource | null;
          minutes: number | null;
        }>(sql`
          select c.staff_no, c.id as cadre_id, (r.status = 'registered') as registered, a.status, a.source, a.minutes_watched as minutes
          from cadres c
          left join class_registrations r on r.session_id = ${session.id} and r.cadre_id = c.id
          left join attendance_records a on a.session_id = ${session.id} and a.cadre_id = c.id
          where c.staff_no in ${textList(staffNos)}`)
      : [];
    const byStaffNo = new Map(found.map((f) => [f.staff_no, f]));
    const staffColumn = options.column("staffNo");
    const rules = await getAttendanceRules(db);
    const times = { startsAt: new Date(session.starts_at), endsAt: new Date(session.ends_at) };
    const sessionDate = shanghaiDateOf(times.startsAt);

    const groups = new Map<string, ViewingLogRow[]>();
    for (const row of rows) {
      if (!row.staffNo) continue;
      const cadre = byStaffNo.get(row.staffNo);
      if (!cadre)
        problems.push({
          row: row.row,
          column: staffColumn,
          messageKey: "attendance.import.errors.unknownCadre",
          params: { value: row.staffNo },
        });
      else if (!cadre.registered)
        problems.push({
          row: row.row,
          column: staffColumn,
          messageKey: "attendance.import.errors.notEnrolled",
          params: { value: row.staffNo },
        });
      else if (!row.invalid) groups.set(row.staffNo, [...(groups.get(row.staffNo) ?? []), row]);
    }

    const items: PlanItem[] = [];
    const changes: RowChange[] = [];
    for (const [staffNo, group] of groups) {
      const cadre = byStaffNo.get(staffNo)!;
      const viewing = sumViewing(
        group.map((r) => ({ joinAt: logInstant(r.joinAt, sessionDate), leaveAt: logInstant(r.leaveAt, sessionDate), minutes: r.minutes })),
        times,
      );
      // Approved leave recorded in the log wins over minutes watched.
      const status: AttendanceStatus = group.some((r) => r.excused) ? "excused" : classifyViewing(viewing, times, rules);
      const before = cadre.status ? { status: cadre.status, source: cadre.source! } : null;
      const seenInPerson = before && (before.status === "present" || before.status === "late") && before.source !== "import";
      const keepsLeave = before?.status === "excused" && status === "absent";
      const same = before?.status === status && before.source === "import" && Number(cadre.minutes) === Math.round(viewing.minutes);
      const action: Action = seenInPerson || keepsLeave || same ? "unchanged" : status;
      const item = {
        cadreId: Number(cadre.cadre_id),
        staffNo,
        action,
        status,
        minutes: Math.round(viewing.minutes),
        firstJoinAt: viewing.firstJoinAt?.toISOString() ?? null,
        before,
      };
      items.push(item);
      if (action !== "unchanged") {
        changes.push({
          row: group[0]!.row,
          key: staffNo,
          name: `${item.minutes}′`,
          action,
          fields: [
            { field: "status", before: before?.status ?? null, after: status },
            { field: "minutes", before: cadre.minutes === null ? null : Number(cadre.minutes), after: item.minutes },
            { field: "joinAt", before: null, after: item.firstJoinAt ? shanghaiTimeOf(item.firstJoinAt) : null },
          ],
        });
      }
    }
    return {
      problems,
      changes,
      counts: countActions(items, viewingLogKind.counts),
      plan: { sessionId: Number(session.id), closed: session.status === "closed", items },
    };
  },

  authorise: async (db, params, who) => {
    const code = params.session?.trim() ?? "";
    const [session] = await db.execute<SessionRow>(sql`select id, status from class_sessions where code = ${code}`);
    return sessionRefusal(db, session, who);
  },

  async apply(tx: DbOrTx, plan: ViewingPlan, ctx: ApplyContext) {
    const reason = importReason(ctx.batchId);
    const writes = plan.items.filter((i) => i.action !== "unchanged");
    let processed = 0;
    for (const chunk of chunked(writes)) {
      await tx
        .insert(attendanceRecords)
        .values(
          chunk.map((i) => ({
            sessionId: plan.sessionId,
            cadreId: i.cadreId,
            status: i.status,
            source: "import" as const,
            checkedInAt: i.firstJoinAt ? new Date(i.firstJoinAt) : null,
            minutesWatched: i.minutes,
            recordedByUserId: ctx.actor.userId,
          })),
        )
        .onConflictDoUpdate({
          target: [attendanceRecords.sessionId, attendanceRecords.cadreId],
          set: {
            status: sql`excluded.status`,
            source: sql`excluded.source`,
            checkedInAt: sql`excluded.checked_in_at`,
            minutesWatched: sql`excluded.minutes_watched`,
            recordedByUserId: sql`excluded.recorded_by_user_id`,
            updatedAt: new Date(),
          },
        });
      await audit(
        tx,
        ctx.actor,
        chunk.map((i) => ({
          action: plan.closed ? "attendance.corrected" : "attendance.imported",
          entityType: "attendance_record",
          entityId: `${plan.sessionId}:${i.cadreId}`,
          before: i.before,
          after: { sessionId: plan.sessionId, cadreId: i.cadreId, status: i.status, minutesWatched: i.minutes },
          reason,
        })),
      );
      processed += chunk.length;
      await ctx.progress(processed);
    }
  },
};

type SessionRow = { id: number; status: string };

/**
 * Whether who is uploading may import this session's log, checked before the file is read and again
 * when planning: the organization department any published or closed session; the session's venue
 * staff a published one, if they run one of its venues. An i18n key to refuse with, or null.
 */
async function sessionRefusal(
  db: DbOrTx,
  session: SessionRow | undefined,
  who: { actor: { userId: number | null }; scope: { all: boolean } },
): Promise<string | null> {
  if (!session) return "attendance.import.errors.sessionUnknown";
  if (session.status !== "published" && session.status !== "closed") return "attendance.import.errors.sessionNotOpen";
  if (who.scope.all) return null;
  if (session.status === "closed") return "attendance.import.errors.closedNeedsAdmin";
  const [staff] = await db.execute(sql`
    select 1 from class_venue_staff st join class_session_venues sv on sv.id = st.session_venue_id
    where sv.session_id = ${session.id} and st.user_id = ${who.actor.userId ?? 0} limit 1`);
  return staff ? null : "attendance.import.errors.notStaff";
}
