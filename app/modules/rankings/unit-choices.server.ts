import { asc } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { units } from "~db/schema";

/** Every unit, for the agenda's "add a unit" chooser (the organization department's page). */
export async function listUnitChoices(db: DbOrTx) {
  return db.select({ id: units.id, code: units.code, name: units.name }).from(units).orderBy(asc(units.code));
}
