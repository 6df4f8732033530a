import { type Actor, audit } from "~/modules/audit/service.server";
import type { DbOrTx } from "~db/client";
import { ratingAccountabilityRequests } from "~db/schema";

/**
 * THE place where public rating meets accountability (组织处理). The accountability records of the
 * defensible-evaluation work (kinds 谈话提醒 … 组织调整, interviewers, deadlines, effect periods) are
 * built on another branch; until they are merged, these two functions record the request in
 * `rating_accountability_requests` (with who asked, when and why, audited), which the case page and
 * the 十差 page show. At merge, the lead wires each to open an accountability record — for the unit
 * (a confirmed case) or for the unit's head (十差 two years running) — and stores its id in
 * `accountability_record_id`. Nothing else in this capability needs to change.
 */

/** A follow-up case the organization department closed by opening an accountability record. */
export async function openAccountabilityFromRatingCase(
  tx: DbOrTx,
  actor: Actor,
  request: { caseId: number; unitId: number; headCadreId: number | null; note: string },
): Promise<number> {
  const [row] = await tx
    .insert(ratingAccountabilityRequests)
    .values({
      source: "case",
      caseId: request.caseId,
      unitId: request.unitId,
      cadreId: request.headCadreId,
      note: request.note,
      requestedByUserId: actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: ratingAccountabilityRequests.id });
  if (row) {
    await audit(tx, actor, {
      action: "rating_case.accountability_requested",
      entityType: "rating_case",
      entityId: request.caseId,
      after: { unitId: request.unitId, cadreId: request.headCadreId, requestId: row.id },
      reason: request.note,
    });
  }
  return row?.id ?? 0;
}

/** A unit on the published 十差 list for the second year running: accountability for its head. */
export async function raiseTenWorstAccountability(
  tx: DbOrTx,
  actor: Actor,
  request: { listId: number; year: number; unitId: number; headCadreId: number | null; note: string },
): Promise<number> {
  const [row] = await tx
    .insert(ratingAccountabilityRequests)
    .values({
      source: "ten_worst",
      tenWorstListId: request.listId,
      unitId: request.unitId,
      cadreId: request.headCadreId,
      note: request.note,
      requestedByUserId: actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: ratingAccountabilityRequests.id });
  if (row) {
    await audit(tx, actor, {
      action: "rating_ten_worst.accountability_raised",
      entityType: "unit",
      entityId: request.unitId,
      after: { year: request.year, listId: request.listId, cadreId: request.headCadreId, requestId: row.id },
      reason: request.note,
    });
  }
  return row?.id ?? 0;
}
