import { eq, inArray, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "~db/client";
import { cadres, users } from "~db/schema";

/**
 * How an account is named to people: the cadre's name, else the account's display name, else its
 * email. (Cadre accounts leave users.display_name empty: reading it alone shows "#57" or "the system"
 * for a real person.)
 */
export const accountNameSql = sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '#' || ${users.id})`;

export interface ActorSnapshot {
  name: string;
  roles: string[];
  /** The units they headed (or liaised for), else their own unit. */
  units: string | null;
}

/** Who an account is right now: what the audit log keeps as "the actor at the time". */
export async function actorSnapshot(db: DbOrTx, userId: number): Promise<ActorSnapshot | null> {
  const [row] = await db.execute<{ name: string; roles: string[]; units: string | null }>(sql`
    select coalesce(c.name, nullif(u.display_name, ''), u.email, '#' || u.id) as name,
      array(select r.role::text from user_roles r where r.user_id = u.id order by r.role)
        || case when u.cadre_id is null then '{}'::text[] else array['cadre'] end
        || case when exists (select 1 from units h where h.head_cadre_id = u.cadre_id) then array['unit_head'] else '{}'::text[] end
        || case when exists (select 1 from unit_liaisons l where l.cadre_id = u.cadre_id) then array['unit_liaison'] else '{}'::text[] end
        as roles,
      coalesce(
        (select string_agg(h.name, '、' order by h.name) from units h where h.head_cadre_id = u.cadre_id),
        (select string_agg(h.name, '、' order by h.name) from unit_liaisons l join units h on h.id = l.unit_id where l.cadre_id = u.cadre_id),
        cu.name) as units
    from users u left join cadres c on c.id = u.cadre_id left join units cu on cu.id = c.unit_id
    where u.id = ${userId}`);
  return row ? { name: row.name, roles: row.roles, units: row.units } : null;
}

/** Accounts a person search names: by name (or its start), staff number, or email. At most 500. */
export async function accountIdsMatching(db: DbOrTx, term: string): Promise<number[]> {
  const q = term.trim();
  if (!q) return [];
  const lower = q.toLowerCase();
  const contains = (column: AnyPgColumn) => sql`strpos(lower(${column}), ${lower}) > 0`;
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(
      or(
        contains(cadres.name),
        sql`starts_with(lower(${cadres.staffNo}), ${lower})`,
        contains(cadres.email),
        contains(users.email),
        contains(users.displayName),
      ),
    )
    .limit(500);
  return rows.map((r) => r.id);
}

/** Current names of accounts, for log rows written before names were kept with them. */
export async function accountNames(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: users.id, name: accountNameSql })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
