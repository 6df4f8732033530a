import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/**
 * What the organization capability keeps about one person, for their data export: the record with
 * every roster field, the units they belonged to, their rank, post and status history, and the units
 * they head or liaise for.
 */
export async function organizationPersonalData(db: DbOrTx, cadreId: number) {
  const [cadre] = await db.execute(sql`
    select c.staff_no, c.name, u.code as unit_code, u.name as unit_name, c.rank, c.title, c.email, c.phone, c.status,
      c.gender, c.ethnicity, c.birth_date::text, c.native_place, c.political_status, c.education, c.degree,
      c.work_start_date::text, c.rank_since::text, c.post_since::text, c.status_since::text, c.created_at, c.updated_at
    from cadres c join units u on u.id = c.unit_id where c.id = ${cadreId}`);
  return {
    cadre: cadre ? [cadre] : [],
    memberships: await db.execute(sql`
      select u.code as unit_code, u.name as unit_name, m.start_date::text, m.end_date::text
      from unit_memberships m join units u on u.id = m.unit_id where m.cadre_id = ${cadreId} order by m.start_date nulls first`),
    terms: await db.execute(sql`
      select kind, rank, title, status, start_date::text, end_date::text, source
      from cadre_terms where cadre_id = ${cadreId} order by kind, end_date`),
    roles: await db.execute(sql`
      select 'head' as role, code as unit_code, name as unit_name from units where head_cadre_id = ${cadreId}
      union all
      select 'liaison', u.code, u.name from unit_liaisons l join units u on u.id = l.unit_id where l.cadre_id = ${cadreId}`),
  };
}
