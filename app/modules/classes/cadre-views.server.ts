import { and, asc, desc, eq, gt, inArray, lte, or } from "drizzle-orm";
import { attendanceStatusFor } from "~/modules/attendance/reports/history.server";
import { hasRole } from "~/modules/auth/roles";
import { forbidden, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { classCalendarFeeds, classLeaveRequests, classRegistrations, classSessions, classSessionVenues, classVenues } from "~db/schema";
import { cadreForClasses, cadreMaySee, findRegistration, liveLeave } from "./registration.server";
import { inAudience, leaveRequestProblem, mayRegister, registrationProblem, venueSeatsRank } from "./rules";
import { seatStates, waitlistPosition } from "./seats.server";
import { type ClassCaller, findSessionByCode } from "./sessions.server";

/**
 * What a cadre sees of night classes: the sessions open to them and their own registrations, leave and
 * history. Everything is looked up for the calling cadre; there is no way to ask about another.
 */

const PAST_LIMIT = 30;

export async function myClasses(db: DbOrTx, caller: ClassCaller, now = new Date()) {
  const links = {
    unit: hasRole(caller, "unit_head", "unit_liaison"),
    admin: hasRole(caller, "org_admin"),
  };
  if (!caller.cadreId) return { cadre: false as const, upcoming: [], past: [], feedToken: null, links };
  const cadre = await cadreForClasses(db, caller.cadreId);
  const [upcomingSessions, registrations, leaves, [feed]] = await Promise.all([
    db
      .select()
      .from(classSessions)
      .where(and(inArray(classSessions.status, ["published", "cancelled"]), gt(classSessions.endsAt, now)))
      .orderBy(asc(classSessions.startsAt)),
    db.select().from(classRegistrations).where(eq(classRegistrations.cadreId, cadre.id)),
    db
      .select()
      .from(classLeaveRequests)
      .where(and(eq(classLeaveRequests.cadreId, cadre.id), inArray(classLeaveRequests.status, ["pending", "approved"]))),
    db.select({ token: classCalendarFeeds.token }).from(classCalendarFeeds).where(eq(classCalendarFeeds.cadreId, cadre.id)),
  ]);
  const regBySession = new Map(registrations.map((r) => [r.sessionId, r]));
  const leaveBySession = new Map(leaves.map((l) => [l.sessionId, l]));
  const venueNames = await venueNamesFor(db, [...new Set(upcomingSessions.map((s) => s.id))]);

  const upcoming = upcomingSessions
    .filter((s) => {
      const reg = regBySession.get(s.id);
      // A cancelled session matters only to those who were enrolled in it.
      if (s.status === "cancelled") return reg?.status === "registered";
      return cadreMaySee(s, cadre, Boolean(reg));
    })
    .map((s) => {
      const reg = regBySession.get(s.id);
      const registered = reg?.status === "registered";
      return {
        code: s.code,
        title: s.title,
        lecturer: s.lecturer,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        status: s.status,
        mandatory: s.audienceMandatory && inAudience(s.audience, cadre),
        registered,
        venueName: registered && reg.venueId ? (venueNames.get(`${s.id}:${reg.venueId}`) ?? null) : null,
        waitlistVenueName: registered && reg.waitlistVenueId ? (venueNames.get(`${s.id}:${reg.waitlistVenueId}`) ?? null) : null,
        leaveStatus: leaveBySession.get(s.id)?.status ?? null,
        registrationOpen: registrationProblem(s, now) === null,
      };
    });

  // The past: sessions the cadre was enrolled in or excused from, with what attendance recorded.
  const pastIds = [
    ...new Set([...registrations.filter((r) => r.status === "registered").map((r) => r.sessionId), ...leaves.map((l) => l.sessionId)]),
  ];
  const pastSessions = pastIds.length
    ? await db
        .select()
        .from(classSessions)
        .where(and(inArray(classSessions.id, pastIds), or(lte(classSessions.endsAt, now), eq(classSessions.status, "closed"))))
        .orderBy(desc(classSessions.startsAt))
        .limit(PAST_LIMIT)
    : [];
  const pastVenueNames = await venueNamesFor(
    db,
    pastSessions.map((s) => s.id),
  );
  const attendance = await attendanceStatusFor(
    db,
    cadre.id,
    pastSessions.map((s) => s.id),
  );
  const past = pastSessions
    .filter((s) => s.status !== "cancelled" && s.status !== "draft")
    .map((s) => {
      const reg = regBySession.get(s.id);
      const leave = leaveBySession.get(s.id);
      return {
        code: s.code,
        title: s.title,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        status: s.status,
        trainingHours: s.trainingHours,
        venueName: reg?.venueId ? (pastVenueNames.get(`${s.id}:${reg.venueId}`) ?? null) : null,
        leaveStatus: leave?.status ?? null,
        /** null until the cadre checks in or the session closes. */
        attendance: attendance.get(s.id)?.status ?? null,
        /** Approved leave offers the replay as make-up study (补学) once the session is over. */
        makeUpUrl: leave?.status === "approved" ? s.replayUrl : null,
      };
    });
  return { cadre: true as const, upcoming, past, feedToken: feed?.token ?? null, links };
}

async function venueNamesFor(db: DbOrTx, sessionIds: number[]): Promise<Map<string, string>> {
  if (!sessionIds.length) return new Map();
  const rows = await db
    .select({ sessionId: classSessionVenues.sessionId, venueId: classSessionVenues.venueId, name: classVenues.name })
    .from(classSessionVenues)
    .innerJoin(classVenues, eq(classVenues.id, classSessionVenues.venueId))
    .where(inArray(classSessionVenues.sessionId, sessionIds));
  return new Map(rows.map((r) => [`${r.sessionId}:${r.venueId}`, r.name]));
}

/**
 * One session as the calling cadre sees it: the details, the places their rank may choose with the
 * seats left, their registration and waiting position, their leave, and what they may do now.
 */
export async function cadreSessionView(db: DbOrTx, caller: ClassCaller, code: string, now = new Date()) {
  if (!caller.cadreId) throw forbidden();
  const session = await findSessionByCode(db, code);
  const cadre = await cadreForClasses(db, caller.cadreId);
  const registration = await findRegistration(db, session.id, cadre.id);
  if (!cadreMaySee(session, cadre, registration !== null)) throw notFound();
  const [seats, leave, position] = await Promise.all([
    seatStates(db, session.id),
    liveLeave(db, session.id, cadre.id),
    registration?.waitlistVenueId ? waitlistPosition(db, session.id, registration.id) : Promise.resolve(null),
  ]);
  const [lastLeave] = leave
    ? [leave]
    : await db
        .select()
        .from(classLeaveRequests)
        .where(and(eq(classLeaveRequests.sessionId, session.id), eq(classLeaveRequests.cadreId, cadre.id)))
        .orderBy(desc(classLeaveRequests.id))
        .limit(1);
  const registered = registration?.status === "registered";
  const mandatory = session.audienceMandatory && inAudience(session.audience, cadre);
  const over = now >= session.endsAt || session.status === "closed";
  const registrationBlock =
    registrationProblem(session, now) ??
    (cadre.status !== "active" || !mayRegister(session, cadre) ? "classes.errors.notInAudience" : null);
  return {
    session: {
      code: session.code,
      title: session.title,
      lecturer: session.lecturer,
      lecturerAffiliation: session.lecturerAffiliation,
      topicTags: session.topicTags,
      description: session.description,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      registrationDeadline: session.registrationDeadline,
      trainingHours: session.trainingHours,
      status: session.status,
      cancelReason: session.cancelReason,
      // The live link is for those who are registered; the replay for the excused, after the evening.
      liveUrl: registered && !over ? session.liveUrl : null,
      materials: session.materials,
      replayUrl: over && lastLeave?.status === "approved" ? session.replayUrl : null,
    },
    rank: cadre.rank,
    mandatory,
    registration: registered
      ? {
          venueId: registration.venueId,
          venueName: seats.find((s) => s.venueId === registration.venueId)?.name ?? null,
          venueAddress: seats.find((s) => s.venueId === registration.venueId)?.address ?? null,
          waitlistVenueId: registration.waitlistVenueId,
          waitlistVenueName: seats.find((s) => s.venueId === registration.waitlistVenueId)?.name ?? null,
          position,
          source: registration.source,
        }
      : null,
    places: seats
      .filter((s) => venueSeatsRank(s, cadre.rank))
      .map((s) => ({ venueId: s.venueId, name: s.name, address: s.address, capacity: s.capacity, free: s.free, waiting: s.waiting })),
    otherVenues: seats.filter((s) => !venueSeatsRank(s, cadre.rank)).map((s) => ({ name: s.name, ranks: s.ranks })),
    leave: lastLeave
      ? {
          status: lastLeave.status,
          reason: lastLeave.reason,
          comment: lastLeave.decisionComment,
          decidedAt: lastLeave.decidedAt,
          requestedAt: lastLeave.createdAt,
        }
      : null,
    can: {
      register: registrationBlock === null,
      registrationBlock,
      cancel: registered && registrationBlock === null && !mandatory,
      askLeave: registered && !leave && leaveRequestProblem(session, now) === null,
      withdrawLeave: leave?.status === "pending",
    },
  };
}
