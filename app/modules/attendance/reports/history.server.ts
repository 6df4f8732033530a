import { and, eq, isNull, sql } from "drizzle-orm";
import { type CurrentUser, scopeCoversCadre } from "~/modules/auth/roles";
import { yearBounds } from "~/utils/dates";
import { notFound } from "~/utils/errors";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { AttendanceSource, AttendanceStatus, MakeupStatus } from "~db/schema/attendance";
import type { ClassSessionStatus } from "~db/schema/classes";
import type { Rank } from "~db/schema/enums";
import { attendanceWarnings, cadres, units } from "~db/schema/index";
import type { AttendanceRules } from "../rules";
import { cadreAttendanceRates, trainingHoursLedger, yearPeriod } from "./figures.server";

export interface HistoryRow {
  sessionId: number;
  code: string;
  title: string;
  startsAt: string;
  endsAt: string;
  sessionStatus: ClassSessionStatus;
  hours: number;
  replayUrl: string | null;
  /** Where the cadre was registered: a venue's name, or null for online. */
  registeredVenue: string | null;
  /** Where they were seen, when it differs. */
  seenVenue: string | null;
  status: AttendanceStatus | null;
  source: AttendanceSource | null;
  checkedInAt: string | null;
  minutesWatched: number | null;
  leaveApproved: boolean;
  makeup: MakeupStatus | null;
  /** Hours this row earned: present or late at a closed session, or a confirmed make-up. */
  earned: number;
}

/**
 * One cadre's attendance in a year: every session they were enrolled in, what was recorded and how,
 * the hours each earned, the rate and the ledger against the requirement. The cadre themselves, the
 * heads of their unit, and the organization department; anyone else gets 404.
 */
export async function cadreHistory(
  db: DbOrTx,
  caller: Pick<CurrentUser, "scope">,
  cadreId: number,
  options: { year: number; rules: AttendanceRules },
) {
  const [cadre] = await db
    .select({
      id: cadres.id,
      name: cadres.name,
      staffNo: cadres.staffNo,
      rank: cadres.rank,
      unitId: cadres.unitId,
      unitName: units.name,
      status: cadres.status,
    })
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(eq(cadres.id, cadreId));
  if (!cadre || !scopeCoversCadre(caller.scope, cadre)) throw notFound();
  const period = yearPeriod(options.year);
  const [rows, rates, ledger, [warning]] = await Promise.all([
    historyRows(db, cadreId, options.year),
    cadreAttendanceRates(db, period, { lateWeight: options.rules.lateWeight, cadreIds: [cadreId] }),
    trainingHoursLedger(db, options.year, { rules: options.rules, cadreIds: [cadreId] }),
    db
      .select({ rate: attendanceWarnings.rate, sessions: attendanceWarnings.sessions, raisedAt: attendanceWarnings.raisedAt })
      .from(attendanceWarnings)
      .where(and(eq(attendanceWarnings.cadreId, cadreId), isNull(attendanceWarnings.resolvedAt))),
  ]);
  const hours = ledger.get(cadreId) ?? {
    cadreId,
    rank: cadre.rank as Rank,
    attended: 0,
    makeup: 0,
    earned: 0,
    required: options.rules.yearlyHours.staff,
    met: false,
  };
  return {
    cadre,
    year: options.year,
    rows,
    rate: rates.get(cadreId) ?? { enrolled: 0, present: 0, late: 0, excused: 0, absent: 0, rate: null },
    hours,
    warning: warning ? { rate: warning.rate, sessions: warning.sessions, raisedAt: warning.raisedAt.toISOString() } : null,
  };
}

