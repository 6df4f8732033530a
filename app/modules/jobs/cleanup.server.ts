import { and, inArray, isNotNull, lt, or } from "drizzle-orm";
import { pruneSecurityLog } from "~/modules/audit/chain.server";
import { deleteExpiredDevices } from "~/modules/auth/devices.server";
import { deleteExpiredSessions } from "~/modules/auth/session.server";
import { pruneThrottles } from "~/modules/auth/throttle.server";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import type { Database } from "~db/client";
import { accountTokens, importBatches } from "~db/schema";

export const RETENTION_DAYS = {
  /**
   * Sign-in counters whose window and lock ended this long ago. They are only counters: the security
   * log keeps every attempt for the policy's retention (at least 180 days).
   */
  loginThrottles: 1,
  /** Spent or expired email links, kept a while so "link already used" can still be told apart. */
  linkTokens: 30,
  /** Applied imports are in the audit log; their parsed rows are only needed for a while. */
  importBatches: 30,
};

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** The nightly clean-up; each step is idempotent, so a retried or doubled run does no harm. */
export async function nightlyCleanup(db: Database, now = new Date()) {
  await deleteExpiredSessions(db, now);
  await deleteExpiredDevices(db, now);
  await pruneThrottles(db, daysBefore(now, RETENTION_DAYS.loginThrottles));
  const securityEvents = await pruneSecurityLog(db, (await getSecurityPolicy(db)).securityLogRetentionDays, now);
  const tokens = await db
    .delete(accountTokens)
    .where(
      and(
        lt(accountTokens.createdAt, daysBefore(now, RETENTION_DAYS.linkTokens)),
        or(isNotNull(accountTokens.usedAt), isNotNull(accountTokens.revokedAt), lt(accountTokens.expiresAt, now)),
      ),
    )
    .returning({ id: accountTokens.id });
  const batches = await db
    .delete(importBatches)
    .where(
      and(
        inArray(importBatches.status, ["applied", "discarded"]),
        lt(importBatches.createdAt, daysBefore(now, RETENTION_DAYS.importBatches)),
      ),
    )
    .returning({ id: importBatches.id });
  return { linkTokens: tokens.length, importBatches: batches.length, securityEvents };
}
