import { type SQL, sql } from "drizzle-orm";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";

/**
 * Each root unit with every unit below it (itself included), as the recursive CTE
 * `tree(unit_id, root_id, depth)`, for queries that roll figures up to the units a head is responsible
 * for, all roots at once: `with recursive ${unitTreeCte(roots)}, … join tree t on t.unit_id = c.unit_id`.
 */
export function unitTreeCte(roots: readonly number[]): SQL {
  return sql`tree(unit_id, root_id, depth) as (
    select u.id, u.id, 0 from units u where u.id in ${idList(roots)}
    union all
    select u.id, t.root_id, t.depth + 1 from units u join tree t on u.parent_id = t.unit_id where t.depth < 50
  )`;
}

/** The given units and every unit below them. */
export async function unitSubtreeIds(db: DbOrTx, rootIds: number[]): Promise<number[]> {
  if (rootIds.length === 0) return [];
  const rows = await db.execute<{ id: number }>(sql`
    with recursive subtree(id) as (
      select id from units where id in ${sql.raw(`(${rootIds.map(Number).join(",")})`)}
      union
      select u.id from units u join subtree s on u.parent_id = s.id
    )
    select id from subtree`);
  return rows.map((r) => Number(r.id));
}

/** The unit and its ancestors, root first. */
export async function unitAncestry(db: DbOrTx, unitId: number): Promise<{ id: number; name: string; code: string }[]> {
  const rows = await db.execute<{ id: number; name: string; code: string; depth: number }>(sql`
    with recursive up(id, name, code, parent_id, depth) as (
      select id, name, code, parent_id, 0 from units where id = ${unitId}
      union all
      select u.id, u.name, u.code, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id
      where up.depth < 50
    )
    select id, name, code, depth from up order by depth desc`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, code: r.code }));
}
