import { and, asc, count, eq, inArray } from "drizzle-orm";
import { hasRole, scopeCoversUnit } from "~/modules/auth/roles";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { forbidden, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, frontlineRecords, units } from "~db/schema";
import type { Rank, UnitKind } from "~db/schema/enums";
import { FRONTLINE_CATEGORIES, type FrontlineCategory } from "~db/schema/frontline";
import { isFrontlineManager } from "./access";
import type { FrontlineCaller } from "./access.server";
import { addMonths, monthInterval, monthOf, monthsBetween } from "./days";
import { daysByUnitAndCategory, daysByUnitAndMonth, daysByUnitCadreAndMonth, quotaStanding } from "./days.server";
import type { FrontlineRules } from "./rules";

/** A period of whole months; the month under way ends today. */
export interface MonthPeriod {
  fromMonth: string;
  toMonth: string;
}

/** The last twelve months up to this one, unless the URL asks for others (at most five years, in order). */
export function resolvePeriod(input: { from?: string; to?: string }, today: string): MonthPeriod {
  const current = monthOf(today);
  let toMonth = input.to && input.to <= current ? input.to : current;
  let fromMonth = input.from ?? addMonths(toMonth, -11);
  if (fromMonth > toMonth) [fromMonth, toMonth] = [toMonth, fromMonth];
  if (monthsBetween(fromMonth, toMonth).length > 60) fromMonth = addMonths(toMonth, -59);
  return { fromMonth, toMonth };
}

function periodDates(period: MonthPeriod, today: string) {
  const end = monthInterval(period.toMonth).end;
  return { from: `${period.fromMonth}-01`, to: end < today ? end : today };
}

export interface UnitMonth {
  month: string;
  ongoing: boolean;
  /** All verified days of the unit's cadres, each day credited to the unit of that date. */
  days: number;
  /** Cadres with at least one such day. */
  activeCadres: number;
  /** Cadres held to a quota this month, what they owe together, and what is missing. */
  quotaHolders: number;
  required: number;
  shortCadres: number;
  shortfallDays: number;
}

export interface UnitCadreRow {
  cadreId: number;
  staffNo: string;
  name: string;
  rank: Rank;
  unitName: string;
  quota: number;
  /** Month → days credited to this unit (and its sub-units). */
  days: Record<string, number>;
  /** Month → days missing from the quota, for months with a shortfall. */
  shortfall: Record<string, number>;
  total: number;
}

/**
 * A unit and its sub-units, month by month: frontline days against the quota, and each cadre's
 * days and shortfall. Heads and liaisons see their units; org admins any.
 */
export async function unitReport(
  db: DbOrTx,
  caller: FrontlineCaller,
  unitId: number,
  options: MonthPeriod & { today: string; rules: FrontlineRules },
) {
  if (!isFrontlineManager(caller)) throw forbidden();
  if (!scopeCoversUnit(caller.scope, unitId)) throw notFound();
  const [unit] = await db.select({ id: units.id, name: units.name, code: units.code }).from(units).where(eq(units.id, unitId));
  if (!unit) throw notFound();
  const subtree = await unitSubtreeIds(db, [unitId]);
  const period = periodDates(options, options.today);
  const [credited, quotaRows, categories] = await Promise.all([
    daysByUnitCadreAndMonth(db, { ...period, unitIds: subtree }),
    quotaStanding(db, {
      unitIds: subtree,
      fromMonth: options.fromMonth,
      toMonth: options.toMonth,
      today: options.today,
      rules: options.rules,
    }),
    daysByUnitAndCategory(db, { ...period, unitIds: subtree }),
  ]);

  const currentMonth = monthOf(options.today);
  const months: UnitMonth[] = monthsBetween(options.fromMonth, options.toMonth).map((month) => {
    const dayRows = credited.filter((r) => r.month === month);
    const quotas = quotaRows.filter((r) => r.month === month);
    return {
      month,
      ongoing: month >= currentMonth,
      days: dayRows.reduce((n, r) => n + r.days, 0),
      activeCadres: new Set(dayRows.map((r) => r.cadreId)).size,
      quotaHolders: quotas.length,
      required: quotas.reduce((n, r) => n + r.quota, 0),
      shortCadres: quotas.filter((r) => r.shortfall > 0).length,
      shortfallDays: quotas.reduce((n, r) => n + r.shortfall, 0),
    };
  });

  const cadreIds = [...new Set([...credited.map((r) => r.cadreId), ...quotaRows.map((r) => r.cadreId)])];
  const people = cadreIds.length
    ? await db
        .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name, rank: cadres.rank, unitName: units.name })
        .from(cadres)
        .innerJoin(units, eq(units.id, cadres.unitId))
        .where(inArray(cadres.id, cadreIds))
    : [];
  const rows = new Map<number, UnitCadreRow>(
    people.map((p) => [
      p.id,
      { cadreId: p.id, staffNo: p.staffNo, name: p.name, rank: p.rank, unitName: p.unitName, quota: 0, days: {}, shortfall: {}, total: 0 },
    ]),
  );
  for (const r of credited) {
    const row = rows.get(r.cadreId)!;
    row.days[r.month] = (row.days[r.month] ?? 0) + r.days;
    row.total += r.days;
  }
  for (const q of quotaRows) {
    const row = rows.get(q.cadreId)!;
    row.quota = q.quota;
    if (q.shortfall > 0) row.shortfall[q.month] = q.shortfall;
  }
  const byCategory = Object.fromEntries(FRONTLINE_CATEGORIES.map((c) => [c, 0])) as Record<FrontlineCategory, number>;
  for (const r of categories.byCategory) byCategory[r.category] += r.days;

  return {
    unit,
    subUnits: subtree.length - 1,
    period: { fromMonth: options.fromMonth, toMonth: options.toMonth },
    months,
    byCategory,
    // Those with a quota first (the quota is the point of the page), then by staff number.
    cadres: [...rows.values()].sort((a, b) => b.quota - a.quota || a.staffNo.localeCompare(b.staffNo)),
  };
}

