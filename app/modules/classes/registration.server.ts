import { and, eq, inArray, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { unitAncestry } from "~/modules/organization/tree.server";
import { forbidden, invalid, notFound } from "~/utils/errors";
import { linkOrigin } from "~/utils/origin.server";
import type { Database, DbOrTx } from "~db/client";
import { cadres, classLeaveRequests, classRegistrations } from "~db/schema";
import { classCalendar } from "./ics";
import { queueClassEmails, recipients, sessionLinks, sessionSummary } from "./notify.server";
import { type AudienceCadre, inAudience, mayRegister, registrationProblem, seatsMovable, venueSeatsRank } from "./rules";
import { promoteWaitlist, seatStates, waitlistPosition } from "./seats.server";
import { type ClassCaller, type ClassSessionRow, findSessionByCode, lockSession } from "./sessions.server";

/** online, or a venue id. */
export type SeatChoice = "online" | number;

export interface RegistrationOutcome {
  status: "registered" | "waitlisted" | "unchanged" | "cancelled";
  venueId: number | null;
  waitlistVenueId: number | null;
  position: number | null;
}

export interface ClassOptions {
  now?: Date;
  /** The request's origin, for links in emails when APP_ORIGIN is not set. */
  origin?: string;
}

/** A cadre as the audience rules need them. */
export async function cadreForClasses(db: DbOrTx, cadreId: number): Promise<AudienceCadre & { unitId: number }> {
  const [cadre] = await db
    .select({ id: cadres.id, rank: cadres.rank, status: cadres.status, unitId: cadres.unitId })
    .from(cadres)
    .where(eq(cadres.id, cadreId));
  if (!cadre) throw notFound();
  const ancestry = await unitAncestry(db, cadre.unitId);
  return { ...cadre, unitAncestry: ancestry.map((u) => u.id) };
}

/**
 * Whether a cadre may see a session at all: not a draft, and open to them or already theirs. Anything
 * else answers 404, exactly like a code that does not exist.
 */
export function cadreMaySee(session: ClassSessionRow, cadre: AudienceCadre, hasRegistration: boolean): boolean {
  if (session.status === "draft") return false;
  return hasRegistration || mayRegister(session, cadre);
}

export async function findRegistration(db: DbOrTx, sessionId: number, cadreId: number) {
  const [row] = await db
    .select()
    .from(classRegistrations)
    .where(and(eq(classRegistrations.sessionId, sessionId), eq(classRegistrations.cadreId, cadreId)));
  return row ?? null;
}

/** A cadre's live (pending or approved) leave request for a session, if any. */
export async function liveLeave(db: DbOrTx, sessionId: number, cadreId: number) {
  const [row] = await db
    .select()
    .from(classLeaveRequests)
    .where(
      and(
        eq(classLeaveRequests.sessionId, sessionId),
        eq(classLeaveRequests.cadreId, cadreId),
        inArray(classLeaveRequests.status, ["pending", "approved"]),
      ),
    );
  return row ?? null;
}

/** The session, locked, with the calling cadre and their registration; 404 when it is not theirs to see. */
async function lockedForCadre(tx: DbOrTx, caller: ClassCaller, code: string) {
  if (!caller.cadreId) throw forbidden();
  const found = await findSessionByCode(tx, code);
  await lockSession(tx, found.id);
  // Read again under the lock: the status or deadline may have changed while we waited.
  const session = await findSessionByCode(tx, code);
  const cadre = await cadreForClasses(tx, caller.cadreId);
  const registration = await findRegistration(tx, session.id, cadre.id);
  if (!cadreMaySee(session, cadre, registration !== null)) throw notFound();
  return { session, cadre, registration };
}

/**
 * Registers the calling cadre (only ever themselves) online or at a venue their rank may use, or moves
 * them. A full venue puts them on its waitlist while they keep their current place (online at worst).
 * Choosing what they already have changes nothing, so a double click or a retry is harmless.
 */
export async function registerForSession(
  db: Database,
  caller: ClassCaller,
  code: string,
  choice: SeatChoice,
  options: ClassOptions = {},
): Promise<RegistrationOutcome> {
  const now = options.now ?? new Date();
  const actor: Actor = { userId: caller.id };
  const outcome = await db.transaction(async (tx) => {
    const { session, cadre, registration } = await lockedForCadre(tx, caller, code);
    const problem = registrationProblem(session, now);
    if (problem) throw invalid(problem, "form");
    if (cadre.status !== "active" || !mayRegister(session, cadre)) throw invalid("classes.errors.notInAudience", "form");

    const seats = await seatStates(tx, session.id);
    const venue = choice === "online" ? null : seats.find((s) => s.venueId === choice);
    if (choice !== "online" && !venue) throw invalid("classes.errors.unknownVenue", "choice");
    if (venue && !venueSeatsRank(venue, cadre.rank)) throw invalid("classes.errors.venueNotForRank", "choice");
    // An excused cadre's seat was given back; taking one again would seat someone nobody expects.
    if (venue && (await liveLeave(tx, session.id, cadre.id))?.status === "approved") throw invalid("classes.errors.onLeave", "choice");

    const active = registration?.status === "registered" ? registration : null;
    const current = { venueId: active?.venueId ?? null, waitlistVenueId: active?.waitlistVenueId ?? null };
    let next: { venueId: number | null; waitlistVenueId: number | null };
    if (!venue) next = { venueId: null, waitlistVenueId: null };
    else if (current.venueId === venue.venueId) next = { venueId: venue.venueId, waitlistVenueId: null };
    else if (current.waitlistVenueId === venue.venueId) next = current;
    // The cadre's own place is not one of the free seats they could take, so `free` is right as it is.
    else if (venue.free > 0) next = { venueId: venue.venueId, waitlistVenueId: null };
    else next = { venueId: current.venueId, waitlistVenueId: venue.venueId };

    if (active && next.venueId === current.venueId && next.waitlistVenueId === current.waitlistVenueId) {
      const position = active.waitlistVenueId ? await waitlistPosition(tx, session.id, active.id) : null;
      return { status: "unchanged", ...next, position } satisfies RegistrationOutcome;
    }

    const joinsWaitlist = next.waitlistVenueId !== null && next.waitlistVenueId !== current.waitlistVenueId;
    const values = {
      status: "registered" as const,
      venueId: next.venueId,
      waitlistVenueId: next.waitlistVenueId,
      // The database clock, read under the lock, orders the line.
      waitlistedAt: next.waitlistVenueId === null ? null : joinsWaitlist ? sql`clock_timestamp()` : active!.waitlistedAt,
      cancelledAt: null,
      ...(active ? {} : { registeredAt: now }),
    };
    const [saved] = registration
      ? await tx.update(classRegistrations).set(values).where(eq(classRegistrations.id, registration.id)).returning()
      : await tx
          .insert(classRegistrations)
          .values({ sessionId: session.id, cadreId: cadre.id, source: "self", ...values })
          .returning();
    const position = saved!.waitlistVenueId ? await waitlistPosition(tx, session.id, saved!.id) : null;
    await audit(tx, actor, {
      action: !active ? "class.registration.registered" : joinsWaitlist ? "class.registration.waitlisted" : "class.registration.changed",
      entityType: "class_registration",
      entityId: saved!.id,
      before: active ? current : null,
      after: { sessionId: session.id, cadreId: cadre.id, ...next, position },
    });
    if (current.venueId !== null && current.venueId !== next.venueId) await promoteWaitlist(tx, session, actor, options);

    const people = await recipients(tx, [cadre.id]);
    const recipient = people.get(cadre.id);
    if (recipient) {
      const links = sessionLinks(linkOrigin(options.origin), session.code);
      const seat = next.venueId === null ? null : (seats.find((s) => s.venueId === next.venueId) ?? null);
      const waitVenue = next.waitlistVenueId === null ? null : (seats.find((s) => s.venueId === next.waitlistVenueId) ?? null);
      await queueClassEmails(tx, "class-registration", [
        {
          recipient,
          key: `class-registration/${saved!.id}/${saved!.updatedAt.getTime()}`,
          props: {
            session: sessionSummary(session, seat),
            waitlist: waitVenue ? { venueName: waitVenue.name, position: position ?? 1 } : null,
            deadline: session.registrationDeadline.toISOString(),
            sessionUrl: links.sessionUrl,
            icsUrl: links.icsUrl,
          },
          // The event itself, so one tap puts it in the phone's calendar.
          attachments: [
            {
              filename: `${session.code}.ics`,
              contentType: "text/calendar; charset=utf-8",
              content: Buffer.from(
                classCalendar(session.title, [{ ...session, place: seat?.name ?? null, url: links.sessionUrl }], { method: "publish" }),
              ).toString("base64"),
            },
          ],
        },
      ]);
    }
    return {
      status: next.waitlistVenueId !== null && joinsWaitlist ? "waitlisted" : "registered",
      ...next,
      position,
    } satisfies RegistrationOutcome;
  });
  nudgeOutbox();
  return outcome;
}

/** Leaves the waitlist and keeps the current place. */
export async function leaveWaitlist(
  db: Database,
  caller: ClassCaller,
  code: string,
  options: ClassOptions = {},
): Promise<RegistrationOutcome> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const { session, registration } = await lockedForCadre(tx, caller, code);
    if (registration?.status !== "registered" || !registration.waitlistVenueId) {
      return { status: "unchanged", venueId: registration?.venueId ?? null, waitlistVenueId: null, position: null };
    }
    if (!seatsMovable(session, now)) throw invalid(registrationProblem(session, now) ?? "classes.errors.alreadyStarted", "form");
    await tx
      .update(classRegistrations)
      .set({ waitlistVenueId: null, waitlistedAt: null })
      .where(eq(classRegistrations.id, registration.id));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "class.registration.waitlist_left",
        entityType: "class_registration",
        entityId: registration.id,
        before: { waitlistVenueId: registration.waitlistVenueId },
        after: { waitlistVenueId: null },
      },
    );
    // Leaving a line can only ever let the next one in it closer; nobody is promoted by it alone.
    return { status: "registered", venueId: registration.venueId, waitlistVenueId: null, position: null };
  });
}

