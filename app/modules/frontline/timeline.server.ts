import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Scope } from "~/modules/auth/roles";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { todayInShanghai } from "~/utils/dates";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { auditLog, cadres, frontlineAttachments, frontlineRecords, units, users } from "~db/schema";
import { actorOf, type FrontlineCaller, factsOf, recordColumns } from "./access.server";
import { addMonths, intervalDays, monthOf, overlapsWith } from "./days";
import { daysByCadreAndCategory, daysByCadreAndMonth, frontlineEligibility } from "./days.server";
import { allowedActions, type FrontlineRules, isQualifying, mayAct, monthlyQuota, monthStanding } from "./rules";
import { getFrontlineRules } from "./settings.server";
import { otherRecords, overlapsFor } from "./verification.server";

/** The months a cadre's page shows: the last twelve, this one included. */
export const TIMELINE_MONTHS = 12;
const RECORD_LIMIT = 500;

async function visibleCadre(db: DbOrTx, scope: Scope, cadreId: number) {
  const [cadre] = await db
    .select({
      id: cadres.id,
      name: cadres.name,
      staffNo: cadres.staffNo,
      rank: cadres.rank,
      status: cadres.status,
      unitId: cadres.unitId,
      unitName: units.name,
    })
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(and(eq(cadres.id, cadreId), cadreScopeFilter(scope)));
  if (!cadre) throw notFound();
  return cadre;
}

/**
 * A cadre's frontline page: every record, newest first, each marked where it shares days with
 * another; the days against the monthly quota for the last twelve months; the eligibility figure with
 * the verified records behind it.
 */
export async function cadreFrontline(
  db: DbOrTx,
  caller: FrontlineCaller,
  cadreId: number,
  options: { today: string; rules: FrontlineRules },
) {
  const cadre = await visibleCadre(db, caller.scope, cadreId);
  const currentMonth = monthOf(options.today);
  const fromMonth = addMonths(currentMonth, -(TIMELINE_MONTHS - 1));
  const [records, eligibility, monthly, categories] = await Promise.all([
    db
      .select({
        id: frontlineRecords.id,
        category: frontlineRecords.category,
        place: frontlineRecords.place,
        startDate: frontlineRecords.startDate,
        endDate: frontlineRecords.endDate,
        summary: frontlineRecords.summary,
        status: frontlineRecords.status,
        returnComment: frontlineRecords.returnComment,
        source: frontlineRecords.source,
      })
      .from(frontlineRecords)
      .where(eq(frontlineRecords.cadreId, cadreId))
      .orderBy(desc(frontlineRecords.startDate), desc(frontlineRecords.id))
      .limit(RECORD_LIMIT),
    frontlineEligibility(db, [cadreId], { asOf: options.today, rules: options.rules }),
    daysByCadreAndMonth(db, { from: `${fromMonth}-01`, to: options.today, cadreIds: [cadreId] }),
    daysByCadreAndCategory(db, { from: "1900-01-01", to: options.today, cadreIds: [cadreId] }),
  ]);
  const claimed = records.filter((r) => r.status !== "draft").map((r) => ({ id: r.id, start: r.startDate, end: r.endDate }));
  const quota = monthlyQuota(cadre.rank, options.rules);
  const daysIn = new Map(monthly.map((m) => [m.month, m.days]));
  const months = [];
  for (let m = currentMonth; m >= fromMonth; m = addMonths(m, -1)) months.push(monthStanding(m, daysIn.get(m) ?? 0, quota, currentMonth));
  return {
    cadre,
    quota,
    months,
    eligibility: eligibility.get(cadreId)!,
    categories,
    canRecord: mayAct(actorOf(caller), { status: "draft", cadreId, cadreUnitId: cadre.unitId, submittedByUserId: null }, "edit"),
    records: records.map((r) => ({
      ...r,
      days: intervalDays({ start: r.startDate, end: r.endDate }),
      qualifying: isQualifying(r.category),
      overlapDays: overlapsWith({ id: r.id, start: r.startDate, end: r.endDate }, claimed).reduce((n, o) => n + o.days, 0),
    })),
  };
}