export type UnitReport = Awaited<ReturnType<typeof unitReport>>;

export interface OverviewUnitRow {
  unitId: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
  days: number;
  cadres: number;
  byCategory: Record<FrontlineCategory, number>;
  /** Cadre-months below the quota in months that are over, and the days missing in them. */
  shortMonths: number;
  shortfallDays: number;
  pending: number;
}

/**
 * The organization department's view: every unit's verified days in the period by category (its own
 * members, each day credited to the unit of that date), the shortfalls, and what waits for verification.
 */
export async function frontlineOverview(
  db: DbOrTx,
  caller: FrontlineCaller,
  options: MonthPeriod & { today: string; rules: FrontlineRules },
) {
  if (!hasRole(caller, "org_admin")) throw forbidden();
  const period = periodDates(options, options.today);
  const [allUnits, byUnit, monthly, quotaRows, pending] = await Promise.all([
    db
      .select({ id: units.id, code: units.code, name: units.name, kind: units.kind, parentId: units.parentId })
      .from(units)
      .orderBy(asc(units.code)),
    daysByUnitAndCategory(db, period),
    daysByUnitAndMonth(db, period),
    quotaStanding(db, { fromMonth: options.fromMonth, toMonth: options.toMonth, today: options.today, rules: options.rules }),
    db
      .select({ unitId: cadres.unitId, n: count() })
      .from(frontlineRecords)
      .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
      .where(and(eq(frontlineRecords.status, "submitted")))
      .groupBy(cadres.unitId),
  ]);
  const currentMonth = monthOf(options.today);
  const rows = new Map<number, OverviewUnitRow>(
    allUnits.map((u) => [
      u.id,
      {
        unitId: u.id,
        code: u.code,
        name: u.name,
        kind: u.kind,
        parentId: u.parentId,
        days: 0,
        cadres: 0,
        byCategory: Object.fromEntries(FRONTLINE_CATEGORIES.map((c) => [c, 0])) as Record<FrontlineCategory, number>,
        shortMonths: 0,
        shortfallDays: 0,
        pending: 0,
      },
    ]),
  );
  for (const r of byUnit.total) Object.assign(rows.get(r.unitId)!, { days: r.days, cadres: r.cadres });
  for (const r of byUnit.byCategory) rows.get(r.unitId)!.byCategory[r.category] = r.days;
  for (const q of quotaRows) {
    if (q.month >= currentMonth || q.shortfall === 0) continue;
    const row = rows.get(q.unitId)!;
    row.shortMonths += 1;
    row.shortfallDays += q.shortfall;
  }
  for (const p of pending) rows.get(p.unitId)!.pending = p.n;

  const categoryTotals = Object.fromEntries(FRONTLINE_CATEGORIES.map((c) => [c, 0])) as Record<FrontlineCategory, number>;
  for (const r of byUnit.byCategory) categoryTotals[r.category] += r.days;
  const months = monthsBetween(options.fromMonth, options.toMonth).map((month) => {
    const quotas = quotaRows.filter((q) => q.month === month);
    return {
      month,
      ongoing: month >= currentMonth,
      days: monthly.filter((m) => m.month === month).reduce((n, m) => n + m.days, 0),
      required: quotas.reduce((n, q) => n + q.quota, 0),
      shortCadres: quotas.filter((q) => q.shortfall > 0).length,
      shortfallDays: quotas.reduce((n, q) => n + q.shortfall, 0),
    };
  });
  return {
    period: { fromMonth: options.fromMonth, toMonth: options.toMonth },
    units: [...rows.values()],
    categoryTotals,
    months,
    totalDays: byUnit.total.reduce((n, r) => n + r.days, 0),
    pending: pending.reduce((n, p) => n + p.n, 0),
  };
}

export type FrontlineOverview = Awaited<ReturnType<typeof frontlineOverview>>;
