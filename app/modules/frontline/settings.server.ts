import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "~/modules/audit/service.server";
import type { Database, DbOrTx } from "~db/client";
import { settings } from "~db/schema";
import { DEFAULT_FRONTLINE_RULES, type FrontlineRules } from "./rules";

export const FRONTLINE_RULES_KEY = "frontline.rules";

const days = (max: number) => z.number().int().min(0).max(max);
const StoredRules = z.object({
  monthlyQuota: z.object({ leading: days(31), section: days(31), staff: days(31) }),
  eligibilityMinDays: days(3650).min(1),
});

/**
 * The organization department's quota and eligibility threshold, or the defaults (5 days a month for
 * deputy-county rank and above, 90 days) until it sets its own. A stored value that no longer fits
 * falls back to the defaults rather than failing every frontline page.
 */
export async function getFrontlineRules(db: DbOrTx): Promise<FrontlineRules> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, FRONTLINE_RULES_KEY));
  const parsed = StoredRules.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_FRONTLINE_RULES;
}

export async function updateFrontlineRules(db: Database, actor: Actor, next: FrontlineRules): Promise<void> {
  const value = StoredRules.parse(next);
  await db.transaction(async (tx) => {
    const [current] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, FRONTLINE_RULES_KEY)).for("update");
    const before = StoredRules.safeParse(current?.value).data ?? DEFAULT_FRONTLINE_RULES;
    if (JSON.stringify(before) === JSON.stringify(value)) return;
    await tx
      .insert(settings)
      .values({ key: FRONTLINE_RULES_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    await audit(tx, actor, {
      action: "frontline.rules_changed",
      entityType: "settings",
      entityId: FRONTLINE_RULES_KEY,
      before,
      after: value,
    });
  });
}
