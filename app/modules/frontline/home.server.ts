import { inArray } from "drizzle-orm";
import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import type { DbOrTx } from "~db/client";
import { units } from "~db/schema";
import { isFrontlineManager } from "./access";
import { addMonths, monthOf } from "./days";
import { quotaStanding } from "./days.server";
import type { FrontlineRules } from "./rules";
import { cadreFrontline } from "./timeline.server";
import { pendingCount } from "./verification.server";

/**
 * The frontline home page: a cadre's own timeline, and for heads, liaisons and the organization
 * department what waits for them and where their reports are.
 */
export async function frontlineHome(db: DbOrTx, user: CurrentUser, options: { today: string; rules: FrontlineRules }) {
  const ledIds = [...new Set([...user.headOfUnitIds, ...user.liaisonOfUnitIds])];
  const [own, pending, led] = await Promise.all([
    user.cadreId ? cadreFrontline(db, user, user.cadreId, options) : null,
    pendingCount(db, user),
    ledIds.length ? db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, ledIds)) : [],
  ]);
  // Last month is the latest one that is over: its shortfalls are final.
  const lastMonth = addMonths(monthOf(options.today), -1);
  const ledUnits = await Promise.all(
    led.map(async (u) => {
      const rows = await quotaStanding(db, {
        unitIds: await unitSubtreeIds(db, [u.id]),
        fromMonth: lastMonth,
        toMonth: lastMonth,
        ...options,
      });
      return { ...u, lastMonth, shortLastMonth: rows.filter((r) => r.shortfall > 0).length };
    }),
  );
  return {
    own,
    manager: isFrontlineManager(user) ? { pending, units: ledUnits, isOrgAdmin: hasRole(user, "org_admin") } : null,
  };
}
