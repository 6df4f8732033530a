import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** The audit entries about a cadre's record, for their data export: who changed what, and when. */
export async function auditPersonalData(db: DbOrTx, cadreId: number) {
  return {
    audit: await db.execute(sql`
      select a.at, a.action, coalesce(u.display_name, a.actor_label) as actor, a.before, a.after, a.reason
      from audit_log a left join users u on u.id = a.actor_user_id
      where a.entity_type = 'cadre' and a.entity_id = ${String(cadreId)} order by a.id`),
  };
}
