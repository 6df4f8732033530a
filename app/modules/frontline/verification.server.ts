import { and, asc, count, eq, inArray, ne, or, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueueEmail, organizationName } from "~/modules/email/outbox.server";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { forbidden } from "~/utils/errors";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import { idList } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import { cadres, frontlineRecords, units, users } from "~db/schema";
import type { FrontlineCategory, FrontlineStatus } from "~db/schema/frontline";
import { isFrontlineManager } from "./access";
import { actorOf, assertMay, type FrontlineCaller, factsOf, type LockedRecord, lockRecord } from "./access.server";
import { intervalDays, newDays, overlapDays } from "./days";
import { mayAct } from "./rules";

/**
 * Verification: the unit's head or liaison (or an org admin) verifies a submitted record or returns it
 * with a comment, and the cadre is told by email, queued in the same transaction as the decision.
 */

export type Decision = { intent: "verify" } | { intent: "return"; comment: string } | { intent: "reopen"; comment: string };

export interface DecisionContext {
  /** The app's public origin, for the link in the email. */
  origin: string;
}

/** Decides one record. A repeated click finds it already decided by the same person and does nothing. */
export async function decideRecord(
  db: Database,
  caller: FrontlineCaller,
  recordId: number,
  decision: Decision,
  context: DecisionContext,
): Promise<{ changed: boolean }> {
  const changed = await db.transaction(async (tx) => {
    const row = await lockRecord(tx, caller, recordId);
    if (alreadyDecided(row, caller, decision)) return false;
    assertMay(caller, row, decision.intent);
    await applyDecision(tx, caller, row, decision, context, new EmailCache());
    return true;
  });
  if (changed) nudgeOutbox();
  return { changed };
}

function alreadyDecided(row: LockedRecord, caller: FrontlineCaller, decision: Decision): boolean {
  if (decision.intent === "verify") return row.status === "verified" && row.verifiedByUserId === caller.id;
  return row.status === "returned" && row.returnedByUserId === caller.id && row.returnComment === decision.comment;
}

async function applyDecision(
  tx: DbOrTx,
  caller: FrontlineCaller,
  row: LockedRecord,
  decision: Decision,
  context: DecisionContext,
  cache: EmailCache,
) {
  const now = new Date();
  const revision = row.revision + 1;
  if (decision.intent === "verify") {
    await tx
      .update(frontlineRecords)
      .set({ status: "verified", verifiedAt: now, verifiedByUserId: caller.id, revision })
      .where(eq(frontlineRecords.id, row.id));
  } else {
    await tx
      .update(frontlineRecords)
      .set({
        status: "returned",
        returnedAt: now,
        returnedByUserId: caller.id,
        returnComment: decision.comment,
        revision,
        // A reopened record no longer counts; who verified it once stays in the audit log.
        ...(decision.intent === "reopen" ? { verifiedAt: null, verifiedByUserId: null } : {}),
      })
      .where(eq(frontlineRecords.id, row.id));
  }
  const action = ({ verify: "frontline.verified", return: "frontline.returned", reopen: "frontline.reopened" } as const)[decision.intent];
  await audit(
    tx,
    { userId: caller.id },
    {
      action,
      entityType: "frontline_record",
      entityId: row.id,
      before: { status: row.status },
      after: { status: decision.intent === "verify" ? "verified" : "returned" },
      reason: decision.intent === "verify" ? null : decision.comment,
    },
  );
  await queueOutcomeEmail(tx, caller, row, decision, revision, context, cache);
}

/** Names and organization titles looked up once per request, however many records are decided. */
class EmailCache {
  organization = new Map<Locale, string>();
  decider: string | undefined;
}

