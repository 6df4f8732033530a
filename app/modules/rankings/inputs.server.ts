import { type SQL, sql } from "drizzle-orm";
import type { RankBand } from "~/modules/organization/rules";
import { pastTermValuesSql } from "~/modules/organization/terms.server";
import { countedRatingsByUnit } from "~/modules/ratings/results.server";
import { shanghaiMidnight } from "~/utils/dates";
import type { DbOrTx } from "~db/client";
import { quarterPeriod } from "./quarter";
import { withPlannerSettings } from "./score.server";

/**
 * Freezing a quarter's inputs: a few set-based statements copy, from the live tables of the other
 * capabilities, what the scores are computed from, into the ranking's own tables.
 *
 * - Attendance: rows of closed sessions that started in the quarter (Shanghai dates). Closing writes a
 *   row for every enrolment, so counts over rows are counts over enrolments. For units each row counts
 *   for the unit the cadre belonged to on the session date (unit_memberships; the current unit where
 *   the history has a gap), as in the attendance capability's figures.
 * - Training hours: present/late rows earn the session's hours; confirmed make-up study of a session
 *   the cadre was excused from earns them too (the attendance capability's ledger, by quarter).
 * - Frontline: verified records merged per cadre (overlaps count once), clipped to the quarter; for
 *   units each day goes to the unit of that day's membership.
 * - Who is ranked: cadres with a membership on the quarter's last day and active on that day, in the
 *   band of their rank on that day, from their dated history of rank and status (the organization
 *   capability's cadre terms: a term that ended after the last day holds the value of that day).
 *
 * Speed (bench/ranking.ts): nearly every cadre stays in one unit all quarter. Their attendance and
 * days are counted per cadre once and summed per unit; only cadres whose membership changes inside the
 * quarter (or who have a gap) are attributed session by session and day by day (their records merged
 * with range_agg; for everyone else a running maximum over the records in start order counts the
 * merged days at a fraction of range_agg's cost).
 */

export interface FreezeSettings {
  /** Yearly training hours per band (attendance rules). */
  yearlyHours: Record<RankBand, number>;
  /** Monthly frontline quota per band (frontline rules). */
  monthlyQuota: Record<RankBand, number>;
}

export interface QuarterBounds {
  quarter: string;
  from: string;
  to: string;
  lastDay: string;
  /** Instants of the first and the day after the last day, midnight in Shanghai. */
  fromInstant: string;
  toInstant: string;
}

export function quarterBounds(quarter: string): QuarterBounds {
  const p = quarterPeriod(quarter);
  return {
    quarter,
    ...p,
    fromInstant: shanghaiMidnight(p.from).toISOString(),
    toInstant: shanghaiMidnight(p.to).toISOString(),
  };
}

/** The band of a rank, as SQL over a cadre_rank expression: the same bands as organization/rules.ts. */
export function bandSql(rank: SQL): SQL {
  return sql`(case when ${rank} >= 'deputy_county'::cadre_rank then 'leading'
    when ${rank} >= 'deputy_section'::cadre_rank then 'section' else 'staff' end)::rank_band`;
}

const perBand = (band: SQL, values: Record<RankBand, number>) =>
  sql`(case ${band} when 'leading' then ${sql.raw(`${Number(values.leading)}::numeric`)}
    when 'section' then ${sql.raw(`${Number(values.section)}::numeric`)} else ${sql.raw(`${Number(values.staff)}::numeric`)} end)`;

/** Closed sessions that started in the quarter. */
function quarterSessions(b: QuarterBounds): SQL {
  return sql`(select id, training_hours, (starts_at at time zone 'Asia/Shanghai')::date as day from class_sessions
    where status = 'closed' and starts_at >= ${b.fromInstant}::timestamptz and starts_at < ${b.toInstant}::timestamptz)`;
}

