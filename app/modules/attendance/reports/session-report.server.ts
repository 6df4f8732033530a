import { and, eq, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { hasRole } from "~/modules/auth/roles";
import { forbidden, notFound } from "~/utils/errors";
import { escapeLike } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import type { AttendanceFlagKind, AttendanceFlagStatus, AttendanceSource, AttendanceStatus } from "~db/schema/attendance";
import type { Rank } from "~db/schema/enums";
import { attendanceFlags, classSessions } from "~db/schema/index";
import type { AttendanceRules } from "../rules";
import { countsSql } from "./figures.server";
import type { ReportCaller } from "./unit-report.server";

export interface SessionRecordRow {
  cadreId: number;
  staffNo: string;
  name: string;
  rank: Rank;
  unitName: string;
  registeredVenue: string | null;
  seenVenue: string | null;
  status: AttendanceStatus | null;
  source: AttendanceSource | null;
  checkedInAt: string | null;
  minutesWatched: number | null;
  leaveApproved: boolean;
  walkIn: boolean;
  flags: number;
}

export interface FlagRow {
  id: number;
  cadreId: number;
  name: string;
  staffNo: string;
  kind: AttendanceFlagKind;
  status: AttendanceFlagStatus;
  detail: Record<string, unknown>;
  createdAt: string;
  reviewNote: string | null;
  checkedInAt: string | null;
  venueName: string | null;
}

/**
 * One session's attendance for the organization department: figures per venue and online, every
 * enrolment with what was recorded and how (searchable), and the suspicious patterns to review.
 */
export async function sessionReport(db: DbOrTx, caller: ReportCaller, code: string, options: { q?: string; rules: AttendanceRules }) {
  if (!hasRole(caller, "org_admin")) throw forbidden();
  const [session] = await db.select().from(classSessions).where(eq(classSessions.code, code));
  if (!session || session.status === "draft") throw notFound();
  const q = options.q?.trim() ?? "";
  const [places, records, flags] = await Promise.all([
    db.execute<{
      venue_id: number | null;
      name: string | null;
      enrolled: number;
      present: number;
      late: number;
      excused: number;
      absent: number;
      rate: number | null;
    }>(sql`
      select r.venue_id, v.name, ${countsSql(options.rules.lateWeight, sql`coalesce(a.status::text, 'none')`)}
      from class_registrations r
      left join class_venues v on v.id = r.venue_id
      left join attendance_records a on a.session_id = r.session_id and a.cadre_id = r.cadre_id
      where r.session_id = ${session.id} and r.status = 'registered'
      group by r.venue_id, v.name
      order by v.name nulls last`),
    sessionRecords(db, session.id, q),
    sessionFlags(db, session.id),
  ]);
  return {
    session: {
      id: session.id,
      code: session.code,
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      status: session.status,
      trainingHours: session.trainingHours,
    },
    places: places.map((p) => ({
      venueId: p.venue_id === null ? null : Number(p.venue_id),
      name: p.name,
      enrolled: Number(p.enrolled),
      present: Number(p.present),
      late: Number(p.late),
      excused: Number(p.excused),
      absent: Number(p.absent),
      rate: p.rate === null ? null : Number(p.rate),
    })),
    records,
    flags,
    q,
  };
}

export type SessionReport = Awaited<ReturnType<typeof sessionReport>>;

async function sessionRecords(db: DbOrTx, sessionId: number, q: string): Promise<SessionRecordRow[]> {
  const filter = q
    ? sql`and (c.name ilike ${`%${escapeLike(q)}%`} or c.staff_no ilike ${`${escapeLike(q)}%`} or c.name_initials like ${`${escapeLike(q.toLowerCase())}%`})`
    : sql``;
  const rows = await db.execute<{
    cadre_id: number;
    staff_no: string;
    name: string;
    rank: Rank;
    unit_name: string;
    registered_venue: string | null;
    seen_venue: string | null;
    status: AttendanceStatus | null;
    source: AttendanceSource | null;
    checked_in_at: string | null;
    minutes_watched: number | null;
    leave_approved: boolean;
    walk_in: boolean | null;
    flags: number;
  }>(sql`
    select c.id as cadre_id, c.staff_no, c.name, c.rank, u.name as unit_name, rv.name as registered_venue, seen.name as seen_venue,
      a.status, a.source, to_json(a.checked_in_at) #>> '{}' as checked_in_at, a.minutes_watched, a.walk_in,
      exists (select 1 from class_leave_requests l where l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status = 'approved') as leave_approved,
      (select count(*)::int from attendance_flags f where f.record_id = a.id and f.status = 'open') as flags
    from class_registrations r
    join cadres c on c.id = r.cadre_id
    join units u on u.id = c.unit_id
    left join class_venues rv on rv.id = r.venue_id
    left join attendance_records a on a.session_id = r.session_id and a.cadre_id = r.cadre_id
    left join class_session_venues sv on sv.id = a.session_venue_id
    left join class_venues seen on seen.id = sv.venue_id
    where r.session_id = ${sessionId} and r.status = 'registered' ${filter}
    order by u.code, c.staff_no
    limit 5000`);
  return rows.map((r) => ({
    cadreId: Number(r.cadre_id),
    staffNo: r.staff_no,
    name: r.name,
    rank: r.rank,
    unitName: r.unit_name,
    registeredVenue: r.registered_venue,
    seenVenue: r.seen_venue,
    status: r.status,
    source: r.source,
    checkedInAt: r.checked_in_at,
    minutesWatched: r.minutes_watched === null ? null : Number(r.minutes_watched),
    leaveApproved: r.leave_approved,
    walkIn: Boolean(r.walk_in),
    flags: Number(r.flags),
  }));
}

async function sessionFlags(db: DbOrTx, sessionId: number): Promise<FlagRow[]> {
  const rows = await db.execute<{
    id: number;
    cadre_id: number;
    name: string;
    staff_no: string;
    kind: AttendanceFlagKind;
    status: AttendanceFlagStatus;
    detail: Record<string, unknown>;
    created_at: string;
    review_note: string | null;
    checked_in_at: string | null;
    venue_name: string | null;
  }>(sql`
    select f.id, f.cadre_id, c.name, c.staff_no, f.kind, f.status, f.detail, to_json(f.created_at) #>> '{}' as created_at, f.review_note,
      to_json(a.checked_in_at) #>> '{}' as checked_in_at, v.name as venue_name
    from attendance_flags f
    join cadres c on c.id = f.cadre_id
    join attendance_records a on a.id = f.record_id
    left join class_session_venues sv on sv.id = a.session_venue_id
    left join class_venues v on v.id = sv.venue_id
    where f.session_id = ${sessionId}
    order by f.status = 'open' desc, f.created_at desc
    limit 500`);
  return rows.map((r) => ({
    id: Number(r.id),
    cadreId: Number(r.cadre_id),
    name: r.name,
    staffNo: r.staff_no,
    kind: r.kind,
    status: r.status,
    detail: r.detail,
    createdAt: r.created_at,
    reviewNote: r.review_note,
    checkedInAt: r.checked_in_at,
    venueName: r.venue_name,
  }));
}

/** Staff review a flag: dismissed (nothing wrong) or confirmed (then usually a correction follows). Audited. */
export async function reviewFlag(
  db: Database,
  caller: ReportCaller,
  sessionId: number,
  input: { flagId: number; decision: "dismissed" | "confirmed"; note: string },
): Promise<{ changed: boolean }> {
  if (!hasRole(caller, "org_admin")) throw forbidden();
  return db.transaction(async (tx) => {
    const [flag] = await tx
      .select()
      .from(attendanceFlags)
      .where(and(eq(attendanceFlags.id, input.flagId), eq(attendanceFlags.sessionId, sessionId)))
      .for("update");
    if (!flag) throw notFound();
    if (flag.status === input.decision) return { changed: false };
    await tx
      .update(attendanceFlags)
      .set({ status: input.decision, reviewedByUserId: caller.id, reviewedAt: new Date(), reviewNote: input.note || null })
      .where(eq(attendanceFlags.id, flag.id));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "attendance.flag_reviewed",
        entityType: "attendance_flag",
        entityId: flag.id,
        before: { status: flag.status },
        after: { status: input.decision, kind: flag.kind, cadreId: flag.cadreId },
        reason: input.note || null,
      },
    );
    return { changed: true };
  });
}
