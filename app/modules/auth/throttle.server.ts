import { and, eq, gt, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { loginThrottles } from "~db/schema";

export type ThrottleScope = (typeof loginThrottles.scope.enumValues)[number];

export interface ThrottleRule {
  /** Failures allowed in the window; the next attempt is refused without being evaluated. */
  max: number;
  windowMs: number;
  /** How long a lock lasts once `max` failures were reached. */
  lockMs: number;
}

export interface Reservation {
  allowed: boolean;
  failures: number;
  lockedUntil: Date | null;
}

/**
 * Counts an attempt before it is evaluated, in one atomic upsert: concurrent attempts are serialised
 * on the row, so of twelve wrong passwords sent at once against a limit of five, only five are ever
 * checked. The attempt counts as a failure until settleSuccess says otherwise. A locked key is not
 * counted further; an expired lock or window starts a new count.
 */
export async function reserveAttempt(
  db: DbOrTx,
  scope: ThrottleScope,
  key: string,
  rule: ThrottleRule,
  now = new Date(),
): Promise<Reservation> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = sql`${new Date(now.getTime() - rule.windowMs).toISOString()}::timestamptz`;
  const t = loginThrottles;
  const locked = sql`${t.lockedUntil} > ${at}`;
  const fresh = sql`(${t.lockedUntil} is not null or ${t.windowStartedAt} <= ${windowStart})`;
  const [row] = await db
    .insert(t)
    .values({ scope, key, failures: 1, windowStartedAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: [t.scope, t.key],
      set: {
        failures: sql`case when ${locked} then ${t.failures} when ${fresh} then 1 else ${t.failures} + 1 end`,
        windowStartedAt: sql`case when ${locked} then ${t.windowStartedAt} when ${fresh} then ${at} else ${t.windowStartedAt} end`,
        lockedUntil: sql`case when ${locked} then ${t.lockedUntil} else null end`,
      },
    })
    .returning({ failures: t.failures, lockedUntil: t.lockedUntil });
  const lockedUntil = row!.lockedUntil && row!.lockedUntil > now ? row!.lockedUntil : null;
  return { allowed: !lockedUntil && row!.failures <= rule.max, failures: row!.failures, lockedUntil };
}

/**
 * The attempt failed: once the count has reached the limit the key is locked. Returns true for the one
 * failure that locked it (so the owner is told once).
 */
export async function settleFailure(db: DbOrTx, scope: ThrottleScope, key: string, rule: ThrottleRule, now = new Date()): Promise<boolean> {
  const t = loginThrottles;
  const locked = await db
    .update(t)
    .set({ lockedUntil: new Date(now.getTime() + rule.lockMs) })
    .where(and(eq(t.scope, scope), eq(t.key, key), sql`${t.lockedUntil} is null`, sql`${t.failures} >= ${rule.max}`))
    .returning({ key: t.key });
  return locked.length > 0;
}

/**
 * The attempt succeeded. For an account (or device, or second factor) that proves its owner: the count
 * starts again. For an address it only takes this attempt back out, so one person signing in does not
 * wipe out the failures of another client behind the same address.
 */
export async function settleSuccess(db: DbOrTx, scope: ThrottleScope, key: string): Promise<void> {
  const t = loginThrottles;
  if (scope === "address" || scope === "reset_address") {
    await db
      .update(t)
      .set({ failures: sql`greatest(${t.failures} - 1, 0)` })
      .where(and(eq(t.scope, scope), eq(t.key, key)));
    return;
  }
  await db.delete(t).where(and(eq(t.scope, scope), eq(t.key, key)));
}

export async function lockedUntil(db: DbOrTx, scope: ThrottleScope, key: string, now = new Date()): Promise<Date | null> {
  const t = loginThrottles;
  const [row] = await db
    .select({ lockedUntil: t.lockedUntil })
    .from(t)
    .where(and(eq(t.scope, scope), eq(t.key, key), gt(t.lockedUntil, now)));
  return row?.lockedUntil ?? null;
}

/** A security administrator's unlock: the count starts again. */
export async function clearThrottle(db: DbOrTx, scope: ThrottleScope, key: string): Promise<boolean> {
  const t = loginThrottles;
  const removed = await db
    .delete(t)
    .where(and(eq(t.scope, scope), eq(t.key, key)))
    .returning({ key: t.key });
  return removed.length > 0;
}

/** Counters whose window and lock are long over; the security log keeps the history. */
export async function pruneThrottles(db: DbOrTx, olderThan: Date) {
  const t = loginThrottles;
  await db.delete(t).where(and(lt(t.windowStartedAt, olderThan), or(sql`${t.lockedUntil} is null`, lt(t.lockedUntil, olderThan))));
}

/** The key of an account's counters: its id, whatever identifier named it; unknown names by their text. */
export function accountKey(userId: number | null | undefined, identifier: string): string {
  return userId ? `user:${userId}` : `name:${identifier.trim().toLowerCase()}`;
}
