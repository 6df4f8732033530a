import { type SQL, sql } from "drizzle-orm";
import { rankBand } from "~/modules/organization/rules";
import { termOnSql as termOn } from "~/modules/organization/terms.server";
import { idList, textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { RANKS } from "~db/schema/enums";
import { type FrontlineCategory, QUALIFYING_CATEGORIES } from "~db/schema/frontline";
import { type FrontlineRules, isEligible } from "./rules";

/**
 * Frontline days computed in PostgreSQL, set-based: each cadre's verified records become one
 * multirange (range_agg merges overlaps and touching stretches), which is then cut by month, by unit
 * membership or by period. The same rules as days.ts, which the tests compare this against; the
 * rankings run these over every cadre at once.
 *
 * Periods are calendar dates (YYYY-MM-DD), both ends included.
 */
export interface Period {
  from: string;
  to: string;
}

export interface DaysFilter extends Period {
  /** Only these cadres; all when absent. */
  cadreIds?: readonly number[];
  /** Only these categories; all when absent. */
  categories?: readonly FrontlineCategory[];
}

/**
 * Each cadre's verified days inside the period as disjoint date ranges (`[)` bounds, as PostgreSQL
 * keeps them), optionally kept apart by category. Clipping happens before merging, so a record half
 * inside the period counts its inside half.
 */
function mergedSpans(filter: DaysFilter, perCategory = false): SQL {
  const where: SQL[] = [sql`status = 'verified'`, sql`start_date <= ${filter.to}::date`, sql`end_date >= ${filter.from}::date`];
  if (filter.cadreIds) where.push(sql`cadre_id in ${idList(filter.cadreIds)}`);
  if (filter.categories) where.push(sql`category::text in ${textList(filter.categories)}`);
  const category = perCategory ? sql`, category::text as category` : sql``;
  const groupCategory = perCategory ? sql`, category` : sql``;
  return sql`
    select cadre_id ${category},
           unnest(range_agg(daterange(greatest(start_date, ${filter.from}::date), least(end_date, ${filter.to}::date), '[]'))) as span
    from frontline_records
    where ${sql.join(where, sql` and `)}
    group by cadre_id ${groupCategory}`;
}

/** Union days per cadre in the period; cadres without any are absent. */
export async function daysByCadre(db: DbOrTx, filter: DaysFilter): Promise<Map<number, number>> {
  const rows = await db.execute<{ cadre_id: number; days: number }>(sql`
    select s.cadre_id, sum(upper(s.span) - lower(s.span))::int as days
    from (${mergedSpans(filter)}) s
    group by s.cadre_id`);
  return new Map(rows.map((r) => [Number(r.cadre_id), Number(r.days)]));
}

/** Union days per cadre and category (each category merged on its own, so they can add up to more than the total). */
export async function daysByCadreAndCategory(db: DbOrTx, filter: DaysFilter) {
  const rows = await db.execute<{ cadre_id: number; category: FrontlineCategory; days: number }>(sql`
    select s.cadre_id, s.category, sum(upper(s.span) - lower(s.span))::int as days
    from (${mergedSpans(filter, true)}) s
    group by s.cadre_id, s.category`);
  return rows.map((r) => ({ cadreId: Number(r.cadre_id), category: r.category, days: Number(r.days) }));
}

/** A month series expression over the months each span touches. */
const monthsOf = (range: SQL) => sql`generate_series(
    date_trunc('month', lower(${range})::timestamp),
    date_trunc('month', (upper(${range}) - 1)::timestamp),
    interval '1 month')`;

/** Union days per cadre per month ("YYYY-MM"); a record spanning months splits its days across them. */
export async function daysByCadreAndMonth(db: DbOrTx, filter: DaysFilter) {
  const rows = await db.execute<{ cadre_id: number; month: string; days: number }>(sql`
    select s.cadre_id, to_char(m, 'YYYY-MM') as month, sum(upper(x.part) - lower(x.part))::int as days
    from (${mergedSpans(filter)}) s
    cross join lateral ${monthsOf(sql`s.span`)} m
    cross join lateral (select s.span * daterange(m::date, (m + interval '1 month')::date) as part) x
    group by s.cadre_id, month
    order by s.cadre_id, month`);
  return rows.map((r) => ({ cadreId: Number(r.cadre_id), month: r.month, days: Number(r.days) }));
}

/** Spans cut by the unit each cadre belonged to on each day (unit_memberships, end date exclusive). */
function unitSpans(filter: DaysFilter & { unitIds?: readonly number[] }, perCategory = false): SQL {
  const units = filter.unitIds ? sql`and mem.unit_id in ${idList(filter.unitIds)}` : sql``;
  const category = perCategory ? sql`, s.category` : sql``;
  return sql`
    select mem.unit_id, s.cadre_id ${category}, s.span * daterange(mem.start_date, mem.end_date, '[)') as span
    from (${mergedSpans(filter, perCategory)}) s
    join unit_memberships mem
      on mem.cadre_id = s.cadre_id and daterange(mem.start_date, mem.end_date, '[)') && s.span ${units}`;
}

/**
 * Union days per unit per month, each day credited to the unit the cadre belonged to on that date, so a
 * transfer never moves past days to the new unit. Units list their own members, not their sub-units'.
 */
export async function daysByUnitAndMonth(db: DbOrTx, filter: DaysFilter & { unitIds?: readonly number[] }) {
  const rows = await db.execute<{ unit_id: number; month: string; days: number; cadres: number }>(sql`
    select u.unit_id, to_char(m, 'YYYY-MM') as month, sum(upper(x.part) - lower(x.part))::int as days,
           count(distinct u.cadre_id)::int as cadres
    from (${unitSpans(filter)}) u
    cross join lateral ${monthsOf(sql`u.span`)} m
    cross join lateral (select u.span * daterange(m::date, (m + interval '1 month')::date) as part) x
    group by u.unit_id, month
    order by u.unit_id, month`);
  return rows.map((r) => ({ unitId: Number(r.unit_id), month: r.month, days: Number(r.days), cadres: Number(r.cadres) }));
}

/** Union days per unit in the period: in total and per category (summed over the unit's cadres). */
export async function daysByUnitAndCategory(db: DbOrTx, filter: DaysFilter & { unitIds?: readonly number[] }) {
  const [byCategory, total] = await Promise.all([
    db.execute<{ unit_id: number; category: FrontlineCategory; days: number }>(sql`
      select u.unit_id, u.category, sum(upper(u.span) - lower(u.span))::int as days
      from (${unitSpans(filter, true)}) u
      group by u.unit_id, u.category`),
    db.execute<{ unit_id: number; days: number; cadres: number }>(sql`
      select u.unit_id, sum(upper(u.span) - lower(u.span))::int as days, count(distinct u.cadre_id)::int as cadres
      from (${unitSpans(filter)}) u
      group by u.unit_id`),
  ]);
  return {
    byCategory: byCategory.map((r) => ({ unitId: Number(r.unit_id), category: r.category, days: Number(r.days) })),
    total: total.map((r) => ({ unitId: Number(r.unit_id), days: Number(r.days), cadres: Number(r.cadres) })),
  };
}

/** The monthly quota of a rank as SQL, from the same rank bands as the pure rules. */
function quotaCase(rank: SQL, rules: FrontlineRules): SQL {
  const whens = RANKS.map((r) => sql`when ${sql.raw(`'${r}'`)} then ${rules.monthlyQuota[rankBand(r)]}::int`);
  return sql`(case ${rank}::text ${sql.join(whens, sql` `)} else 0 end)`;
}

export interface QuotaRow {
  unitId: number;
  month: string;
  cadreId: number;
  quota: number;
  days: number;
  shortfall: number;
}

/**
 * Each cadre with a quota, month by month, with their days and shortfall. A cadre's month belongs to
 * the unit they were in on its last day (today, for the month under way), so a mid-month transfer
 * leaves one quota in one unit; the days are all of the cadre's days that month, wherever spent.
 * The quota is that of the cadre's rank on that day, and only cadres active on that day are held to it.
 */
export async function quotaStanding(
  db: DbOrTx,
  options: {
    unitIds?: readonly number[];
    cadreIds?: readonly number[];
    fromMonth: string;
    toMonth: string;
    today: string;
    rules: FrontlineRules;
  },
): Promise<QuotaRow[]> {
  const units = options.unitIds ? sql`and mem.unit_id in ${idList(options.unitIds)}` : sql``;
  const cadres = options.cadreIds ? sql`and c.id in ${idList(options.cadreIds)}` : sql``;
  const rows = await db.execute<{ unit_id: number; month: string; cadre_id: number; quota: number; days: number }>(sql`
    with months as (
      select m::date as month_start,
             least((m + interval '1 month')::date - 1, ${options.today}::date) as ref_day
      from generate_series(${`${options.fromMonth}-01`}::timestamp, ${`${options.toMonth}-01`}::timestamp, interval '1 month') m
      where m::date <= ${options.today}::date
    ),
    members as (
      select mo.month_start, mem.unit_id, c.id as cadre_id, ${quotaCase(sql`coalesce(rk.rank, c.rank)`, options.rules)} as quota
      from months mo
      join unit_memberships mem on daterange(mem.start_date, mem.end_date, '[)') @> mo.ref_day ${units}
      join cadres c on c.id = mem.cadre_id ${cadres}
      -- The rank and status of the month's reference day: a term that ended after it holds them.
      left join lateral ${termOn("rank", sql`c.id`, sql`mo.ref_day`)} rk on true
      left join lateral ${termOn("status", sql`c.id`, sql`mo.ref_day`)} st on true
      where coalesce(st.status, c.status) = 'active'
    ),
    spans as (
      select r.cadre_id,
             unnest(range_agg(daterange(r.start_date, r.end_date, '[]'))) as span
      from frontline_records r
      where r.status = 'verified'
        and r.start_date < (${`${options.toMonth}-01`}::date + interval '1 month')::date
        and r.end_date >= ${`${options.fromMonth}-01`}::date
        and r.cadre_id in (select cadre_id from members where quota > 0)
      group by r.cadre_id
    ),
    monthly as (
      select s.cadre_id, m::date as month_start, sum(upper(x.part) - lower(x.part))::int as days
      from spans s
      cross join lateral ${monthsOf(sql`s.span`)} m
      cross join lateral (select s.span * daterange(m::date, (m + interval '1 month')::date) as part) x
      group by s.cadre_id, m
    )
    select mb.unit_id, to_char(mb.month_start, 'YYYY-MM') as month, mb.cadre_id, mb.quota, coalesce(mo.days, 0) as days
    from members mb
    left join monthly mo on mo.cadre_id = mb.cadre_id and mo.month_start = mb.month_start
    where mb.quota > 0
    order by mb.unit_id, month, mb.cadre_id`);
  return rows.map((r) => {
    const quota = Number(r.quota);
    const days = Number(r.days);
    return { unitId: Number(r.unit_id), month: r.month, cadreId: Number(r.cadre_id), quota, days, shortfall: Math.max(0, quota - days) };
  });
}

export interface Eligibility {
  cadreId: number;
  /** Verified union days in the qualifying categories up to and including `asOf`. */
  days: number;
  minDays: number;
  eligible: boolean;
}

/**
 * "Has frontline experience" for many cadres at once (the shortlist asks it of every candidate):
 * verified days in the six qualifying categories, overlaps counted once, up to `asOf`.
 */
export async function frontlineEligibility(
  db: DbOrTx,
  cadreIds: readonly number[],
  options: { asOf: string; rules: Pick<FrontlineRules, "eligibilityMinDays"> },
): Promise<Map<number, Eligibility>> {
  const out = new Map<number, Eligibility>();
  if (cadreIds.length === 0) return out;
  const days = await daysByCadre(db, {
    from: "1900-01-01",
    to: options.asOf,
    cadreIds,
    categories: QUALIFYING_CATEGORIES,
  });
  for (const id of cadreIds) {
    const d = days.get(id) ?? 0;
    out.set(id, { cadreId: id, days: d, minDays: options.rules.eligibilityMinDays, eligible: isEligible(d, options.rules) });
  }
  return out;
}

/** Union days per unit, cadre and month, each day credited to the unit of that date: the grain of the unit page. */
export async function daysByUnitCadreAndMonth(db: DbOrTx, filter: DaysFilter & { unitIds?: readonly number[] }) {
  const rows = await db.execute<{ unit_id: number; cadre_id: number; month: string; days: number }>(sql`
    select u.unit_id, u.cadre_id, to_char(m, 'YYYY-MM') as month, sum(upper(x.part) - lower(x.part))::int as days
    from (${unitSpans(filter)}) u
    cross join lateral ${monthsOf(sql`u.span`)} m
    cross join lateral (select u.span * daterange(m::date, (m + interval '1 month')::date) as part) x
    group by u.unit_id, u.cadre_id, month
    order by u.unit_id, u.cadre_id, month`);
  return rows.map((r) => ({ unitId: Number(r.unit_id), cadreId: Number(r.cadre_id), month: r.month, days: Number(r.days) }));
}
