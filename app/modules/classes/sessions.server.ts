import { and, asc, count, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { CurrentUser } from "~/modules/auth/roles";
import { shanghaiYear, yearBounds } from "~/utils/dates";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { classLeaveRequests, classRegistrations, classSeries, classSessions, classSessionVenues, classVenues } from "~db/schema";
import type { ClassSessionStatus } from "~db/schema/classes";

/** Who is asking, as the night-class services need it: roles for writes, scope for reads, the cadre for their own. */
export type ClassCaller = Pick<CurrentUser, "id" | "roles" | "scope" | "cadreId">;

/**
 * Every change to a session's seats (registering, moving, cancelling, leave, enrolment, promotion) runs
 * under this lock, one at a time per session. Counting free seats and taking one is then a single
 * step: no overbooking however many cadres click at once. An advisory lock blocks nobody who only
 * reads the session or checks a foreign key to it.
 */
export async function lockSession(tx: DbOrTx, sessionId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:class-session'), ${sessionId})`);
}

export type ClassSessionRow = typeof classSessions.$inferSelect;

export async function findSessionByCode(db: DbOrTx, code: string): Promise<ClassSessionRow> {
  const [session] = await db.select().from(classSessions).where(eq(classSessions.code, code));
  if (!session) throw notFound();
  return session;
}

export async function findSessionById(db: DbOrTx, id: number): Promise<ClassSessionRow> {
  const [session] = await db.select().from(classSessions).where(eq(classSessions.id, id));
  if (!session) throw notFound();
  return session;
}

/** A session's venues in the order they were added (the order mandatory enrolment fills them). */
export async function sessionVenues(db: DbOrTx, sessionId: number) {
  return db
    .select({
      id: classSessionVenues.id,
      venueId: classSessionVenues.venueId,
      name: classVenues.name,
      address: classVenues.address,
      capacity: classSessionVenues.capacity,
      ranks: classSessionVenues.ranks,
    })
    .from(classSessionVenues)
    .innerJoin(classVenues, eq(classVenues.id, classSessionVenues.venueId))
    .where(eq(classSessionVenues.sessionId, sessionId))
    .orderBy(asc(classSessionVenues.id));
}

export interface SessionListFilter {
  year?: number;
  status?: ClassSessionStatus;
}

/** The organization department's list: every session of a year with its figures. */
export async function listSessions(db: DbOrTx, filter: SessionListFilter) {
  const year = filter.year ?? shanghaiYear();
  const { from, to } = yearBounds(year);
  const rows = await db
    .select({
      id: classSessions.id,
      code: classSessions.code,
      title: classSessions.title,
      lecturer: classSessions.lecturer,
      startsAt: classSessions.startsAt,
      endsAt: classSessions.endsAt,
      status: classSessions.status,
      seriesId: classSessions.seriesId,
      seriesTitle: classSeries.title,
      audienceMandatory: classSessions.audienceMandatory,
      trainingHours: classSessions.trainingHours,
    })
    .from(classSessions)
    .leftJoin(classSeries, eq(classSeries.id, classSessions.seriesId))
    .where(
      and(
        gte(classSessions.startsAt, from),
        lt(classSessions.startsAt, to),
        filter.status ? eq(classSessions.status, filter.status) : undefined,
      ),
    )
    .orderBy(asc(classSessions.startsAt));
  const ids = rows.map((r) => r.id);
  const counts = ids.length ? await registrationCounts(db, ids) : new Map<number, RegistrationCounts>();
  return {
    year,
    sessions: rows.map((r) => ({ ...r, counts: counts.get(r.id) ?? EMPTY_COUNTS })),
  };
}

export interface RegistrationCounts {
  registered: number;
  waitlisted: number;
  leavePending: number;
  leaveApproved: number;
}

const EMPTY_COUNTS: RegistrationCounts = { registered: 0, waitlisted: 0, leavePending: 0, leaveApproved: 0 };

/** Registered, waiting and leave per session, in two grouped queries. */
export async function registrationCounts(db: DbOrTx, sessionIds: number[]): Promise<Map<number, RegistrationCounts>> {
  const [regs, leaves] = await Promise.all([
    db
      .select({
        sessionId: classRegistrations.sessionId,
        registered: sql<number>`count(*) filter (where ${classRegistrations.status} = 'registered')::int`,
        waitlisted: sql<number>`count(*) filter (where ${classRegistrations.waitlistVenueId} is not null)::int`,
      })
      .from(classRegistrations)
      .where(inArray(classRegistrations.sessionId, sessionIds))
      .groupBy(classRegistrations.sessionId),
    db
      .select({ sessionId: classLeaveRequests.sessionId, status: classLeaveRequests.status, n: count() })
      .from(classLeaveRequests)
      .where(and(inArray(classLeaveRequests.sessionId, sessionIds), inArray(classLeaveRequests.status, ["pending", "approved"])))
      .groupBy(classLeaveRequests.sessionId, classLeaveRequests.status),
  ]);
  const out = new Map<number, RegistrationCounts>();
  for (const r of regs) out.set(r.sessionId, { ...EMPTY_COUNTS, registered: r.registered, waitlisted: r.waitlisted });
  for (const l of leaves) {
    const c = out.get(l.sessionId) ?? { ...EMPTY_COUNTS };
    if (l.status === "pending") c.leavePending = l.n;
    else c.leaveApproved = l.n;
    out.set(l.sessionId, c);
  }
  return out;
}

/** The years that have sessions, newest first, for the year filter. */
export async function sessionYears(db: DbOrTx): Promise<number[]> {
  const rows = await db.execute<{ year: number }>(sql`
    select distinct extract(year from ${classSessions.startsAt} at time zone 'Asia/Shanghai')::int as year
    from ${classSessions} order by 1 desc`);
  return rows.map((r) => Number(r.year));
}

export async function listSeries(db: DbOrTx) {
  return db
    .select({
      id: classSeries.id,
      title: classSeries.title,
      startDate: classSeries.startDate,
      endDate: classSeries.endDate,
      startTime: classSeries.startTime,
      endTime: classSeries.endTime,
      sessions: sql<number>`(select count(*)::int from ${classSessions} s where s.series_id = "class_series"."id")`,
      published: sql<number>`(select count(*)::int from ${classSessions} s where s.series_id = "class_series"."id" and s.status = 'published')`,
    })
    .from(classSeries)
    .orderBy(desc(classSeries.startDate));
}

/** The organization department's landing page: series, and one year's sessions with their figures. */
export async function classesOverview(db: DbOrTx, filter: SessionListFilter) {
  const [list, years, series] = await Promise.all([listSessions(db, filter), sessionYears(db), listSeries(db)]);
  return { ...list, years, series };
}
