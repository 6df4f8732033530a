import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import type { CurrentUser } from "~/modules/auth/roles";
import type { DbOrTx } from "~db/client";
import { cadres, units, users } from "~db/schema";
import { unitSubtreeIds } from "./tree.server";

/** The figures on the home page, each limited to what the user may see. */
export async function homeOverview(db: DbOrTx, user: CurrentUser) {
  const city = user.scope.all ? await cityFigures(db) : null;
  const ledUnitIds = [...new Set([...user.headOfUnitIds, ...user.liaisonOfUnitIds])];
  const ledUnits = [];
  for (const unitId of ledUnitIds) {
    const subtree = await unitSubtreeIds(db, [unitId]);
    const [unit] = await db.select({ id: units.id, name: units.name, code: units.code }).from(units).where(eq(units.id, unitId));
    const [people] = await db
      .select({ n: count() })
      .from(cadres)
      .where(and(inArray(cadres.unitId, subtree), eq(cadres.status, "active")));
    if (unit) ledUnits.push({ ...unit, subUnits: subtree.length - 1, cadres: people?.n ?? 0, head: user.headOfUnitIds.includes(unitId) });
  }
  const me = user.cadreId
    ? ((
        await db
          .select({
            id: cadres.id,
            name: cadres.name,
            staffNo: cadres.staffNo,
            rank: cadres.rank,
            title: cadres.title,
            unitName: units.name,
          })
          .from(cadres)
          .innerJoin(units, eq(units.id, cadres.unitId))
          .where(eq(cadres.id, user.cadreId))
      )[0] ?? null)
    : null;
  return { city, ledUnits, me };
}

async function cityFigures(db: DbOrTx) {
  const [unitCount] = await db.select({ n: count() }).from(units);
  const [cadreCount] = await db.select({ n: count() }).from(cadres).where(eq(cadres.status, "active"));
  const [leading] = await db
    .select({ n: count() })
    .from(cadres)
    .where(and(eq(cadres.status, "active"), gte(cadres.rank, "deputy_section")));
  const [unopened] = await db
    .select({ n: count() })
    .from(cadres)
    .leftJoin(users, eq(users.cadreId, cadres.id))
    .where(and(eq(cadres.status, "active"), sql`(${users.id} is null or ${users.disabled})`));
  return {
    units: unitCount?.n ?? 0,
    cadres: cadreCount?.n ?? 0,
    leading: leading?.n ?? 0,
    unopened: unopened?.n ?? 0,
  };
}
