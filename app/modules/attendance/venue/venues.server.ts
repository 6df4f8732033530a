import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { forbidden, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { attendanceRecords, cadres, classSessions, classSessionVenues, classVenueStaff, classVenues } from "~db/schema/index";
import { signCheckInToken, windowExpiry, windowOf } from "../checkin/token.server";

/** Who is asking, as the venue pages need it. */
export type VenueCaller = Pick<CurrentUser, "id" | "roles">;

/** May this caller run venues at all: staff of some venue, or the organization department. */
export function mayRunVenues(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "venue_staff", "org_admin");
}

export interface SessionVenue {
  sessionVenueId: number;
  sessionId: number;
  venueId: number;
  venueName: string;
  venueAddress: string;
  capacity: number;
  code: string;
  title: string;
  lecturer: string;
  startsAt: Date;
  endsAt: Date;
  status: (typeof classSessions.$inferSelect)["status"];
  trainingHours: number;
}

const sessionVenueColumns = {
  sessionVenueId: classSessionVenues.id,
  sessionId: classSessions.id,
  venueId: classVenues.id,
  venueName: classVenues.name,
  venueAddress: classVenues.address,
  capacity: classSessionVenues.capacity,
  code: classSessions.code,
  title: classSessions.title,
  lecturer: classSessions.lecturer,
  startsAt: classSessions.startsAt,
  endsAt: classSessions.endsAt,
  status: classSessions.status,
  trainingHours: classSessions.trainingHours,
};

/**
 * A session venue the caller runs: org admins any, venue staff the ones they are assigned to. Another
 * venue answers 404 (its existence is not theirs to know), a user who runs no venues 403.
 */
export async function venueForStaff(db: DbOrTx, caller: VenueCaller, sessionVenueId: number): Promise<SessionVenue> {
  if (!mayRunVenues(caller)) throw forbidden();
  const admin = hasRole(caller, "org_admin");
  const [row] = await db
    .select(sessionVenueColumns)
    .from(classSessionVenues)
    .innerJoin(classSessions, eq(classSessions.id, classSessionVenues.sessionId))
    .innerJoin(classVenues, eq(classVenues.id, classSessionVenues.venueId))
    .where(
      and(
        eq(classSessionVenues.id, sessionVenueId),
        admin
          ? undefined
          : sql`exists (select 1 from ${classVenueStaff} st where st.session_venue_id = ${classSessionVenues.id} and st.user_id = ${caller.id})`,
      ),
    );
  if (!row) throw notFound();
  return row;
}

/**
 * The venues a caller runs, from yesterday on (draft and cancelled sessions left out): staff see their
 * assignments, org admins every venue. Soonest first, so tonight's venue is at the top.
 */
export async function listVenuesToRun(db: DbOrTx, caller: VenueCaller, now = new Date()) {
  if (!mayRunVenues(caller)) throw forbidden();
  const admin = hasRole(caller, "org_admin");
  const since = new Date(now.getTime() - 86_400_000);
  const rows = await db
    .select({
      ...sessionVenueColumns,
      checkedIn: sql<number>`(select count(*)::int from ${attendanceRecords} a where a.session_venue_id = ${classSessionVenues.id} and a.status in ('present', 'late'))`,
      expected: sql<number>`(select count(*)::int from class_registrations r where r.session_id = ${classSessions.id} and r.venue_id = ${classSessionVenues.venueId} and r.status = 'registered')`,
    })
    .from(classSessionVenues)
    .innerJoin(classSessions, eq(classSessions.id, classSessionVenues.sessionId))
    .innerJoin(classVenues, eq(classVenues.id, classSessionVenues.venueId))
    .where(
      and(
        gte(classSessions.endsAt, since),
        inArray(classSessions.status, ["published", "closed"]),
        admin
          ? undefined
          : sql`exists (select 1 from ${classVenueStaff} st where st.session_venue_id = ${classSessionVenues.id} and st.user_id = ${caller.id})`,
      ),
    )
    .orderBy(classSessions.startsAt, classVenues.name)
    .limit(200);
  return rows.map((r) => ({
    ...r,
    live: r.status === "published" && r.startsAt.getTime() - 3_600_000 <= now.getTime() && now <= r.endsAt,
  }));
}

/** Checked in / expected / on leave at one session venue, and the latest arrivals. One round trip each. */
export async function venueCounts(db: DbOrTx, venue: Pick<SessionVenue, "sessionVenueId" | "sessionId" | "venueId">) {
  const [[counts], latest] = await Promise.all([
    db.execute<{ expected: number; on_leave: number; checked_in: number; late: number; here_enrolled: number }>(sql`
      select
        (select count(*)::int from class_registrations r
          where r.session_id = ${venue.sessionId} and r.venue_id = ${venue.venueId} and r.status = 'registered') as expected,
        (select count(*)::int from class_registrations r
          join class_leave_requests l on l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status = 'approved'
          where r.session_id = ${venue.sessionId} and r.venue_id = ${venue.venueId} and r.status = 'registered') as on_leave,
        (select count(*)::int from attendance_records a where a.session_venue_id = ${venue.sessionVenueId} and a.status in ('present', 'late')) as checked_in,
        (select count(*)::int from attendance_records a where a.session_venue_id = ${venue.sessionVenueId} and a.status = 'late') as late`),
    db
      .select({ name: cadres.name, status: attendanceRecords.status, at: attendanceRecords.checkedInAt })
      .from(attendanceRecords)
      .innerJoin(cadres, eq(cadres.id, attendanceRecords.cadreId))
      .where(and(eq(attendanceRecords.sessionVenueId, venue.sessionVenueId), inArray(attendanceRecords.status, ["present", "late"])))
      .orderBy(desc(attendanceRecords.checkedInAt), desc(attendanceRecords.id))
      .limit(8),
  ]);
  return {
    expected: Number(counts?.expected ?? 0),
    onLeave: Number(counts?.on_leave ?? 0),
    checkedIn: Number(counts?.checked_in ?? 0),
    late: Number(counts?.late ?? 0),
    latest: latest.map((l) => ({ name: l.name, status: l.status, at: l.at?.toISOString() ?? null })),
  };
}

export interface DisplayCode {
  token: string;
  url: string;
  window: number;
  period: number;
  /** When this code stops being accepted (the end of the next window). */
  expiresAt: string;
  /** When the display should fetch the next one (the start of the next window). */
  nextAt: string;
}

/** The code a venue display shows now. */
export function displayCode(
  key: Buffer,
  venue: Pick<SessionVenue, "sessionId" | "sessionVenueId">,
  origin: string,
  period: number,
  now = new Date(),
): DisplayCode {
  const window = windowOf(now, period);
  const token = signCheckInToken(key, { sessionId: venue.sessionId, sessionVenueId: venue.sessionVenueId, window, period });
  return {
    token,
    url: `${origin}/c/${token}`,
    window,
    period,
    expiresAt: windowExpiry(window, period).toISOString(),
    nextAt: new Date((window + 1) * period * 1000).toISOString(),
  };
}
