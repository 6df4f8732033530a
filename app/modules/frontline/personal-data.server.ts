import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** A cadre's frontline records (attachments by name, not their bytes), for their data export. */
export async function frontlinePersonalData(db: DbOrTx, cadreId: number) {
  return {
    frontline: await db.execute(sql`
      select r.category, r.place, r.start_date::text, r.end_date::text, r.summary, r.outcome, r.evidence, r.links,
        r.status, r.submitted_at, r.verified_at, r.returned_at, r.return_comment,
        coalesce((select array_agg(a.file_name) from frontline_attachments a where a.record_id = r.id), '{}') as attachments
      from frontline_records r where r.cadre_id = ${cadreId} order by r.start_date`),
  };
}