/** The eligibility line and this month's standing, for the cadre's record page. */
export async function cadreFrontlineSummary(db: DbOrTx, scope: Scope, cadreId: number, options: { today: string; rules: FrontlineRules }) {
  const cadre = await visibleCadre(db, scope, cadreId);
  const month = monthOf(options.today);
  const [eligibility, monthly] = await Promise.all([
    frontlineEligibility(db, [cadreId], { asOf: options.today, rules: options.rules }),
    daysByCadreAndMonth(db, { from: `${month}-01`, to: options.today, cadreIds: [cadreId] }),
  ]);
  const quota = monthlyQuota(cadre.rank, options.rules);
  return {
    eligibility: eligibility.get(cadreId)!,
    thisMonth: monthStanding(month, monthly[0]?.days ?? 0, quota, month),
  };
}

/** Who did what to a record, from the audit log (which nobody can rewrite). */
async function recordHistory(db: DbOrTx, recordId: number) {
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      reason: auditLog.reason,
      actorLabel: auditLog.actorLabel,
      actorName: sql<string | null>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email})`,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(and(eq(auditLog.entityType, "frontline_record"), eq(auditLog.entityId, String(recordId))))
    .orderBy(asc(auditLog.id));
}

async function userNames(db: DbOrTx, ids: (number | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return new Map<number, string>();
  const rows = await db
    .select({ id: users.id, name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '')` })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One record as its page shows it, with what the caller may do to it and what a verifier needs to see. */
export async function recordDetail(db: DbOrTx, caller: FrontlineCaller, recordId: number) {
  const [row] = await db
    .select({
      ...recordColumns,
      cadreName: cadres.name,
      staffNo: cadres.staffNo,
      rank: cadres.rank,
      cadreUnitId: cadres.unitId,
      unitName: units.name,
    })
    .from(frontlineRecords)
    .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(and(eq(frontlineRecords.id, recordId), cadreScopeFilter(caller.scope)));
  if (!row) throw notFound();
  const [overlaps, others, attachments, history, names] = await Promise.all([
    overlapsFor(db, [recordId]),
    otherRecords(db, [row.cadreId]),
    db
      .select({
        id: frontlineAttachments.id,
        fileName: frontlineAttachments.fileName,
        contentType: frontlineAttachments.contentType,
        byteSize: frontlineAttachments.byteSize,
        createdAt: frontlineAttachments.createdAt,
      })
      .from(frontlineAttachments)
      .where(eq(frontlineAttachments.recordId, recordId))
      .orderBy(asc(frontlineAttachments.id)),
    recordHistory(db, recordId),
    userNames(db, [row.createdByUserId, row.submittedByUserId, row.verifiedByUserId, row.returnedByUserId]),
  ]);
  const name = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  return {
    record: {
      ...row,
      days: intervalDays({ start: row.startDate, end: row.endDate }),
      qualifying: isQualifying(row.category),
      createdBy: name(row.createdByUserId),
      submittedBy: name(row.submittedByUserId),
      verifiedBy: name(row.verifiedByUserId),
      returnedBy: name(row.returnedByUserId),
    },
    actions: allowedActions(actorOf(caller), factsOf(row)),
    overlaps: overlaps.get(recordId) ?? [],
    others: (others.get(row.cadreId) ?? []).filter((o) => o.id !== recordId),
    attachments,
    history,
  };
}

/** The record as the edit form needs it, if the caller may edit (or, for an org admin, correct) it now. */
export async function recordForEdit(db: DbOrTx, caller: FrontlineCaller, recordId: number) {
  const [row] = await db
    .select({ ...recordColumns, cadreName: cadres.name, staffNo: cadres.staffNo, cadreUnitId: cadres.unitId })
    .from(frontlineRecords)
    .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
    .where(and(eq(frontlineRecords.id, recordId), cadreScopeFilter(caller.scope)));
  if (!row) throw notFound();
  const actor = actorOf(caller);
  const mode: "edit" | "correct" | null = mayAct(actor, factsOf(row), "edit")
    ? "edit"
    : mayAct(actor, factsOf(row), "correct")
      ? "correct"
      : null;
  return { record: row, mode };
}

/** What the cadre record page shows of frontline work (one call, so that page's loader stays one line longer). */
export async function cadreFrontlineSection(db: DbOrTx, scope: Scope, cadreId: number) {
  return cadreFrontlineSummary(db, scope, cadreId, { today: todayInShanghai(), rules: await getFrontlineRules(db) });
}
