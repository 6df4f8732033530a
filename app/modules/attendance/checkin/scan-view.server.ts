import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import type { AttendanceStatus } from "~db/schema/attendance";
import type { ClassSessionStatus } from "~db/schema/classes";
import type { CheckInCaller } from "./check-in.server";
import type { CheckInClaims } from "./token.server";

export interface ScanView {
  session: { code: string; title: string; lecturer: string; startsAt: string; endsAt: string; status: ClassSessionStatus };
  venue: { name: string; address: string };
  /** The caller's enrolment: here, at another venue (its name), online, or none. */
  enrolment: { state: "here" | "elsewhere" | "online" | "none"; venueName: string | null };
  attendance: { status: AttendanceStatus; at: string | null } | null;
}

/** What the confirm page shows after a scan: the session and venue the code names, and where the cadre stands. Null: no such venue. */
export async function scanView(db: DbOrTx, caller: CheckInCaller, claims: CheckInClaims): Promise<ScanView | null> {
  const [row] = await db.execute<{
    code: string;
    title: string;
    lecturer: string;
    starts_at: string;
    ends_at: string;
    status: ClassSessionStatus;
    venue_id: number;
    venue_name: string;
    venue_address: string;
    reg_status: string | null;
    reg_venue_id: number | null;
    reg_venue_name: string | null;
    att_status: AttendanceStatus | null;
    att_at: string | null;
  }>(sql`
    select s.code, s.title, s.lecturer, to_json(s.starts_at) #>> '{}' as starts_at, to_json(s.ends_at) #>> '{}' as ends_at, s.status,
      v.id as venue_id, v.name as venue_name, v.address as venue_address,
      r.status as reg_status, r.venue_id as reg_venue_id, rv.name as reg_venue_name,
      a.status as att_status, to_json(a.checked_in_at) #>> '{}' as att_at
    from class_session_venues sv
    join class_sessions s on s.id = sv.session_id
    join class_venues v on v.id = sv.venue_id
    left join class_registrations r on r.session_id = s.id and r.cadre_id = ${caller.cadreId ?? 0}
    left join class_venues rv on rv.id = r.venue_id
    left join attendance_records a on a.session_id = s.id and a.cadre_id = ${caller.cadreId ?? 0}
    where sv.id = ${claims.sessionVenueId} and sv.session_id = ${claims.sessionId}`);
  if (!row) return null;
  const registered = row.reg_status === "registered";
  return {
    session: { code: row.code, title: row.title, lecturer: row.lecturer, startsAt: row.starts_at, endsAt: row.ends_at, status: row.status },
    venue: { name: row.venue_name, address: row.venue_address },
    enrolment: !registered
      ? { state: "none", venueName: null }
      : row.reg_venue_id === null
        ? { state: "online", venueName: null }
        : Number(row.reg_venue_id) === Number(row.venue_id)
          ? { state: "here", venueName: row.venue_name }
          : { state: "elsewhere", venueName: row.reg_venue_name },
    attendance: row.att_status ? { status: row.att_status, at: row.att_at } : null,
  };
}
