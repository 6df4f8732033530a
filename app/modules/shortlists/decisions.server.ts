import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { conflict, forbidden, invalid, notFound } from "~/utils/errors";
import type { Database } from "~db/client";
import { shortlistNominations, shortlistRounds } from "~db/schema";
import type { ShortlistDecision } from "~db/schema/shortlists";
import { isShortlistAdmin, type ShortlistCaller } from "./access";
import { quotaAllows } from "./rules";

/**
 * The organization department decides each candidate: shortlisted, deferred or rejected, with a
 * reason. The round row is locked for the decision, so decisions of one round take turns and the
 * quota holds however many are made at once. A decision may be changed (audited); after publication a
 * change waits for the next version.
 */
export async function decide(
  db: Database,
  caller: ShortlistCaller,
  roundId: number,
  nominationId: number,
  input: { decision: ShortlistDecision; reason: string },
  options: { now?: Date } = {},
): Promise<{ changed: boolean }> {
  if (!isShortlistAdmin(caller)) throw forbidden();
  const reason = input.reason.trim();
  if (!reason) throw invalid("validation.required", "reason");
  const now = options.now ?? new Date();
  const [head] = await db
    .select({ roundId: shortlistNominations.roundId })
    .from(shortlistNominations)
    .where(eq(shortlistNominations.id, nominationId));
  if (!head || head.roundId !== roundId) throw notFound();
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(shortlistRounds).where(eq(shortlistRounds.id, head.roundId)).for("update");
    const [row] = await tx.select().from(shortlistNominations).where(eq(shortlistNominations.id, nominationId)).for("update");
    if (!round || !row) throw notFound();
    if (row.withdrawnAt) throw conflict("shortlists.errors.withdrawn");
    if (row.decision === input.decision && row.decisionReason === reason) return { changed: false };
    if (input.decision === "shortlisted" && row.decision !== "shortlisted") {
      const [{ n } = { n: 0 }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(shortlistNominations)
        .where(
          and(
            eq(shortlistNominations.roundId, round.id),
            isNull(shortlistNominations.withdrawnAt),
            eq(shortlistNominations.decision, "shortlisted"),
            ne(shortlistNominations.id, nominationId),
          ),
        );
      if (!quotaAllows(Number(n), round.quota)) throw invalid("shortlists.errors.quotaFull", "decision", { quota: round.quota });
    }
    await tx
      .update(shortlistNominations)
      .set({ decision: input.decision, decisionReason: reason, decidedBy: caller.id, decidedAt: now, updatedAt: now })
      .where(eq(shortlistNominations.id, nominationId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "shortlist.decided",
        entityType: "shortlist_nomination",
        entityId: nominationId,
        before: { decision: row.decision, decisionReason: row.decisionReason },
        after: {
          roundId: round.id,
          cadreId: row.cadreId,
          decision: input.decision,
          decisionReason: reason,
          publishedVersion: round.publishedVersion,
        },
        reason,
      },
    );
    return { changed: true };
  });
}
