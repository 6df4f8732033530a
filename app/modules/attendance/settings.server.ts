import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "~/modules/audit/service.server";
import type { Database, DbOrTx } from "~db/client";
import { settings } from "~db/schema";
import { MAX_PERIOD, MIN_PERIOD } from "./checkin/token.server";
import { type AttendanceRules, DEFAULT_ATTENDANCE_RULES } from "./rules";

export const ATTENDANCE_RULES_KEY = "attendance.rules";

const hours = z.number().min(0).max(1000);
export const StoredRules = z.object({
  graceMinutes: z.number().int().min(0).max(120),
  opensMinutesBefore: z.number().int().min(0).max(240),
  onlineShare: z.number().min(0.05).max(1),
  lateWeight: z.number().min(0).max(1),
  rotationSeconds: z.number().int().min(MIN_PERIOD).max(MAX_PERIOD),
  autoCloseHours: z.number().int().min(1).max(72),
  yearlyHours: z.object({ leading: hours, section: hours, staff: hours }),
  lowAttendance: z.object({ sessions: z.number().int().min(1).max(50), threshold: z.number().min(0.05).max(1) }),
  flags: z.object({
    deviceCadres: z.number().int().min(2).max(100),
    addressCadres: z.number().int().min(2).max(10_000),
    addressWindowSeconds: z.number().int().min(10).max(3600),
  }),
}) satisfies z.ZodType<AttendanceRules>;

/**
 * The organization department's attendance rules, or the defaults until it sets its own. A stored
 * value that no longer fits falls back to the defaults rather than failing every attendance page.
 */
export async function getAttendanceRules(db: DbOrTx): Promise<AttendanceRules> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, ATTENDANCE_RULES_KEY));
  const parsed = StoredRules.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_ATTENDANCE_RULES;
}

const CACHE_MS = 10_000;
let cache: { at: number; rules: Promise<AttendanceRules> } | undefined;

/**
 * The rules as the check-in path reads them: from memory, refreshed every ten seconds, so a burst of a
 * thousand scans reads the settings table once. A change reaches every server within that time.
 */
export function cachedAttendanceRules(db: DbOrTx, now = Date.now()): Promise<AttendanceRules> {
  if (cache && now - cache.at < CACHE_MS) return cache.rules;
  const rules = getAttendanceRules(db).catch((error: unknown) => {
    cache = undefined;
    throw error;
  });
  cache = { at: now, rules };
  return rules;
}

export function forgetCachedAttendanceRules() {
  cache = undefined;
}

export async function updateAttendanceRules(db: Database, actor: Actor, next: AttendanceRules): Promise<boolean> {
  const value = StoredRules.parse(next);
  const changed = await db.transaction(async (tx) => {
    const [current] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, ATTENDANCE_RULES_KEY)).for("update");
    const before = StoredRules.safeParse(current?.value).data ?? DEFAULT_ATTENDANCE_RULES;
    if (JSON.stringify(before) === JSON.stringify(value)) return false;
    await tx
      .insert(settings)
      .values({ key: ATTENDANCE_RULES_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    await audit(tx, actor, {
      action: "attendance.rules_changed",
      entityType: "settings",
      entityId: ATTENDANCE_RULES_KEY,
      before,
      after: value,
    });
    return true;
  });
  forgetCachedAttendanceRules();
  return changed;
}
