import { and, asc, eq, or, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { shanghaiDateOf, shanghaiInstant, shanghaiLocalInput, shanghaiTimeOf } from "~/utils/dates";
import { conflict, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, classRegistrations, classSessions, classSessionVenues, classVenueStaff, classVenues, users } from "~db/schema";
import type { Rank } from "~db/schema/enums";
import { audienceFormValues, resolveAudienceInput } from "./audience-input.server";
import { syncEnrolments } from "./enrolment.server";
import type { SessionFormInput } from "./schema";
import { promoteWaitlist, seatStates } from "./seats.server";
import { type ClassSessionRow, findSessionByCode, findSessionById, lockSession } from "./sessions.server";

/** Changes to a session run like seat changes: locked, re-read, audited, in one transaction. */
async function withLockedSession<T>(db: Database, code: string, work: (tx: DbOrTx, session: ClassSessionRow) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const found = await findSessionByCode(tx, code);
    await lockSession(tx, found.id);
    return work(tx, await findSessionById(tx, found.id));
  });
}

/** What the edit page needs: the session as form values, its venues with staff, and venues to add. */
export async function sessionEditForm(db: DbOrTx, code: string) {
  const session = await findSessionByCode(db, code);
  const [seats, allVenues, staff, audience] = await Promise.all([
    seatStates(db, session.id),
    db
      .select({ id: classVenues.id, name: classVenues.name, capacity: classVenues.capacity, ranks: classVenues.ranks })
      .from(classVenues)
      .where(eq(classVenues.active, true))
      .orderBy(asc(classVenues.name)),
    db
      .select({
        venueId: classSessionVenues.venueId,
        userId: users.id,
        name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '')`,
      })
      .from(classVenueStaff)
      .innerJoin(classSessionVenues, eq(classSessionVenues.id, classVenueStaff.sessionVenueId))
      .innerJoin(users, eq(users.id, classVenueStaff.userId))
      .leftJoin(cadres, eq(cadres.id, users.cadreId))
      .where(eq(classSessionVenues.sessionId, session.id)),
    audienceFormValues(db, session.audience),
  ]);
  return {
    session,
    values: {
      date: shanghaiDateOf(session.startsAt),
      startTime: shanghaiTimeOf(session.startsAt),
      endTime: shanghaiTimeOf(session.endsAt),
      registrationDeadline: shanghaiLocalInput(session.registrationDeadline),
      topicTags: session.topicTags.join("、"),
      materials: session.materials.map((m) => (m.label && m.label !== m.url ? `${m.label} | ${m.url}` : m.url)).join("\n"),
      ...audience,
    },
    venues: seats.map((s) => ({ ...s, staff: staff.filter((x) => x.venueId === s.venueId) })),
    otherVenues: allVenues.filter((v) => !seats.some((s) => s.venueId === v.id)),
  };
}

/**
 * Saves a session's details and audience. A cancelled session is history; a closed one keeps its time
 * (attendance hangs on it) but still takes replay and materials. A new time bumps the revision, so
 * calendars replace the event. A published session's enrolment follows a changed audience at once.
 */
export async function updateSession(
  db: Database,
  actor: Actor,
  code: string,
  input: SessionFormInput,
  options: { now?: Date; origin?: string } = {},
) {
  const now = options.now ?? new Date();
  return withLockedSession(db, code, async (tx, session) => {
    if (session.status === "cancelled") throw invalid("classes.errors.notEditable", "form");
    const startsAt = shanghaiInstant(input.date, input.startTime);
    const endsAt = shanghaiInstant(input.date, input.endTime);
    const moved = startsAt.getTime() !== session.startsAt.getTime() || endsAt.getTime() !== session.endsAt.getTime();
    if (moved && session.status === "closed") throw invalid("classes.errors.closedTime", "date");
    if (moved && session.status === "published" && startsAt <= now) throw invalid("classes.errors.moveIntoPast", "date");
    const audience = await resolveAudienceInput(tx, input);
    const changes = {
      title: input.title,
      lecturer: input.lecturer ?? "",
      lecturerAffiliation: input.lecturerAffiliation ?? "",
      topicTags: input.topicTags,
      description: input.description ?? "",
      startsAt,
      endsAt,
      registrationDeadline: input.registrationDeadline,
      liveUrl: input.liveUrl,
      replayUrl: input.replayUrl,
      materials: input.materials,
      trainingHours: input.trainingHours,
      audience,
      audienceMandatory: input.audienceMandatory,
      openRegistration: input.openRegistration,
      revision: moved ? session.revision + 1 : session.revision,
    };
    const [updated] = await tx.update(classSessions).set(changes).where(eq(classSessions.id, session.id)).returning();
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, session[k as keyof typeof session]]));
    await audit(tx, actor, { action: "class.session.updated", entityType: "class_session", entityId: session.id, before, after: changes });
    if (updated!.status === "published") await syncEnrolments(tx, updated!, actor, { now, origin: options.origin });
    return updated!;
  });
}

function assertOpen(session: ClassSessionRow) {
  if (session.status === "closed" || session.status === "cancelled") throw invalid("classes.errors.notEditable", "form");
}

export async function addSessionVenue(
  db: Database,
  actor: Actor,
  code: string,
  input: { venueId: number; capacity: number; ranks: Rank[] },
) {
  return withLockedSession(db, code, async (tx, session) => {
    assertOpen(session);
    const [venue] = await tx.select({ id: classVenues.id }).from(classVenues).where(eq(classVenues.id, input.venueId));
    if (!venue) throw invalid("validation.invalid", "venueId");
    const [added] = await tx
      .insert(classSessionVenues)
      .values({ sessionId: session.id, venueId: input.venueId, capacity: input.capacity, ranks: input.ranks })
      .onConflictDoNothing()
      .returning({ id: classSessionVenues.id });
    if (!added) return;
    await audit(tx, actor, { action: "class.venue.added", entityType: "class_session", entityId: session.id, after: input });
  });
}

/** New capacity or tiers. Fewer seats than are taken is refused: nobody loses a seat they were given. */
export async function updateSessionVenue(
  db: Database,
  actor: Actor,
  code: string,
  input: { venueId: number; capacity: number; ranks: Rank[] },
  options: { origin?: string } = {},
) {
  return withLockedSession(db, code, async (tx, session) => {
    assertOpen(session);
    const seat = (await seatStates(tx, session.id)).find((s) => s.venueId === input.venueId);
    if (!seat) throw notFound();
    if (input.capacity < seat.occupied) throw invalid("classes.errors.capacityBelowTaken", "capacity", { taken: seat.occupied });
    await tx
      .update(classSessionVenues)
      .set({ capacity: input.capacity, ranks: input.ranks })
      .where(and(eq(classSessionVenues.sessionId, session.id), eq(classSessionVenues.venueId, input.venueId)));
    await audit(tx, actor, {
      action: "class.venue.updated",
      entityType: "class_session",
      entityId: session.id,
      before: { venueId: seat.venueId, capacity: seat.capacity, ranks: seat.ranks },
      after: input,
    });
    if (input.capacity > seat.capacity) await promoteWaitlist(tx, session, actor, options);
  });
}

/** Only a venue nobody sits at or waits for can go; people are never moved without being asked. */
export async function removeSessionVenue(db: Database, actor: Actor, code: string, venueId: number) {
  return withLockedSession(db, code, async (tx, session) => {
    assertOpen(session);
    const [used] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(classRegistrations)
      .where(
        and(
          eq(classRegistrations.sessionId, session.id),
          or(eq(classRegistrations.venueId, venueId), eq(classRegistrations.waitlistVenueId, venueId)),
        ),
      );
    if ((used?.n ?? 0) > 0) throw conflict("classes.errors.venueInUse", "form");
    const removed = await tx
      .delete(classSessionVenues)
      .where(and(eq(classSessionVenues.sessionId, session.id), eq(classSessionVenues.venueId, venueId)))
      .returning({ id: classSessionVenues.id });
    if (removed.length)
      await audit(tx, actor, { action: "class.venue.removed", entityType: "class_session", entityId: session.id, before: { venueId } });
  });
}

/** Venue staff by their sign-in email or staff number. */
export async function addVenueStaff(db: Database, actor: Actor, code: string, venueId: number, identifier: string) {
  return withLockedSession(db, code, async (tx, session) => {
    const key = identifier.trim().toLowerCase();
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .leftJoin(cadres, eq(cadres.id, users.cadreId))
      .where(or(sql`lower(${users.email}) = ${key}`, sql`lower(${cadres.email}) = ${key}`, sql`lower(${cadres.staffNo}) = ${key}`));
    if (!user) throw invalid("classes.errors.unknownAccount", "identifier", { value: identifier });
    const [sv] = await tx
      .select({ id: classSessionVenues.id })
      .from(classSessionVenues)
      .where(and(eq(classSessionVenues.sessionId, session.id), eq(classSessionVenues.venueId, venueId)));
    if (!sv) throw notFound();
    const added = await tx.insert(classVenueStaff).values({ sessionVenueId: sv.id, userId: user.id }).onConflictDoNothing().returning();
    if (added.length) {
      await audit(tx, actor, {
        action: "class.venue.staff_added",
        entityType: "class_session",
        entityId: session.id,
        after: { venueId, userId: user.id },
      });
    }
  });
}

export async function removeVenueStaff(db: Database, actor: Actor, code: string, venueId: number, userId: number) {
  return withLockedSession(db, code, async (tx, session) => {
    const [sv] = await tx
      .select({ id: classSessionVenues.id })
      .from(classSessionVenues)
      .where(and(eq(classSessionVenues.sessionId, session.id), eq(classSessionVenues.venueId, venueId)));
    if (!sv) throw notFound();
    const removed = await tx
      .delete(classVenueStaff)
      .where(and(eq(classVenueStaff.sessionVenueId, sv.id), eq(classVenueStaff.userId, userId)))
      .returning();
    if (removed.length) {
      await audit(tx, actor, {
        action: "class.venue.staff_removed",
        entityType: "class_session",
        entityId: session.id,
        before: { venueId, userId },
      });
    }
  });
}
