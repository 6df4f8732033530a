import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, classLeaveRequests, classRegistrations, classSessions, units } from "~db/schema";
import { audienceCondition } from "./enrolment.server";
import { listLeaveRequests } from "./leave.server";
import { type ClassCaller, findSessionByCode, sessionVenues } from "./sessions.server";

/** How far back a unit head can look at sessions on their page. */
const RECENT_DAYS = 60;
/** A unit head sees their own people; the organization department uses the session pages instead. */
const MAX_ROWS = 3000;

export type UnitCadreState = "registered" | "waitlisted" | "leave_pending" | "on_leave" | "not_registered" | "cancelled";

/**
 * A unit head's (or liaison's) view of one session: every cadre of their units who is in its audience
 * or registered, with place, waiting and leave. Scope is in the query: nobody outside it appears.
 */
export async function unitSessionView(db: DbOrTx, caller: ClassCaller, code: string | null, now = new Date()) {
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const sessions = await db
    .select({
      id: classSessions.id,
      code: classSessions.code,
      title: classSessions.title,
      startsAt: classSessions.startsAt,
      status: classSessions.status,
    })
    .from(classSessions)
    .where(and(inArray(classSessions.status, ["published", "closed"]), gt(classSessions.startsAt, since)))
    .orderBy(asc(classSessions.startsAt));
  const chosenCode = code ?? sessions.find((s) => s.startsAt > now)?.code ?? sessions.at(-1)?.code ?? null;
  if (!chosenCode) return { sessions, session: null, rows: [], counts: null, venues: [], pendingLeave: [] };
  const session = await findSessionByCode(db, chosenCode);
  if (session.status === "draft") throw notFound();

  const inAudience = await audienceCondition(db, session.audience);
  const scope = cadreScopeFilter({ ...caller.scope, cadreId: null });
  const rows = await db
    .select({
      cadreId: cadres.id,
      name: cadres.name,
      staffNo: cadres.staffNo,
      rank: cadres.rank,
      title: cadres.title,
      unitName: units.name,
      inAudience: sql<boolean>`(${inAudience})`,
      registrationStatus: classRegistrations.status,
      venueId: classRegistrations.venueId,
      waitlistVenueId: classRegistrations.waitlistVenueId,
      leaveId: classLeaveRequests.id,
      leaveStatus: classLeaveRequests.status,
      leaveReason: classLeaveRequests.reason,
    })
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .leftJoin(classRegistrations, and(eq(classRegistrations.sessionId, session.id), eq(classRegistrations.cadreId, cadres.id)))
    .leftJoin(
      classLeaveRequests,
      and(
        eq(classLeaveRequests.sessionId, session.id),
        eq(classLeaveRequests.cadreId, cadres.id),
        inArray(classLeaveRequests.status, ["pending", "approved"]),
      ),
    )
    .where(and(scope, eq(cadres.status, "active"), sql`(${inAudience} or ${classRegistrations.id} is not null)`))
    .orderBy(asc(units.code), desc(cadres.rank), asc(cadres.staffNo))
    .limit(MAX_ROWS);

  const venues = await sessionVenues(db, session.id);
  const venueName = new Map(venues.map((v) => [v.venueId, v.name]));
  const mandatory = session.audienceMandatory;
  const shaped = rows.map((r) => {
    const registered = r.registrationStatus === "registered";
    const state: UnitCadreState =
      r.leaveStatus === "approved"
        ? "on_leave"
        : r.leaveStatus === "pending"
          ? "leave_pending"
          : registered
            ? r.waitlistVenueId
              ? "waitlisted"
              : "registered"
            : r.registrationStatus === "cancelled"
              ? "cancelled"
              : "not_registered";
    return {
      ...r,
      state,
      mandatory: mandatory && r.inAudience,
      place: registered ? (r.venueId ? (venueName.get(r.venueId) ?? null) : "online") : null,
      waitlistVenueName: r.waitlistVenueId ? (venueName.get(r.waitlistVenueId) ?? null) : null,
    };
  });
  const counts = {
    total: shaped.length,
    registered: shaped.filter((r) => r.registrationStatus === "registered").length,
    waitlisted: shaped.filter((r) => r.state === "waitlisted").length,
    leavePending: shaped.filter((r) => r.state === "leave_pending").length,
    onLeave: shaped.filter((r) => r.state === "on_leave").length,
    notRegistered: shaped.filter((r) => r.registrationStatus !== "registered" && r.inAudience).length,
  };
  const pendingLeave = await listLeaveRequests(db, caller, { status: "pending", sessionId: session.id });
  return {
    sessions,
    session: {
      id: session.id,
      code: session.code,
      title: session.title,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      status: session.status,
      mandatory,
    },
    rows: shaped,
    counts,
    venues: venues.map((v) => ({ venueId: v.venueId, name: v.name })),
    pendingLeave,
  };
}
