import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** A person's accounts for their data export: who they sign in as and when, never a secret. */
export async function accountPersonalData(db: DbOrTx, cadreId: number) {
  return {
    accounts: await db.execute(sql`
      select u.email, u.display_name, u.locale, u.disabled, u.last_login_at, u.created_at,
        coalesce((select array_agg(r.role::text) from user_roles r where r.user_id = u.id), '{}') as granted_roles
      from users u where u.cadre_id = ${cadreId}`),
  };
}
