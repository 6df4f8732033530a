import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** A cadre's shortlist nominations and their outcomes, for their data export. */
export async function shortlistsPersonalData(db: DbOrTx, cadreId: number) {
  return {
    nominations: await db.execute(sql`
      select s.name as round, n.recommendation, n.eligible, n.override_reason, n.decision, n.decision_reason, n.decided_at,
        n.withdrawn_at, n.created_at
      from shortlist_nominations n join shortlist_rounds s on s.id = n.round_id
      where n.cadre_id = ${cadreId} order by n.created_at`),
  };
}