async function queueOutcomeEmail(
  tx: DbOrTx,
  caller: FrontlineCaller,
  row: LockedRecord,
  decision: Decision,
  revision: number,
  context: DecisionContext,
  cache: EmailCache,
) {
  if (!row.cadreEmail) return;
  const [account] = await tx.select({ id: users.id, locale: users.locale }).from(users).where(eq(users.cadreId, row.cadreId));
  const locale = toLocale(account?.locale) ?? DEFAULT_LOCALE;
  if (!cache.organization.has(locale)) cache.organization.set(locale, await organizationName(tx, locale));
  if (cache.decider === undefined) {
    const [decider] = await tx
      .select({ name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '')` })
      .from(users)
      .leftJoin(cadres, eq(cadres.id, users.cadreId))
      .where(eq(users.id, caller.id));
    cache.decider = decider?.name ?? "";
  }
  await enqueueEmail(tx, {
    template: "frontline-outcome",
    to: row.cadreEmail,
    userId: account?.id ?? null,
    // One message per decision: a record returned twice gets two emails, a retried decision one.
    idempotencyKey: `frontline-outcome/${row.id}/${revision}`,
    props: {
      locale,
      organizationName: cache.organization.get(locale)!,
      name: row.cadreName,
      outcome: decision.intent === "verify" ? "verified" : "returned",
      category: row.category,
      place: row.place,
      startDate: row.startDate,
      endDate: row.endDate,
      days: intervalDays({ start: row.startDate, end: row.endDate }),
      comment: decision.intent === "verify" ? null : decision.comment,
      deciderName: cache.decider,
      url: `${context.origin}/frontline/${row.id}`,
    },
  });
}

export type BulkSkipReason = "not_found" | "not_allowed" | "overlap";

export interface BulkResult {
  verified: number[];
  skipped: { id: number; reason: BulkSkipReason }[];
}

/**
 * Verifies many records in one step. Only clean ones: a record that shares days with another of the
 * cadre's records is left for a decision of its own, after someone has looked at the overlap.
 */
export async function bulkVerify(
  db: Database,
  caller: FrontlineCaller,
  recordIds: number[],
  context: DecisionContext,
): Promise<BulkResult> {
  const ids = [...new Set(recordIds)].sort((a, b) => a - b);
  const result: BulkResult = { verified: [], skipped: [] };
  const actor = actorOf(caller);
  await db.transaction(async (tx) => {
    const overlaps = await overlapsFor(tx, ids);
    const cache = new EmailCache();
    // Ascending ids: two bulk requests lock in the same order and cannot deadlock.
    for (const id of ids) {
      let row: LockedRecord;
      try {
        row = await lockRecord(tx, caller, id);
      } catch {
        result.skipped.push({ id, reason: "not_found" });
        continue;
      }
      if (row.status === "verified" && row.verifiedByUserId === caller.id) {
        result.verified.push(id);
        continue;
      }
      if (!mayAct(actor, factsOf(row), "verify")) {
        result.skipped.push({ id, reason: "not_allowed" });
        continue;
      }
      if (overlaps.get(id)?.length) {
        result.skipped.push({ id, reason: "overlap" });
        continue;
      }
      await applyDecision(tx, caller, row, { intent: "verify" }, context, cache);
      result.verified.push(id);
    }
  });
  if (result.verified.length) nudgeOutbox();
  return result;
}

export interface OverlapInfo {
  id: number;
  category: FrontlineCategory;
  place: string;
  startDate: string;
  endDate: string;
  status: FrontlineStatus;
  /** Days the two records share. */
  days: number;
}

/** For each record, the cadre's other records (drafts aside) that share at least one day with it. */
export async function overlapsFor(db: DbOrTx, recordIds: readonly number[]): Promise<Map<number, OverlapInfo[]>> {
  const out = new Map<number, OverlapInfo[]>();
  if (!recordIds.length) return out;
  const rows = await db.execute<{
    record_id: number;
    r_start: string;
    r_end: string;
    id: number;
    category: FrontlineCategory;
    place: string;
    start_date: string;
    end_date: string;
    status: FrontlineStatus;
  }>(sql`
    select r.id as record_id, r.start_date::text as r_start, r.end_date::text as r_end,
           o.id, o.category, o.place, o.start_date::text as start_date, o.end_date::text as end_date, o.status
    from frontline_records r
    join frontline_records o
      on o.cadre_id = r.cadre_id and o.id <> r.id and o.status <> 'draft'
     and o.start_date <= r.end_date and o.end_date >= r.start_date
    where r.id in ${idList(recordIds)}
    order by r.id, o.start_date, o.id`);
  for (const r of rows) {
    const list = out.get(Number(r.record_id)) ?? [];
    list.push({
      id: Number(r.id),
      category: r.category,
      place: r.place,
      startDate: r.start_date,
      endDate: r.end_date,
      status: r.status,
      days: overlapDays({ start: r.r_start, end: r.r_end }, { start: r.start_date, end: r.end_date }),
    });
    out.set(Number(r.record_id), list);
  }
  return out;
}

export const QUEUE_LIMIT = 200;

/**
 * Submitted records waiting for the caller: their units' cadres (an org admin: everyone), oldest
 * first, each with its overlaps and the cadre's other recent records. The caller's own records are
 * never in their queue.
 */
export async function verificationQueue(db: DbOrTx, caller: FrontlineCaller, options: { unitId?: number } = {}) {
  if (!isFrontlineManager(caller)) throw forbidden();
  const where = [eq(frontlineRecords.status, "submitted"), cadreScopeFilter(caller.scope)];
  if (caller.cadreId) where.push(ne(frontlineRecords.cadreId, caller.cadreId));
  if (options.unitId) where.push(inArray(cadres.unitId, await unitSubtreeIds(db, [options.unitId])));
  const condition = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: frontlineRecords.id,
        cadreId: frontlineRecords.cadreId,
        category: frontlineRecords.category,
        place: frontlineRecords.place,
        startDate: frontlineRecords.startDate,
        endDate: frontlineRecords.endDate,
        summary: frontlineRecords.summary,
        outcome: frontlineRecords.outcome,
        status: frontlineRecords.status,
        submittedAt: frontlineRecords.submittedAt,
        submittedByUserId: frontlineRecords.submittedByUserId,
        returnComment: frontlineRecords.returnComment,
        cadreName: cadres.name,
        staffNo: cadres.staffNo,
        rank: cadres.rank,
        cadreUnitId: cadres.unitId,
        unitName: units.name,
      })
      .from(frontlineRecords)
      .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
      .innerJoin(units, eq(units.id, cadres.unitId))
      .where(condition)
      .orderBy(asc(frontlineRecords.submittedAt), asc(frontlineRecords.id))
      .limit(QUEUE_LIMIT),
    db.select({ n: count() }).from(frontlineRecords).innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId)).where(condition),
  ]);
  const overlaps = await overlapsFor(
    db,
    rows.map((r) => r.id),
  );
  const others = await otherRecords(db, [...new Set(rows.map((r) => r.cadreId))]);
  const actor = actorOf(caller);
  return {
    total: total?.n ?? 0,
    rows: rows.map((r) => {
      const overlapping = overlaps.get(r.id) ?? [];
      const verifiedOverlaps = overlapping.filter((o) => o.status === "verified").map((o) => ({ start: o.startDate, end: o.endDate }));
      return {
        ...r,
        days: intervalDays({ start: r.startDate, end: r.endDate }),
        newDays: newDays({ start: r.startDate, end: r.endDate }, verifiedOverlaps),
        overlaps: overlapping,
        others: (others.get(r.cadreId) ?? []).filter((o) => o.id !== r.id),
        canDecide: mayAct(actor, factsOf(r), "verify"),
      };
    }),
  };
}

const OTHERS_PER_CADRE = 8;

/** Each cadre's most recent records other than drafts: what the verifier sees beside a submission. */
export async function otherRecords(db: DbOrTx, cadreIds: number[]) {
  const out = new Map<
    number,
    { id: number; category: FrontlineCategory; place: string; startDate: string; endDate: string; status: FrontlineStatus }[]
  >();
  if (!cadreIds.length) return out;
  const rows = await db.execute<{
    cadre_id: number;
    id: number;
    category: FrontlineCategory;
    place: string;
    start_date: string;
    end_date: string;
    status: FrontlineStatus;
  }>(sql`
    select cadre_id, id, category, place, start_date::text as start_date, end_date::text as end_date, status
    from (
      select r.*, row_number() over (partition by r.cadre_id order by r.start_date desc, r.id desc) as n
      from frontline_records r
      where r.cadre_id in ${idList(cadreIds)} and r.status <> 'draft'
    ) ranked
    where n <= ${OTHERS_PER_CADRE + 1}
    order by cadre_id, start_date desc`);
  for (const r of rows) {
    const list = out.get(Number(r.cadre_id)) ?? [];
    list.push({ id: Number(r.id), category: r.category, place: r.place, startDate: r.start_date, endDate: r.end_date, status: r.status });
    out.set(Number(r.cadre_id), list);
  }
  return out;
}

/** How many records wait for the caller's decision (for the frontline home page and, later, the digest). */
export async function pendingCount(db: DbOrTx, caller: FrontlineCaller): Promise<number> {
  if (!isFrontlineManager(caller)) return 0;
  const where = [eq(frontlineRecords.status, "submitted"), cadreScopeFilter(caller.scope)];
  if (caller.cadreId) where.push(ne(frontlineRecords.cadreId, caller.cadreId));
  const [row] = await db
    .select({ n: count() })
    .from(frontlineRecords)
    .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
    .where(and(...where, or(sql`${frontlineRecords.submittedByUserId} is null`, ne(frontlineRecords.submittedByUserId, caller.id))));
  return row?.n ?? 0;
}
