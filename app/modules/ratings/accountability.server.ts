import { and, asc, eq, isNull } from "drizzle-orm";
import type { AuditAction } from "~/modules/audit/actions";
import { type Actor, audit } from "~/modules/audit/service.server";
import type { DbOrTx } from "~db/client";
import { ratingAccountabilityRequests, ratingTenWorstLists, units } from "~db/schema";

/**
 * THE place where public rating meets accountability (组织处理). Closing a case "with accountability",
 * or publishing a 十差 list with a unit on it for the second year running, records a request here (who
 * asked, when and why, audited). The organization department then opens the accountability record
 * itself — the kind, who held the talk and when, the findings are its own facts, not the request's —
 * from the accountability pages (`/accountability/new?ratingRequest=<id>`), through
 * accountability/records.server.ts, which links the request to the record in the same transaction
 * (`linkRequestToRecord`). Until then the request waits in the department's list
 * (`pendingAccountabilityRequests`); the case page and the 十差 page link the record once it exists.
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

/** A request as the accountability pages read it: the unit, its head then, why, and what it came from. */
export interface RatingAccountabilityRequest {
  id: number;
  source: "case" | "ten_worst";
  unitId: number;
  unitName: string;
  cadreId: number | null;
  note: string;
  requestedAt: Date;
  caseId: number | null;
  /** The 十差 list's year, for a ten_worst request. */
  year: number | null;
  accountabilityRecordId: number | null;
}

function requestsQuery(db: DbOrTx) {
  return db
    .select({
      id: ratingAccountabilityRequests.id,
      source: ratingAccountabilityRequests.source,
      unitId: ratingAccountabilityRequests.unitId,
      unitName: units.name,
      cadreId: ratingAccountabilityRequests.cadreId,
      note: ratingAccountabilityRequests.note,
      requestedAt: ratingAccountabilityRequests.requestedAt,
      caseId: ratingAccountabilityRequests.caseId,
      year: ratingTenWorstLists.year,
      accountabilityRecordId: ratingAccountabilityRequests.accountabilityRecordId,
    })
    .from(ratingAccountabilityRequests)
    .innerJoin(units, eq(units.id, ratingAccountabilityRequests.unitId))
    .leftJoin(ratingTenWorstLists, eq(ratingTenWorstLists.id, ratingAccountabilityRequests.tenWorstListId));
}

/** One request; locked when a record is about to be opened for it (two admins at once open one record). */
export async function accountabilityRequest(
  db: DbOrTx,
  requestId: number,
  options: { lock?: boolean } = {},
): Promise<RatingAccountabilityRequest | null> {
  const query = requestsQuery(db).where(eq(ratingAccountabilityRequests.id, requestId));
  const [row] = options.lock ? await query.for("update", { of: ratingAccountabilityRequests }) : await query;
  return row ?? null;
}

/** The requests no record answers yet, oldest first: the department's to-do on the accountability page. */
export function pendingAccountabilityRequests(db: DbOrTx): Promise<RatingAccountabilityRequest[]> {
  return requestsQuery(db).where(isNull(ratingAccountabilityRequests.accountabilityRecordId)).orderBy(asc(ratingAccountabilityRequests.id));
}

/**
 * Called by the accountability records in the transaction that opens the record: the request now points
 * at it. False when another record already answers it (the caller then returns that one).
 */
export async function linkRequestToRecord(tx: DbOrTx, requestId: number, recordId: number): Promise<boolean> {
  const linked = await tx
    .update(ratingAccountabilityRequests)
    .set({ accountabilityRecordId: recordId })
    .where(and(eq(ratingAccountabilityRequests.id, requestId), isNull(ratingAccountabilityRequests.accountabilityRecordId)))
    .returning({ id: ratingAccountabilityRequests.id });
  return linked.length > 0;
}
