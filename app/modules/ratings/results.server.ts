import { type SQL, sql } from "drizzle-orm";
import type { Scope } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "~db/client";
import { RATING_REASONS, type RatingReason } from "./rules";

/**
 * What the ratings add up to. A rating counts when it was counted on arrival (first of its device, point
 * and day; address under its limit) and its day was not discounted by a reviewer.
 */

const COUNTS = sql`r.counted and r.discounted_burst_id is null`;

/**
 * The unit satisfaction input of the quarterly ranking: per unit, satisfied and unsatisfied counted
 * ratings with a rating day in [from, to). The rankings capability adds the imported counts to these
 * (its `satisfaction` indicator: satisfied ÷ all counted).
 */
export function countedRatingsByUnit(from: string, to: string): SQL {
  return sql`
    select r.unit_id, count(*) filter (where r.satisfied)::int as satisfied, count(*) filter (where not r.satisfied)::int as unsatisfied
    from public_ratings r
    where r.rated_on >= ${from}::date and r.rated_on < ${to}::date and ${COUNTS}
    group by r.unit_id`;
}

export interface PeriodShare {
  period: string;
  counted: number;
  satisfied: number;
  share: number | null;
}

export interface RatingResults {
  months: PeriodShare[];
  quarters: PeriodShare[];
  reasons: { reason: RatingReason; count: number }[];
  notCounted: { repeat: number; limited: number; discounted: number };
  points: { pointId: number; code: string; name: string; unitName: string; counted: number; satisfied: number; share: number | null }[];
}

const share = (satisfied: number, counted: number) => (counted > 0 ? satisfied / counted : null);

/**
 * Satisfied share by month and quarter of a year, unsatisfied reasons, what was kept but not counted,
 * and per point; for the units in `unitIds` (already checked against the caller's scope) or, with the
 * whole scope, every unit in it.
 */
export async function ratingResults(
  db: DbOrTx,
  scope: Scope,
  options: { year: number; unitIds?: number[]; pointId?: number },
): Promise<RatingResults> {
  const from = `${options.year}-01-01`;
  const to = `${options.year + 1}-01-01`;
  const units = options.unitIds ?? (scope.all ? null : scope.unitIds);
  const where = sql.join(
    [
      sql`r.rated_on >= ${from}::date and r.rated_on < ${to}::date`,
      units ? sql`r.unit_id = any(${`{${units.join(",")}}`}::int[])` : sql`true`,
      options.pointId ? sql`r.point_id = ${options.pointId}` : sql`true`,
    ],
    sql` and `,
  );
  const [periods, reasons, points] = await Promise.all([
    db.execute<{ month: string; counted: number; satisfied: number; repeat: number; limited: number; discounted: number }>(sql`
      select to_char(r.rated_on, 'YYYY-MM') as month,
        count(*) filter (where ${COUNTS})::int as counted,
        count(*) filter (where ${COUNTS} and r.satisfied)::int as satisfied,
        count(*) filter (where r.not_counted = 'repeat')::int as repeat,
        count(*) filter (where r.not_counted = 'address_limit')::int as limited,
        count(*) filter (where r.discounted_burst_id is not null)::int as discounted
      from public_ratings r where ${where}
      group by 1 order by 1`),
    db.execute<{ reason: RatingReason; count: number }>(sql`
      select reason, count(*)::int as count
      from public_ratings r, unnest(r.reasons) as reason
      where ${where} and ${COUNTS} and not r.satisfied
      group by reason`),
    db.execute<{ point_id: number; code: string; name: string; unit_name: string; counted: number; satisfied: number }>(sql`
      select p.id as point_id, p.code, p.name, u.name as unit_name,
        count(*) filter (where ${COUNTS})::int as counted, count(*) filter (where ${COUNTS} and r.satisfied)::int as satisfied
      from public_ratings r join rating_points p on p.id = r.point_id join units u on u.id = p.unit_id
      where ${where}
      group by p.id, p.code, p.name, u.name
      order by u.name, p.code
      limit 500`),
  ]);
  const months: PeriodShare[] = [];
  const quarters = new Map<string, PeriodShare>();
  const notCounted = { repeat: 0, limited: 0, discounted: 0 };
  // Every month of the year up to this one (all twelve for a past year), with or without ratings.
  const byMonth = new Map(periods.map((m) => [m.month, m]));
  const thisMonth = todayInShanghai().slice(0, 7);
  const monthList = Array.from({ length: 12 }, (_, i) => `${options.year}-${String(i + 1).padStart(2, "0")}`).filter(
    (m) => m <= thisMonth || byMonth.has(m),
  );
  const zero = { counted: 0, satisfied: 0, repeat: 0, limited: 0, discounted: 0 };
  for (const month of monthList) {
    const m = { month, ...zero, ...byMonth.get(month) };
    months.push({ period: m.month, counted: m.counted, satisfied: m.satisfied, share: share(m.satisfied, m.counted) });
    const q = `${m.month.slice(0, 4)}Q${Math.ceil(Number(m.month.slice(5, 7)) / 3)}`;
    const acc = quarters.get(q) ?? { period: q, counted: 0, satisfied: 0, share: null };
    acc.counted += m.counted;
    acc.satisfied += m.satisfied;
    acc.share = share(acc.satisfied, acc.counted);
    quarters.set(q, acc);
    notCounted.repeat += m.repeat;
    notCounted.limited += m.limited;
    notCounted.discounted += m.discounted;
  }
  const byReason = new Map(reasons.map((r) => [r.reason, Number(r.count)]));
  return {
    months,
    quarters: [...quarters.values()],
    reasons: RATING_REASONS.map((reason) => ({ reason, count: byReason.get(reason) ?? 0 })),
    notCounted,
    points: points.map((p) => ({
      pointId: Number(p.point_id),
      code: p.code,
      name: p.name,
      unitName: p.unit_name,
      counted: p.counted,
      satisfied: p.satisfied,
      share: share(p.satisfied, p.counted),
    })),
  };
}
