import { and, asc, desc, eq, ilike, isNotNull, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { escapeLike } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, classLeaveRequests, classRegistrations, classSeries, classVenues, units } from "~db/schema";
import { audienceCondition } from "./enrolment.server";
import { ROSTER_PAGE_SIZE, type RosterFilter } from "./schema";
import { seatStates } from "./seats.server";
import { findSessionByCode } from "./sessions.server";

/**
 * The organization department's view of one session: figures per venue and online (registered, of
 * them on leave, waiting), the mandatory audience not yet registered, and the roster behind them.
 */
export async function adminSessionView(db: DbOrTx, code: string, filter: RosterFilter) {
  const session = await findSessionByCode(db, code);
  const [seats, series, perPlace, [audience], roster] = await Promise.all([
    seatStates(db, session.id),
    session.seriesId
      ? db.select({ id: classSeries.id, title: classSeries.title }).from(classSeries).where(eq(classSeries.id, session.seriesId))
      : Promise.resolve([]),
    db.execute<{ venue_id: number | null; registered: number; on_leave: number; leave_pending: number }>(sql`
      select r.venue_id,
        count(*)::int as registered,
        count(*) filter (where l.status = 'approved')::int as on_leave,
        count(*) filter (where l.status = 'pending')::int as leave_pending
      from class_registrations r
      left join class_leave_requests l on l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status in ('pending', 'approved')
      where r.session_id = ${session.id} and r.status = 'registered'
      group by r.venue_id`),
    session.audienceMandatory
      ? db
          .select({
            total: sql<number>`count(*)::int`,
            missing: sql<number>`count(*) filter (where not exists (
              select 1 from class_registrations r where r.session_id = ${session.id} and r.cadre_id = "cadres"."id" and r.status = 'registered'))::int`,
          })
          .from(cadres)
          .where(await audienceCondition(db, session.audience))
      : Promise.resolve([null]),
    sessionRoster(db, session.id, filter),
  ]);
  const byPlace = new Map(perPlace.map((p) => [p.venue_id === null ? null : Number(p.venue_id), p]));
  const online = byPlace.get(null);
  const places = [
    ...seats.map((s) => ({
      venueId: s.venueId as number | null,
      name: s.name,
      capacity: s.capacity as number | null,
      ranks: s.ranks,
      registered: Number(byPlace.get(s.venueId)?.registered ?? 0),
      onLeave: Number(byPlace.get(s.venueId)?.on_leave ?? 0),
      leavePending: Number(byPlace.get(s.venueId)?.leave_pending ?? 0),
      waitlisted: s.waiting,
      free: s.free,
    })),
    {
      venueId: null,
      name: null,
      capacity: null,
      ranks: [],
      registered: Number(online?.registered ?? 0),
      onLeave: Number(online?.on_leave ?? 0),
      leavePending: Number(online?.leave_pending ?? 0),
      waitlisted: 0,
      free: null,
    },
  ];
  const totals = places.reduce(
    (acc, p) => ({
      registered: acc.registered + p.registered,
      onLeave: acc.onLeave + p.onLeave,
      leavePending: acc.leavePending + p.leavePending,
      waitlisted: acc.waitlisted + p.waitlisted,
    }),
    { registered: 0, onLeave: 0, leavePending: 0, waitlisted: 0 },
  );
  return {
    session,
    series: series[0] ?? null,
    places,
    totals,
    audience: audience ? { total: audience.total, notRegistered: audience.missing } : null,
    roster,
  };
}

const waitVenues = alias(classVenues, "wait_venues");

function rosterWhere(sessionId: number, filter: Omit<RosterFilter, "page">): SQL {
  const where: (SQL | undefined)[] = [eq(classRegistrations.sessionId, sessionId)];
  const v = filter.venue;
  if (v === "cancelled") where.push(eq(classRegistrations.status, "cancelled"));
  else {
    where.push(eq(classRegistrations.status, "registered"));
    if (v === "online") where.push(isNull(classRegistrations.venueId));
    else if (v === "waitlist") where.push(isNotNull(classRegistrations.waitlistVenueId));
    else if (v === "leave") where.push(isNotNull(classLeaveRequests.id));
    else if (typeof v === "number") where.push(eq(classRegistrations.venueId, v));
  }
  if (filter.q) {
    const term = `%${escapeLike(filter.q)}%`;
    where.push(or(ilike(cadres.name, term), ilike(cadres.staffNo, term), ilike(units.name, term)));
  }
  return and(...where)!;
}

/** The registrations behind the figures, one row per cadre: what the roster page and the export show. */
export function rosterQuery(db: DbOrTx, sessionId: number, filter: Omit<RosterFilter, "page">) {
  return db
    .select({
      registrationId: classRegistrations.id,
      cadreId: cadres.id,
      staffNo: cadres.staffNo,
      name: cadres.name,
      rank: cadres.rank,
      title: cadres.title,
      unitName: units.name,
      status: classRegistrations.status,
      source: classRegistrations.source,
      venueName: classVenues.name,
      waitlistVenueName: waitVenues.name,
      waitlistedAt: classRegistrations.waitlistedAt,
      registeredAt: classRegistrations.registeredAt,
      leaveStatus: classLeaveRequests.status,
    })
    .from(classRegistrations)
    .innerJoin(cadres, eq(cadres.id, classRegistrations.cadreId))
    .innerJoin(units, eq(units.id, cadres.unitId))
    .leftJoin(classVenues, eq(classVenues.id, classRegistrations.venueId))
    .leftJoin(waitVenues, eq(waitVenues.id, classRegistrations.waitlistVenueId))
    .leftJoin(
      classLeaveRequests,
      and(
        eq(classLeaveRequests.sessionId, classRegistrations.sessionId),
        eq(classLeaveRequests.cadreId, classRegistrations.cadreId),
        ne(classLeaveRequests.status, "withdrawn"),
        ne(classLeaveRequests.status, "refused"),
      ),
    )
    .where(rosterWhere(sessionId, filter))
    .orderBy(sql`${classVenues.name} asc nulls last`, asc(units.code), desc(cadres.rank), asc(cadres.staffNo));
}

async function sessionRoster(db: DbOrTx, sessionId: number, filter: RosterFilter) {
  const rows = await rosterQuery(db, sessionId, filter)
    .limit(ROSTER_PAGE_SIZE + 1)
    .offset((filter.page - 1) * ROSTER_PAGE_SIZE);
  return { rows: rows.slice(0, ROSTER_PAGE_SIZE), hasMore: rows.length > ROSTER_PAGE_SIZE, page: filter.page };
}
