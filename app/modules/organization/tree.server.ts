import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

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
