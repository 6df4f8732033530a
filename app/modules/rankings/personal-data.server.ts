import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** A cadre's regular assessments and their rows of published rankings, for their data export. */
export async function rankingsPersonalData(db: DbOrTx, cadreId: number) {
  return {
    assessments: await db.execute(sql`
      select quarter, grade, comment from ranking_assessments where cadre_id = ${cadreId} order by quarter`),
    rankings: await db.execute(sql`
      select k.quarter, k.version, r.band, r.score, r.rank, r.hours_earned, r.frontline_days, r.grade
      from ranking_cadre_results r join rankings k on k.id = r.ranking_id
      where r.cadre_id = ${cadreId} and k.status = 'published' order by k.quarter, k.version`),
  };
}
