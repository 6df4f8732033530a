import { eq } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import type { Database, DbOrTx } from "~db/client";
import { settings } from "~db/schema";
import type { AccountabilityKind } from "~db/schema/accountability";
import { DEFAULT_EFFECT_MONTHS } from "./rules";
import { EffectPeriodsSchema } from "./schema";

export const EFFECT_PERIODS_KEY = "accountability.effect_months";

/** The effect period of each kind as the organization department set it, or the defaults. */
export async function getEffectPeriods(db: DbOrTx): Promise<Record<AccountabilityKind, number>> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, EFFECT_PERIODS_KEY));
  const parsed = EffectPeriodsSchema.safeParse({ ...DEFAULT_EFFECT_MONTHS, ...((row?.value as object) ?? {}) });
  return parsed.success ? parsed.data : DEFAULT_EFFECT_MONTHS;
}

/** New periods apply to records opened from now on; a record keeps the period it was opened with. Audited. */
export async function updateEffectPeriods(db: Database, actor: Actor, next: Record<AccountabilityKind, number>): Promise<boolean> {
  const value = EffectPeriodsSchema.parse(next);
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, EFFECT_PERIODS_KEY)).for("update");
    const before =
      EffectPeriodsSchema.safeParse({ ...DEFAULT_EFFECT_MONTHS, ...((current?.value as object) ?? {}) }).data ?? DEFAULT_EFFECT_MONTHS;
    if (JSON.stringify(before) === JSON.stringify(value)) return false;
    await tx
      .insert(settings)
      .values({ key: EFFECT_PERIODS_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    await audit(tx, actor, {
      action: "accountability.periods_changed",
      entityType: "settings",
      entityId: EFFECT_PERIODS_KEY,
      before,
      after: value,
    });
    return true;
  });
}
