import { asc, sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { units } from "~db/schema";
import { takesPartSql } from "./inputs.server";

/** The units that take part in rankings, for the agenda's "add a unit" chooser: a unit left out never speaks. */
export async function listUnitChoices(db: DbOrTx) {
  return db
    .select({ id: units.id, code: units.code, name: units.name })
    .from(units)
    .where(takesPartSql(sql`${units}`))
    .orderBy(asc(units.code));
}
