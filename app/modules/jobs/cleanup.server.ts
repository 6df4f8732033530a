import { and, inArray, isNotNull, lt, or } from "drizzle-orm";
import { pruneLoginFailures } from "~/modules/auth/rate-limit.server";
import { deleteExpiredSessions } from "~/modules/auth/session.server";
import type { DbOrTx } from "~db/client";
import { accountTokens, importBatches } from "~db/schema";

export const RETENTION_DAYS = {
  /** Far longer than any rate-limit window, short enough to hold little personal data. */
  loginFailures: 7,
  /** Spent or expired email links, kept a while so "link already used" can still be told apart. */
  linkTokens: 30,
  /** Applied imports are in the audit log; their parsed rows are only needed for a while. */
  importBatches: 30,
};

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** The nightly clean-up; each step is idempotent, so a retried or doubled run does no harm. */
export async function nightlyCleanup(db: DbOrTx, now = new Date()) {
  await deleteExpiredSessions(db, now);
  await pruneLoginFailures(db, daysBefore(now, RETENTION_DAYS.loginFailures));
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
  return { linkTokens: tokens.length, importBatches: batches.length };
}
