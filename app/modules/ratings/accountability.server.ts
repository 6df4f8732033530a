import type { AuditAction } from "~/modules/audit/actions";
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

type Request = typeof ratingAccountabilityRequests.$inferInsert;

/** Records a request once (a unique index per case, and per list and unit) and audits it; returns its id, 0 when it existed. */
async function request(
  tx: DbOrTx,
  actor: Actor,
  values: Request,
  entry: { action: AuditAction; entityType: string; entityId: number; after: object },
) {
  const [row] = await tx
    .insert(ratingAccountabilityRequests)
    .values({ ...values, requestedByUserId: actor.userId })
    .onConflictDoNothing()
    .returning({ id: ratingAccountabilityRequests.id });
  if (row) await audit(tx, actor, { ...entry, after: { ...entry.after, requestId: row.id }, reason: values.note });
  return row?.id ?? 0;
}

/** A follow-up case the organization department closed by opening an accountability record. */
export function openAccountabilityFromRatingCase(
  tx: DbOrTx,
  actor: Actor,
  r: { caseId: number; unitId: number; headCadreId: number | null; note: string },
): Promise<number> {
  return request(
    tx,
    actor,
    { source: "case", caseId: r.caseId, unitId: r.unitId, cadreId: r.headCadreId, note: r.note },
    {
      action: "rating_case.accountability_requested",
      entityType: "rating_case",
      entityId: r.caseId,
      after: { unitId: r.unitId, cadreId: r.headCadreId },
    },
  );
}

/** A unit on the published 十差 list for the second year running: accountability for its head. */
export function raiseTenWorstAccountability(
  tx: DbOrTx,
  actor: Actor,
  r: { listId: number; year: number; unitId: number; headCadreId: number | null; note: string },
): Promise<number> {
  return request(
    tx,
    actor,
    { source: "ten_worst", tenWorstListId: r.listId, unitId: r.unitId, cadreId: r.headCadreId, note: r.note },
    {
      action: "rating_ten_worst.accountability_raised",
      entityType: "unit",
      entityId: r.unitId,
      after: { year: r.year, listId: r.listId, cadreId: r.headCadreId },
    },
  );
}