/** Verified frontline records of the quarter, clipped to it: cadre_id, first day s and last day e. */
function quarterFrontline(b: QuarterBounds): SQL {
  return sql`(select cadre_id, start_date, greatest(start_date, ${b.from}::date) as s, least(end_date, ${b.lastDay}::date) as e
    from frontline_records
    where status = 'verified' and start_date <= ${b.lastDay}::date and end_date >= ${b.from}::date)`;
}

/** Days in a datemultirange. */
const daysIn = (multirange: SQL) => sql`coalesce((select sum(upper(r) - lower(r)) from unnest(${multirange}) r), 0)::int`;

/**
 * Step 1, shared by cadres and units: one row per cadre in a temporary table (dropped at the end of
 * the transaction) with their unit on the last day, the one unit they stayed in all quarter (null when
 * they moved or have a gap in their history), their rank, band and status on the last day, their
 * attendance counts, hours earned and required, their frontline days and quota, and their grade for
 * the quarter.
 *
 * Every figure but the frontline days is a cadre's own, so the cadres are cut into ranges of ids, one
 * per parallel worker PostgreSQL may use, and each range is computed whole by one worker (a Parallel
 * Append of non-partial branches: partial scans inside a branch would have every process build the
 * branch's hash tables again). The days are counted with a window function, which PostgreSQL keeps
 * out of parallel plans; the leader counts them while the workers compute the ranges. A temporary
 * table may be the target of a parallel plan (it is written by the leader), unlike the later steps,
 * which read it. 1.7 times as fast as one branch at province scale on two cores (bench/ranking.ts).
 */
export async function prepareQuarter(tx: DbOrTx, b: QuarterBounds, settings: FreezeSettings): Promise<void> {
  await tx.execute(sql`drop table if exists pg_temp.rk_cadres`);
  const ranges = await cadreRanges(tx);
  await withPlannerSettings(tx, PREPARE_PLANNER, () =>
    tx.execute(sql`
    create temp table rk_cadres on commit drop as
    with days as (
      -- In start order, a record adds its days after the furthest end reached before it (greatest()
      -- passes over the null of a cadre's first record). Ordered by the unclipped start, which orders
      -- the clipped starts the same way, the records come off an index without a sort.
      select cadre_id, sum(greatest(0, e - greatest(s - 1, reached)))::int as days
      from (
        select cadre_id, s, e, max(e) over (partition by cadre_id order by start_date rows between unbounded preceding and 1 preceding) as reached
        from ${quarterFrontline(b)} r) r
      group by cadre_id
    )
    select f.*, coalesce(days.days, 0) as days
    from (${sql.join(
      ranges.map(([lo, hi]) => sql`(${cadreFigures(b, settings, lo, hi)})`),
      sql` union all `,
    )}) f
    left join days on days.cadre_id = f.cadre_id`),
  );
}

/**
 * For this statement only: parallel plans priced low enough to be chosen for a quarter at province
 * scale, and no parallel-aware scans inside a branch.
 */
const PREPARE_PLANNER = {
  parallel_setup_cost: "100",
  parallel_tuple_cost: "0.01",
  min_parallel_table_scan_size: "1000GB",
  min_parallel_index_scan_size: "1000GB",
};

const INT4 = { min: -2147483648, max: 2147483647 };

/**
 * Contiguous ranges of cadre ids that cover every id, as many as this session's parallel workers per
 * query (at least one), cut evenly between the lowest and highest id there is. The outer ranges are
 * open, so a cadre added after this look (the statement's snapshot is later) still falls in one.
 */
async function cadreRanges(tx: DbOrTx): Promise<[number, number][]> {
  const [row] = await tx.execute<{ lo: number | null; hi: number | null; workers: number }>(sql`
    select min(id)::int as lo, max(id)::int as hi, current_setting('max_parallel_workers_per_gather')::int as workers from cadres`);
  const lo = row?.lo ?? 0;
  const hi = row?.hi ?? 0;
  const count = Math.max(1, Math.min(Number(row?.workers ?? 1), hi - lo + 1));
  const step = Math.ceil((hi - lo + 1) / count);
  return Array.from({ length: count }, (_, i) => [
    i === 0 ? INT4.min : lo + i * step,
    i === count - 1 ? INT4.max : lo + (i + 1) * step - 1,
  ]);
}

