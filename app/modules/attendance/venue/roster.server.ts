import { and, eq, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { conflict, forbidden, notFound } from "~/utils/errors";
import { escapeLike } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import type { AttendanceStatus } from "~db/schema/attendance";
import type { Rank } from "~db/schema/enums";
import { attendanceRecords, classRegistrations } from "~db/schema/index";
import { type SessionVenue, type VenueCaller, venueForStaff } from "./venues.server";

export interface RosterRow {
  cadreId: number;
  staffNo: string;
  name: string;
  rank: Rank;
  unitName: string;
  /** Registered at this venue (the rest were found by search, or checked in here from elsewhere). */
  registeredHere: boolean;
  /** Where the registration says: this venue, another one by name, or online (null). */
  registeredVenueName: string | null;
  onLeave: boolean;
  status: AttendanceStatus | null;
  source: string | null;
  checkedInAt: string | null;
  seenHere: boolean;
  walkIn: boolean;
}

const ROSTER_LIMIT = 1000;
const SEARCH_LIMIT = 50;

/**
 * A venue's roster: everyone registered here and anyone checked in here from elsewhere; with a search
 * (name, staff number or pinyin initials), anyone enrolled in the session, so staff can mark a cadre who
 * came to the wrong venue. `missing` is who is registered here with nothing recorded and no leave.
 */
export async function venueRoster(db: DbOrTx, caller: VenueCaller, sessionVenueId: number, options: { q?: string } = {}) {
  const venue = await venueForStaff(db, caller, sessionVenueId);
  const q = options.q?.trim() ?? "";
  const term = `%${escapeLike(q)}%`;
  const rows = await db.execute<{
    cadre_id: number;
    staff_no: string;
    name: string;
    rank: Rank;
    unit_name: string;
    registered_here: boolean;
    registered_venue_name: string | null;
    on_leave: boolean;
    status: AttendanceStatus | null;
    source: string | null;
    checked_in_at: string | null;
    seen_here: boolean;
    walk_in: boolean | null;
  }>(sql`
    select c.id as cadre_id, c.staff_no, c.name, c.rank, u.name as unit_name,
      coalesce(r.venue_id = ${venue.venueId}, false) as registered_here, v.name as registered_venue_name,
      exists (select 1 from class_leave_requests l where l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status = 'approved') as on_leave,
      a.status, a.source, to_json(a.checked_in_at) #>> '{}' as checked_in_at,
      coalesce(a.session_venue_id = ${venue.sessionVenueId}, false) as seen_here, a.walk_in
    from class_registrations r
    join cadres c on c.id = r.cadre_id
    join units u on u.id = c.unit_id
    left join class_venues v on v.id = r.venue_id
    left join attendance_records a on a.session_id = r.session_id and a.cadre_id = r.cadre_id
    where r.session_id = ${venue.sessionId} and r.status = 'registered'
      and ${
        q
          ? sql`(c.name ilike ${term} or c.staff_no ilike ${`${escapeLike(q)}%`} or c.name_initials like ${`${escapeLike(q.toLowerCase())}%`})`
          : sql`(r.venue_id = ${venue.venueId} or a.session_venue_id = ${venue.sessionVenueId})`
      }
    order by registered_here desc, c.name, c.staff_no
    limit ${q ? SEARCH_LIMIT : ROSTER_LIMIT}`);
  const roster: RosterRow[] = rows.map((r) => ({
    cadreId: Number(r.cadre_id),
    staffNo: r.staff_no,
    name: r.name,
    rank: r.rank,
    unitName: r.unit_name,
    registeredHere: r.registered_here,
    registeredVenueName: r.registered_venue_name,
    onLeave: r.on_leave,
    status: r.status,
    source: r.source,
    checkedInAt: r.checked_in_at,
    seenHere: r.seen_here,
    walkIn: Boolean(r.walk_in),
  }));
  const missing = q ? [] : roster.filter((r) => r.registeredHere && r.status === null && !r.onLeave);
  return { venue, q, roster, missing, searchLimited: q ? roster.length >= SEARCH_LIMIT : roster.length >= ROSTER_LIMIT };
}

export interface MarkOutcome {
  changed: boolean;
  status: AttendanceStatus;
}

/**
 * One tap on the roster: present, late, absent or excused, for a cadre enrolled in the session. Staff
 * may record an arrival here for anyone enrolled (a cadre at the wrong venue is seen here, and flagged
 * by the row), but only their own venue's cadres can be marked absent or excused. Only while the session
 * is open: after closing, a change is a correction by the organization department. Audited; the same
 * tap twice changes nothing.
 */
export async function markAttendance(
  db: Database,
  caller: VenueCaller,
  sessionVenueId: number,
  cadreId: number,
  status: AttendanceStatus,
  options: { now?: Date } = {},
): Promise<MarkOutcome> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const venue = await venueForStaff(tx, caller, sessionVenueId);
    assertOpen(venue);
    const [registration] = await tx
      .select({ venueId: classRegistrations.venueId })
      .from(classRegistrations)
      .where(
        and(
          eq(classRegistrations.sessionId, venue.sessionId),
          eq(classRegistrations.cadreId, cadreId),
          eq(classRegistrations.status, "registered"),
        ),
      )
      .for("share");
    if (!registration) throw notFound();
    const [before] = await tx
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.sessionId, venue.sessionId), eq(attendanceRecords.cadreId, cadreId)))
      .for("update");
    const ownCadre = registration.venueId === venue.venueId || before?.sessionVenueId === venue.sessionVenueId;
    if ((status === "absent" || status === "excused") && !ownCadre) throw forbidden();
    if (before?.status === status) return { changed: false, status };

    const arrived = status === "present" || status === "late";
    const keepsArrival = arrived && (before?.status === "present" || before?.status === "late") && before.checkedInAt;
    const values = {
      status,
      source: "roster" as const,
      checkedInAt: arrived ? (keepsArrival ? before!.checkedInAt : now) : null,
      sessionVenueId: arrived ? venue.sessionVenueId : (before?.sessionVenueId ?? null),
      otherVenue: arrived ? registration.venueId !== venue.venueId : (before?.otherVenue ?? false),
      recordedByUserId: caller.id,
    };
    const [saved] = await tx
      .insert(attendanceRecords)
      .values({ sessionId: venue.sessionId, cadreId, ...values })
      .onConflictDoUpdate({ target: [attendanceRecords.sessionId, attendanceRecords.cadreId], set: { ...values, updatedAt: now } })
      .returning({ id: attendanceRecords.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "attendance.marked",
        entityType: "attendance_record",
        entityId: saved!.id,
        before: before ? { status: before.status, source: before.source } : null,
        after: { sessionId: venue.sessionId, cadreId, status, sessionVenueId: venue.sessionVenueId },
      },
    );
    return { changed: true, status };
  });
}

function assertOpen(venue: SessionVenue) {
  if (venue.status === "closed") throw conflict("attendance.errors.closedUseCorrection", "form");
  if (venue.status !== "published") throw conflict("attendance.errors.notOpen", "form");
}
