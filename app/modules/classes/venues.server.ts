import { asc, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { PG_UNIQUE_VIOLATION, pgErrorCode } from "~db/client";
import { classSessionVenues, classVenues } from "~db/schema";
import type { VenueFormInput } from "./schema";

/** The venue catalogue; a session copies capacity and tiers when it takes a venue. */
export async function listVenues(db: DbOrTx) {
  return db
    .select({
      id: classVenues.id,
      name: classVenues.name,
      address: classVenues.address,
      capacity: classVenues.capacity,
      ranks: classVenues.ranks,
      active: classVenues.active,
      sessions: sql<number>`(select count(*)::int from ${classSessionVenues} sv where sv.venue_id = "class_venues"."id")`,
    })
    .from(classVenues)
    .orderBy(asc(classVenues.name));
}

const nameTaken = (error: unknown) => pgErrorCode(error) === PG_UNIQUE_VIOLATION;

export async function createVenue(db: Database, actor: Actor, input: VenueFormInput) {
  try {
    return await db.transaction(async (tx) => {
      const [venue] = await tx.insert(classVenues).values(input).returning();
      await audit(tx, actor, { action: "class.venue.created", entityType: "class_venue", entityId: venue!.id, after: input });
      return venue!;
    });
  } catch (error) {
    if (nameTaken(error)) throw invalid("classes.errors.venueNameTaken", "name");
    throw error;
  }
}

/** Changes the catalogue entry only; sessions that already use the venue keep their own copy. */
export async function updateVenue(db: Database, actor: Actor, venueId: number, input: VenueFormInput) {
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select().from(classVenues).where(eq(classVenues.id, venueId));
      if (!before) throw notFound();
      const [venue] = await tx.update(classVenues).set(input).where(eq(classVenues.id, venueId)).returning();
      await audit(tx, actor, {
        action: "class.venue.updated",
        entityType: "class_venue",
        entityId: venueId,
        before: { name: before.name, address: before.address, capacity: before.capacity, ranks: before.ranks, active: before.active },
        after: input,
      });
      return venue!;
    });
  } catch (error) {
    if (nameTaken(error)) throw invalid("classes.errors.venueNameTaken", "name");
    throw error;
  }
}
