import { and, eq, isNotNull, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { linkOrigin } from "~/utils/origin.server";
import type { DbOrTx } from "~db/client";
import { classRegistrations } from "~db/schema";
import { queueClassEmails, recipients, sessionLinks, sessionSummary } from "./notify.server";
import { planPromotions, seatsMovable } from "./rules";
import { type ClassSessionRow, sessionVenues } from "./sessions.server";

/**
 * Seats of one session: for each venue its capacity, the places taken and the ranks it seats. A place
 * is taken by a registered cadre without approved leave: approving leave gives the seat back.
 * Call under lockSession when the answer decides a write.
 */
export async function seatStates(db: DbOrTx, sessionId: number) {
  const venues = await sessionVenues(db, sessionId);
  const rows = await db.execute<{ venue_id: number; occupied: number; waiting: number }>(sql`
    select v.venue_id,
      (select count(*) from class_registrations r
        where r.session_id = v.session_id and r.venue_id = v.venue_id and r.status = 'registered'
          and not exists (select 1 from class_leave_requests l
                          where l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status = 'approved'))::int as occupied,
      (select count(*) from class_registrations r
        where r.session_id = v.session_id and r.waitlist_venue_id = v.venue_id)::int as waiting
    from class_session_venues v where v.session_id = ${sessionId}`);
  const byVenue = new Map(rows.map((r) => [Number(r.venue_id), r]));
  return venues.map((v) => {
    const counts = byVenue.get(v.venueId);
    const occupied = Number(counts?.occupied ?? 0);
    return { ...v, occupied, waiting: Number(counts?.waiting ?? 0), free: Math.max(0, v.capacity - occupied) };
  });
}
export type SeatStateRow = Awaited<ReturnType<typeof seatStates>>[number];

/** A cadre's place in the line for a venue (1 = next). */
export async function waitlistPosition(db: DbOrTx, sessionId: number, registrationId: number): Promise<number | null> {
  const [row] = await db.execute<{ position: number | null }>(sql`
    select (select count(*) from class_registrations o
            where o.session_id = r.session_id and o.waitlist_venue_id = r.waitlist_venue_id
              and (o.waitlisted_at, o.id) <= (r.waitlisted_at, r.id))::int as position
    from class_registrations r where r.id = ${registrationId} and r.session_id = ${sessionId} and r.waitlist_venue_id is not null`);
  return row?.position == null ? null : Number(row.position);
}

/**
 * Gives free seats to the first in line, cascading when a promoted cadre leaves a seat elsewhere, and
 * tells each one by email. Under lockSession; a no-op once the session has started or is not published.
 */
export async function promoteWaitlist(
  tx: DbOrTx,
  session: ClassSessionRow,
  actor: Actor,
  options: { now?: Date; origin?: string } = {},
): Promise<number> {
  if (!seatsMovable(session, options.now ?? new Date())) return 0;
  const seats = await seatStates(tx, session.id);
  const waiting = await tx
    .select({
      registrationId: classRegistrations.id,
      cadreId: classRegistrations.cadreId,
      currentVenueId: classRegistrations.venueId,
      waitVenueId: classRegistrations.waitlistVenueId,
      waitlistedAt: classRegistrations.waitlistedAt,
    })
    .from(classRegistrations)
    .where(and(eq(classRegistrations.sessionId, session.id), isNotNull(classRegistrations.waitlistVenueId)));
  if (!waiting.length) return 0;
  const promotions = planPromotions(
    seats.map((s) => ({ venueId: s.venueId, capacity: s.capacity, occupied: s.occupied })),
    waiting.map((w) => ({
      registrationId: w.registrationId,
      currentVenueId: w.currentVenueId,
      waitVenueId: w.waitVenueId!,
      waitlistedAt: w.waitlistedAt!,
    })),
  );
  if (!promotions.length) return 0;
  const byId = new Map(waiting.map((w) => [w.registrationId, w]));
  for (const p of promotions) {
    await tx
      .update(classRegistrations)
      .set({ venueId: p.toVenueId, waitlistVenueId: null, waitlistedAt: null })
      .where(eq(classRegistrations.id, p.registrationId));
  }
  await audit(
    tx,
    actor,
    promotions.map((p) => ({
      action: "class.registration.promoted",
      entityType: "class_registration",
      entityId: p.registrationId,
      before: { venueId: p.fromVenueId, waitlistVenueId: p.toVenueId },
      after: { venueId: p.toVenueId, waitlistVenueId: null },
    })),
  );
  const venues = new Map(seats.map((s) => [s.venueId, s]));
  const people = await recipients(
    tx,
    promotions.map((p) => byId.get(p.registrationId)!.cadreId),
  );
  const links = sessionLinks(linkOrigin(options.origin), session.code);
  await queueClassEmails(
    tx,
    "class-waitlist-promotion",
    promotions.flatMap((p) => {
      const w = byId.get(p.registrationId)!;
      const recipient = people.get(w.cadreId);
      if (!recipient) return [];
      return [
        {
          recipient,
          key: `class-promotion/${p.registrationId}/${p.toVenueId}/${w.waitlistedAt!.getTime()}`,
          props: { session: sessionSummary(session, venues.get(p.toVenueId) ?? null), sessionUrl: links.sessionUrl, icsUrl: links.icsUrl },
        },
      ];
    }),
  );
  return promotions.length;
}