/** Step 1's figures of the cadres with ids from lo to hi, all but the frontline days. */
function cadreFigures(b: QuarterBounds, settings: FreezeSettings, lo: number, hi: number): SQL {
  return sql`
    with mem as (
      select cadre_id,
        min(unit_id) filter (where (start_date is null or start_date <= ${b.lastDay}::date) and (end_date is null or end_date > ${b.lastDay}::date)) as unit_on_last_day,
        (case when count(*) = 1 and bool_and(start_date is null or start_date <= ${b.from}::date) and bool_and(end_date is null or end_date >= ${b.to}::date)
          then min(unit_id) end) as stable_unit_id
      from unit_memberships
      where cadre_id between ${lo} and ${hi}
        and (start_date is null or start_date < ${b.to}::date) and (end_date is null or end_date > ${b.from}::date)
      group by cadre_id
    ),
    att as (
      select a.cadre_id, count(*)::int as enrolled,
        (count(*) filter (where a.status = 'present'))::int as present,
        (count(*) filter (where a.status = 'late'))::int as late,
        (count(*) filter (where a.status = 'excused'))::int as excused,
        -- Hours have one decimal: summed as integer tenths, faster than numeric and as exact.
        coalesce(sum((s.training_hours * 10)::int) filter (where a.status in ('present', 'late')), 0) as tenths
      from ${quarterSessions(b)} s
      join attendance_records a on a.session_id = s.id and a.cadre_id between ${lo} and ${hi}
      group by a.cadre_id
    ),
    makeup as (
      select mk.cadre_id, sum(s.training_hours)::numeric as hours
      from attendance_makeups mk
      join ${quarterSessions(b)} s on s.id = mk.session_id
      join attendance_records a on a.session_id = mk.session_id and a.cadre_id = mk.cadre_id and a.status = 'excused'
      where mk.status = 'confirmed' and mk.cadre_id between ${lo} and ${hi}
      group by mk.cadre_id
    ),
    people as (
      select c.id as cadre_id, c.staff_no, c.name, c.unit_id as current_unit_id, mem.unit_on_last_day, mem.stable_unit_id,
        x.rank, ${bandSql(sql`x.rank`)} as band, coalesce(st.value, c.status) = 'active' as active
      from cadres c
      left join mem on mem.cadre_id = c.id
      left join ${pastTermValuesSql("rank", sql`${b.lastDay}::date`, { lo, hi })} rk on rk.cadre_id = c.id
      left join ${pastTermValuesSql("status", sql`${b.lastDay}::date`, { lo, hi })} st on st.cadre_id = c.id
      cross join lateral (select coalesce(rk.value, c.rank) as rank) x
      where c.id between ${lo} and ${hi}
    )
    select p.*,
      coalesce(att.enrolled, 0) as enrolled, coalesce(att.present, 0) as present, coalesce(att.late, 0) as late,
      coalesce(att.excused, 0) as excused,
      coalesce(att.tenths, 0) / 10.0 + coalesce(makeup.hours, 0) as hours_earned, coalesce(makeup.hours, 0) as hours_makeup,
      ${perBand(sql`p.band`, settings.yearlyHours)} / 4 as hours_required,
      (${perBand(sql`p.band`, settings.monthlyQuota)} * 3)::int as frontline_quota,
      asm.grade
    from people p
    left join att on att.cadre_id = p.cadre_id
    left join makeup on makeup.cadre_id = p.cadre_id
    left join ranking_assessments asm on asm.cadre_id = p.cadre_id and asm.quarter = ${b.quarter}`;
}