async function historyRows(db: DbOrTx, cadreId: number, year: number): Promise<HistoryRow[]> {
  const bounds = yearBounds(year);
  const from = bounds.from.toISOString();
  const to = bounds.to.toISOString();
  const rows = await db.execute<{
    session_id: number;
    code: string;
    title: string;
    starts_at: string;
    ends_at: string;
    session_status: ClassSessionStatus;
    hours: number;
    replay_url: string | null;
    registered_venue: string | null;
    seen_venue: string | null;
    status: AttendanceStatus | null;
    source: AttendanceSource | null;
    checked_in_at: string | null;
    minutes_watched: number | null;
    leave_approved: boolean;
    makeup: MakeupStatus | null;
  }>(sql`
    select s.id as session_id, s.code, s.title, to_json(s.starts_at) #>> '{}' as starts_at, to_json(s.ends_at) #>> '{}' as ends_at,
      s.status as session_status, s.training_hours::float8 as hours, s.replay_url,
      rv.name as registered_venue, sv_v.name as seen_venue,
      a.status, a.source, to_json(a.checked_in_at) #>> '{}' as checked_in_at, a.minutes_watched,
      exists (select 1 from class_leave_requests l where l.session_id = s.id and l.cadre_id = r.cadre_id and l.status = 'approved') as leave_approved,
      mk.status as makeup
    from class_registrations r
    join class_sessions s on s.id = r.session_id
    left join class_venues rv on rv.id = r.venue_id
    left join attendance_records a on a.session_id = r.session_id and a.cadre_id = r.cadre_id
    left join class_session_venues sv on sv.id = a.session_venue_id
    left join class_venues sv_v on sv_v.id = sv.venue_id and sv_v.id is distinct from r.venue_id
    left join attendance_makeups mk on mk.session_id = r.session_id and mk.cadre_id = r.cadre_id
    where r.cadre_id = ${cadreId} and r.status = 'registered' and s.status in ('published', 'closed')
      and s.starts_at >= ${from}::timestamptz and s.starts_at < ${to}::timestamptz
    order by s.starts_at desc`);
  return rows.map((r) => {
    const closed = r.session_status === "closed";
    const hours = Number(r.hours);
    const earned =
      closed && (r.status === "present" || r.status === "late" || (r.status === "excused" && r.makeup === "confirmed")) ? hours : 0;
    return {
      sessionId: Number(r.session_id),
      code: r.code,
      title: r.title,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      sessionStatus: r.session_status,
      hours,
      replayUrl: r.replay_url,
      registeredVenue: r.registered_venue,
      seenVenue: r.seen_venue,
      status: r.status,
      source: r.source,
      checkedInAt: r.checked_in_at,
      minutesWatched: r.minutes_watched === null ? null : Number(r.minutes_watched),
      leaveApproved: r.leave_approved,
      makeup: r.makeup,
      earned,
    };
  });
}

/** Attendance status of one cadre at several sessions, for pages of other capabilities (the classes "past sessions" list). */
export async function attendanceStatusFor(
  db: DbOrTx,
  cadreId: number,
  sessionIds: number[],
): Promise<Map<number, { status: AttendanceStatus; at: string | null }>> {
  if (!sessionIds.length) return new Map();
  const rows = await db.execute<{ session_id: number; status: AttendanceStatus; at: string | null }>(sql`
    select session_id, status, to_json(checked_in_at) #>> '{}' as at from attendance_records
    where cadre_id = ${cadreId} and session_id in ${idList(sessionIds)}`);
  return new Map(rows.map((r) => [Number(r.session_id), { status: r.status, at: r.at }]));
}

/** The years a cadre has sessions in, newest first, always including this one. */
export async function historyYears(db: DbOrTx, cadreId: number, thisYear: number): Promise<number[]> {
  const rows = await db.execute<{ year: number }>(sql`
    select distinct extract(year from s.starts_at at time zone 'Asia/Shanghai')::int as year
    from class_registrations r join class_sessions s on s.id = r.session_id where r.cadre_id = ${cadreId}`);
  return [...new Set([thisYear, ...rows.map((r) => Number(r.year))])].sort((a, b) => b - a);
}