/**
 * Cancels the calling cadre's own registration before the deadline. The mandatory audience cannot
 * cancel, only ask for leave: otherwise cancelling would be a way out of an absence.
 */
export async function cancelRegistration(
  db: Database,
  caller: ClassCaller,
  code: string,
  options: ClassOptions = {},
): Promise<RegistrationOutcome> {
  const now = options.now ?? new Date();
  const actor: Actor = { userId: caller.id };
  const outcome = await db.transaction(async (tx) => {
    const { session, cadre, registration } = await lockedForCadre(tx, caller, code);
    if (registration?.status !== "registered") {
      return { status: "unchanged", venueId: null, waitlistVenueId: null, position: null } satisfies RegistrationOutcome;
    }
    const problem = registrationProblem(session, now);
    if (problem) throw invalid(problem, "form");
    if (session.audienceMandatory && inAudience(session.audience, cadre)) throw invalid("classes.errors.mandatoryNoCancel", "form");
    await tx
      .update(classRegistrations)
      .set({ status: "cancelled", venueId: null, waitlistVenueId: null, waitlistedAt: null, cancelledAt: now })
      .where(eq(classRegistrations.id, registration.id));
    // A leave request for a registration that no longer exists has nothing left to decide.
    const leave = await liveLeave(tx, session.id, cadre.id);
    if (leave?.status === "pending")
      await tx.update(classLeaveRequests).set({ status: "withdrawn" }).where(eq(classLeaveRequests.id, leave.id));
    await audit(tx, actor, {
      action: "class.registration.cancelled",
      entityType: "class_registration",
      entityId: registration.id,
      before: { venueId: registration.venueId, waitlistVenueId: registration.waitlistVenueId },
      after: { status: "cancelled" },
    });
    if (registration.venueId !== null) await promoteWaitlist(tx, session, actor, options);
    return { status: "cancelled", venueId: null, waitlistVenueId: null, position: null } satisfies RegistrationOutcome;
  });
  nudgeOutbox();
  return outcome;
}