/** Step 2: the cadres of the quarter with their raw figures, as a SELECT of score.server.ts's CADRE_INPUT_FIELDS. */
export function cadreInputsSelect(): SQL {
  return sql`
    select cadre_id, staff_no, name, unit_on_last_day as unit_id, rank as cadre_rank, band, enrolled, present, late, excused,
      hours_earned, hours_makeup, hours_required, days as frontline_days, frontline_quota, grade
    from rk_cadres
    where active and unit_on_last_day is not null`;
}

/** 参与排名 as SQL over a units row: the department's choice, else directly under the city (organization/rules.ts). */
export const takesPartSql = (u: SQL) => sql`coalesce(${u}.ranked, ${u}.parent_id is null)`;

/**
 * Step 3: every unit, with attendance and frontline days attributed by date, and its ratings
 * (UNIT_INPUT_FIELDS): the imported counts plus the public rating page's counted ratings (the ratings
 * capability's own rule); in the peer group the department ranks it in, and whether it takes part.
 */
export function unitInputsSelect(b: QuarterBounds): SQL {
  return sql`
    with movers as (
      select cadre_id, current_unit_id from rk_cadres where stable_unit_id is null
    ),
    mover_spans as (
      select r.cadre_id, range_agg(daterange(r.s, r.e, '[]')) as spans
      from movers mv
      join ${quarterFrontline(b)} r on r.cadre_id = mv.cadre_id
      group by r.cadre_id
    ),
    att_rows as (
      select stable_unit_id as unit_id, enrolled, present, late, excused
      from rk_cadres where stable_unit_id is not null and enrolled > 0
      union all
      select coalesce(um.unit_id, mv.current_unit_id), 1, (a.status = 'present')::int, (a.status = 'late')::int, (a.status = 'excused')::int
      from movers mv
      join attendance_records a on a.cadre_id = mv.cadre_id
      join ${quarterSessions(b)} s on s.id = a.session_id
      left join unit_memberships um on um.cadre_id = a.cadre_id
        and (um.start_date is null or um.start_date <= s.day) and (um.end_date is null or um.end_date > s.day)
    ),
    att as (
      select unit_id, sum(enrolled)::int as enrolled, sum(present)::int as present, sum(late)::int as late, sum(excused)::int as excused
      from att_rows group by unit_id
    ),
    day_rows as (
      select stable_unit_id as unit_id, days from rk_cadres where stable_unit_id is not null and days > 0
      union all
      select um.unit_id, ${daysIn(sql`mv.spans * datemultirange(daterange(um.start_date, um.end_date, '[)'))`)}
      from mover_spans mv
      join unit_memberships um on um.cadre_id = mv.cadre_id and daterange(um.start_date, um.end_date, '[)') && mv.spans
    ),
    days as (select unit_id, sum(days)::int as days from day_rows group by unit_id),
    ratings as (
      select unit_id, sum(satisfied)::int as satisfied, sum(unsatisfied)::int as unsatisfied
      from (
        select unit_id, satisfied, unsatisfied from satisfaction_ratings
        where date >= ${b.from}::date and date < ${b.to}::date
        union all
        ${countedRatingsByUnit(b.from, b.to)}
      ) as both_sources
      group by unit_id
    )
    select u.id as unit_id, u.code, u.name, coalesce(u.ranking_peer_group, u.kind) as peer_group,
      coalesce(att.enrolled, 0) as enrolled, coalesce(att.present, 0) as present, coalesce(att.late, 0) as late,
      coalesce(att.excused, 0) as excused,
      coalesce(days.days, 0) as frontline_days, coalesce(ratings.satisfied, 0) as satisfied, coalesce(ratings.unsatisfied, 0) as unsatisfied,
      ${takesPartSql(sql`u`)} as participates
    from units u
    left join att on att.unit_id = u.id
    left join days on days.unit_id = u.id
    left join ratings on ratings.unit_id = u.id`;
}
