import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { dataKeyConfigured } from "./secrets.server";

export interface DutiesConflict {
  userId: number;
  name: string;
  roles: string[];
}

/**
 * 三员分立 on the data as it is: accounts holding the audit role together with the system or security
 * role (granted before the rule, or written around the app). The database refuses new ones (trigger on
 * user_roles); this finds old ones.
 */
export async function separationOfDutiesConflicts(db: DbOrTx): Promise<DutiesConflict[]> {
  const rows = await db.execute<{ id: number; name: string; roles: string[] }>(sql`
    select u.id, coalesce(c.name, nullif(u.display_name, ''), u.email, '#' || u.id) as name,
      array_agg(r.role::text order by r.role) as roles
    from users u join user_roles r on r.user_id = u.id left join cadres c on c.id = u.cadre_id
    group by u.id, c.name
    having bool_or(r.role::text = 'audit_admin') and bool_or(r.role::text in ('system_admin', 'security_admin'))
    order by u.id`);
  return rows.map((r) => ({ userId: r.id, name: r.name, roles: r.roles }));
}

/**
 * Checks made before the server takes requests. A breach of the separation of duties stops start-up
 * with the accounts named and the way to fix them; a deployment whose data key lives in its own
 * database is warned.
 */
export async function startupSecurityChecks(db: DbOrTx, options: { external: boolean; log: (line: string) => void }): Promise<void> {
  const conflicts = await separationOfDutiesConflicts(db);
  if (conflicts.length) {
    const lines = conflicts.map((c) => `  account ${c.userId} (${c.name}): ${c.roles.join(", ")}`);
    throw new Error(
      `Separation of duties (三员分立) is broken: the audit administrator may not also be the system or security administrator.\n${lines.join("\n")}\n` +
        "Remove one of the roles: npm run luoshi -- account roles <account id> --revoke audit_admin (or system_admin / security_admin)",
    );
  }
  if (options.external && !dataKeyConfigured()) {
    options.log(
      "WARNING: DATA_ENCRYPTION_KEY is not set: second-factor keys are sealed with a key kept in the same database. Set it (64 hex characters) and keep it apart from the data.",
    );
  }
}
