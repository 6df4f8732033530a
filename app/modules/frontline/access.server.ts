import { and, eq } from "drizzle-orm";
import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { conflict, DomainError, forbidden, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, frontlineRecords } from "~db/schema";
import { type FrontlineAction, type FrontlineActor, type RecordFacts, refusalKey } from "./rules";

/** Who is asking, as the frontline services need it. */
export type FrontlineCaller = Pick<CurrentUser, "id" | "cadreId" | "roles" | "scope">;

export function actorOf(caller: FrontlineCaller): FrontlineActor {
  return {
    userId: caller.id,
    cadreId: caller.cadreId,
    isOrgAdmin: hasRole(caller, "org_admin"),
    managedUnitIds: caller.scope.unitIds,
  };
}

export const recordColumns = {
  id: frontlineRecords.id,
  cadreId: frontlineRecords.cadreId,
  category: frontlineRecords.category,
  place: frontlineRecords.place,
  startDate: frontlineRecords.startDate,
  endDate: frontlineRecords.endDate,
  summary: frontlineRecords.summary,
  outcome: frontlineRecords.outcome,
  evidence: frontlineRecords.evidence,
  links: frontlineRecords.links,
  status: frontlineRecords.status,
  revision: frontlineRecords.revision,
  source: frontlineRecords.source,
  importBatchId: frontlineRecords.importBatchId,
  createdByUserId: frontlineRecords.createdByUserId,
  submittedAt: frontlineRecords.submittedAt,
  submittedByUserId: frontlineRecords.submittedByUserId,
  verifiedAt: frontlineRecords.verifiedAt,
  verifiedByUserId: frontlineRecords.verifiedByUserId,
  returnedAt: frontlineRecords.returnedAt,
  returnedByUserId: frontlineRecords.returnedByUserId,
  returnComment: frontlineRecords.returnComment,
  createdAt: frontlineRecords.createdAt,
  updatedAt: frontlineRecords.updatedAt,
};

export type LockedRecord = Awaited<ReturnType<typeof lockRecord>>;

/**
 * A record inside the caller's scope, locked for the rest of the transaction so that two decisions on
 * it take turns. Outside the scope it does not exist (404), whatever id was typed into the URL.
 */
export async function lockRecord(tx: DbOrTx, caller: FrontlineCaller, recordId: number) {
  const [row] = await tx
    .select({ ...recordColumns, cadreUnitId: cadres.unitId, cadreName: cadres.name, cadreEmail: cadres.email })
    .from(frontlineRecords)
    .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
    .where(and(eq(frontlineRecords.id, recordId), cadreScopeFilter(caller.scope)))
    .for("update", { of: frontlineRecords });
  if (!row) throw notFound();
  return row;
}

export function factsOf(row: Pick<LockedRecord, "status" | "cadreId" | "cadreUnitId" | "submittedByUserId">): RecordFacts {
  return { status: row.status, cadreId: row.cadreId, cadreUnitId: row.cadreUnitId, submittedByUserId: row.submittedByUserId };
}

/**
 * Refuses an action the rules do not allow: the wrong person gets 403, the wrong moment (a record
 * already decided, a draft not yet submitted) a message on the page.
 */
export function assertMay(caller: FrontlineCaller, row: Parameters<typeof factsOf>[0], action: FrontlineAction): void {
  const actor = actorOf(caller);
  const facts = factsOf(row);
  const key = refusalKey(actor, facts, action);
  if (!key) return;
  if (key === "frontline.errors.notNow") throw conflict(key);
  throw key === "errors.forbidden" ? forbidden() : new DomainError("forbidden", key);
}
