import { type SQL, sql } from "drizzle-orm";
import { pastTermValuesSql } from "~/modules/organization/terms.server";
import { shanghaiMidnight, todayInShanghai } from "~/utils/dates";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { Rank } from "~db/schema/enums";
import type { AttendanceCounts, AttendanceRules } from "../rules";

/**
 * Attendance figures, computed in the database over the rows of closed sessions (closing writes a row
 * for every enrolment, so counts over rows are counts over enrolments). These are the functions the
 * rankings and shortlists build on: per cadre, per unit (with sub-units, each row credited to the unit
 * the cadre belonged to on the session date), for the whole organization, and training hours against
 * the yearly requirement. Each takes a period; each also exists as SQL to compose into larger queries.
 *
 * Rate = (present + late × lateWeight) / (enrolled − excused), null when nobody was expected.
 */

/** Calendar dates in Asia/Shanghai, YYYY-MM-DD; `to` is exclusive (a quarter: 2026-01-01 to 2026-04-01). */
export interface Period {
  from: string;
  to: string;
}

export interface RateRow extends AttendanceCounts {
  rate: number | null;
}

export function quarterPeriod(year: number, quarter: 1 | 2 | 3 | 4): Period {
  const pad = (m: number) => String(m).padStart(2, "0");
  const start = (quarter - 1) * 3 + 1;
  return { from: `${year}-${pad(start)}-01`, to: quarter === 4 ? `${year + 1}-01-01` : `${year}-${pad(start + 3)}-01` };
}

export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
}

function bounds(period: Period) {
  return { from: shanghaiMidnight(period.from).toISOString(), to: shanghaiMidnight(period.to).toISOString() };
}

/**
 * Attendance rows of the closed sessions that started in the period, each with the unit its cadre
 * belonged to on the session date (unit_memberships; the current unit where the history has a gap).
 * Columns: cadre_id, session_id, status, unit_id, starts_at, training_hours.
 */
export function attributedRowsSql(period: Period): SQL {
  const { from, to } = bounds(period);
  return sql`(
    select a.cadre_id, a.session_id, a.status, coalesce(m.unit_id, c.unit_id) as unit_id, s.starts_at, s.training_hours
    from attendance_records a
    join class_sessions s on s.id = a.session_id
    join cadres c on c.id = a.cadre_id
    left join unit_memberships m on m.cadre_id = a.cadre_id
      and (m.start_date is null or m.start_date <= (s.starts_at at time zone 'Asia/Shanghai')::date)
      and (m.end_date is null or m.end_date > (s.starts_at at time zone 'Asia/Shanghai')::date)
    where s.status = 'closed' and s.starts_at >= ${from}::timestamptz and s.starts_at < ${to}::timestamptz
  )`;
}

/** The count columns and the rate over rows with a `status` column, for any grouping. */
export function countsSql(lateWeight: number, status: SQL = sql`status`): SQL {
  return sql`
    count(*)::int as enrolled,
    (count(*) filter (where ${status} = 'present'))::int as present,
    (count(*) filter (where ${status} = 'late'))::int as late,
    (count(*) filter (where ${status} = 'excused'))::int as excused,
    (count(*) filter (where ${status} = 'absent'))::int as absent,
    case when count(*) > count(*) filter (where ${status} = 'excused')
      then ((count(*) filter (where ${status} = 'present')) + ${lateWeight}::float8 * (count(*) filter (where ${status} = 'late')))::float8
        / (count(*) - count(*) filter (where ${status} = 'excused'))
    end as rate`;
}

type CountsRow = { enrolled: number; present: number; late: number; excused: number; absent: number; rate: number | null };

function toRate(r: CountsRow): RateRow {
  return {
    enrolled: Number(r.enrolled),
    present: Number(r.present),
    late: Number(r.late),
    excused: Number(r.excused),
    absent: Number(r.absent),
    rate: r.rate === null ? null : Number(r.rate),
  };
}

/** The given units and every unit below them, as SQL. */
function subtreeSql(rootIds: number[]): SQL {
  return sql`(
    with recursive t(id) as (select id from units where id in ${idList(rootIds)} union select u.id from units u join t on u.parent_id = t.id)
    select id from t)`;
}

/**
 * Per cadre over the period. `unitIds` keeps the rows credited to those units and their sub-units (a
 * cadre who moved counts in each unit for their time there); `cadreIds` keeps those cadres.
 */
export async function cadreAttendanceRates(
  db: DbOrTx,
  period: Period,
  options: { lateWeight: number; cadreIds?: number[]; unitIds?: number[] },
): Promise<Map<number, RateRow>> {
  const where: SQL[] = [sql`true`];
  if (options.cadreIds) where.push(sql`x.cadre_id in ${idList(options.cadreIds)}`);
  if (options.unitIds) where.push(sql`x.unit_id in ${subtreeSql(options.unitIds)}`);
  const rows = await db.execute<CountsRow & { cadre_id: number }>(sql`
    select x.cadre_id, ${countsSql(options.lateWeight, sql`x.status`)}
    from ${attributedRowsSql(period)} x
    where ${sql.join(where, sql` and `)}
    group by x.cadre_id`);
  return new Map(rows.map((r) => [Number(r.cadre_id), toRate(r)]));
}

/**
 * Per unit over the period, each unit with its sub-units (`rolled`) and on its own (`direct`). With
 * `unitIds`, only those units are returned.
 */
export async function unitAttendanceRates(
  db: DbOrTx,
  period: Period,
  options: { lateWeight: number; unitIds?: number[] },
): Promise<Map<number, { rolled: RateRow; direct: RateRow }>> {
  const rows = await db.execute<{ unit_id: number; direct: boolean } & CountsRow>(sql`
    with recursive x as ${attributedRowsSql(period)},
    up(unit_id, ancestor_id) as (
      select id, id from units
      union all
      select up.unit_id, u.parent_id from up join units u on u.id = up.ancestor_id where u.parent_id is not null
    )
    select up.ancestor_id as unit_id, false as direct, ${countsSql(options.lateWeight, sql`x.status`)}
    from x join up on up.unit_id = x.unit_id
    ${options.unitIds ? sql`where up.ancestor_id in ${idList(options.unitIds)}` : sql``}
    group by up.ancestor_id
    union all
    select x.unit_id, true, ${countsSql(options.lateWeight, sql`x.status`)}
    from x
    ${options.unitIds ? sql`where x.unit_id in ${idList(options.unitIds)}` : sql``}
    group by x.unit_id`);
  const out = new Map<number, { rolled: RateRow; direct: RateRow }>();
  const empty = (): RateRow => ({ enrolled: 0, present: 0, late: 0, excused: 0, absent: 0, rate: null });
  for (const r of rows) {
    const id = Number(r.unit_id);
    const entry = out.get(id) ?? { rolled: empty(), direct: empty() };
    entry[r.direct ? "direct" : "rolled"] = toRate(r);
    out.set(id, entry);
  }
  return out;
}

/** The whole organization over the period. */
export async function organizationAttendance(db: DbOrTx, period: Period, options: { lateWeight: number }): Promise<RateRow> {
  const { from, to } = bounds(period);
  const [row] = await db.execute<CountsRow>(sql`
    select ${countsSql(options.lateWeight, sql`a.status`)}
    from attendance_records a join class_sessions s on s.id = a.session_id
    where s.status = 'closed' and s.starts_at >= ${from}::timestamptz and s.starts_at < ${to}::timestamptz`);
  return toRate(row!);
}

export interface SessionRate extends RateRow {
  sessionId: number;
  code: string;
  title: string;
  startsAt: string;
}

/** Session by session over the period (the trend), for everyone or for the rows credited to a unit and its sub-units. */
export async function sessionAttendanceRates(
  db: DbOrTx,
  period: Period,
  options: { lateWeight: number; unitId?: number },
): Promise<SessionRate[]> {
  const rows = await db.execute<CountsRow & { session_id: number; code: string; title: string; starts_at: string }>(sql`
    select x.session_id, s.code, s.title, to_json(s.starts_at) #>> '{}' as starts_at, ${countsSql(options.lateWeight, sql`x.status`)}
    from ${attributedRowsSql(period)} x join class_sessions s on s.id = x.session_id
    ${options.unitId ? sql`where x.unit_id in ${subtreeSql([options.unitId])}` : sql``}
    group by x.session_id, s.code, s.title, s.starts_at
    order by s.starts_at`);
  return rows.map((r) => ({ sessionId: Number(r.session_id), code: r.code, title: r.title, startsAt: r.starts_at, ...toRate(r) }));
}

// ---------------------------------------------------------------------------------------------------
// Training hours

export interface HoursRow {
  cadreId: number;
  rank: Rank;
  /** From present and late attendance of closed sessions. */
  attended: number;
  /** From confirmed make-up study of sessions the cadre was excused from. */
  makeup: number;
  earned: number;
  required: number;
  met: boolean;
}

/**
 * Hours earned in a calendar year, as SQL: per cadre, attended (present/late at closed sessions) and
 * make-up (confirmed, for sessions the cadre was excused from). Columns: cadre_id, attended, makeup.
 */
export function hoursEarnedSql(year: number): SQL {
  const { from, to } = bounds({ from: `${year}-01-01`, to: `${year + 1}-01-01` });
  return sql`(
    select cadre_id, sum(attended)::float8 as attended, sum(makeup)::float8 as makeup from (
      select a.cadre_id, s.training_hours as attended, 0 as makeup
      from attendance_records a join class_sessions s on s.id = a.session_id
      where s.status = 'closed' and a.status in ('present', 'late')
        and s.starts_at >= ${from}::timestamptz and s.starts_at < ${to}::timestamptz
      union all
      select mk.cadre_id, 0, s.training_hours
      from attendance_makeups mk
      join class_sessions s on s.id = mk.session_id
      join attendance_records a on a.session_id = mk.session_id and a.cadre_id = mk.cadre_id and a.status = 'excused'
      where mk.status = 'confirmed' and s.status = 'closed'
        and s.starts_at >= ${from}::timestamptz and s.starts_at < ${to}::timestamptz
    ) e group by cadre_id)`;
}

/** The yearly requirement of a rank (a cadre_rank expression), as SQL. */
export function requiredHoursSql(rules: Pick<AttendanceRules, "yearlyHours">, rank: SQL = sql`c.rank`): SQL {
  const h = rules.yearlyHours;
  return sql`(case when ${rank} >= 'deputy_county'::cadre_rank then ${h.leading}::float8
    when ${rank} >= 'deputy_section'::cadre_rank then ${h.section}::float8 else ${h.staff}::float8 end)`;
}

/**
 * The training-hours ledger of a year for active cadres: earned against the requirement of the band of
 * the rank they held at the year's end (today, for the year under way). `cadreIds` or `unitIds` (their
 * current units, with sub-units) narrow it.
 */
export async function trainingHoursLedger(
  db: DbOrTx,
  year: number,
  options: { rules: Pick<AttendanceRules, "yearlyHours">; cadreIds?: number[]; unitIds?: number[] },
): Promise<Map<number, HoursRow>> {
  const where: SQL[] = [sql`c.status = 'active'`];
  if (options.cadreIds) where.push(sql`c.id in ${idList(options.cadreIds)}`);
  if (options.unitIds) where.push(sql`c.unit_id in ${subtreeSql(options.unitIds)}`);
  const rows = await db.execute<{ cadre_id: number; rank: Rank; attended: number; makeup: number; required: number }>(sql`
    select c.id as cadre_id, coalesce(rk.value, c.rank) as rank, coalesce(h.attended, 0) as attended, coalesce(h.makeup, 0) as makeup,
      ${requiredHoursSql(options.rules, sql`coalesce(rk.value, c.rank)`)} as required
    from cadres c left join ${hoursEarnedSql(year)} h on h.cadre_id = c.id
    left join ${pastTermValuesSql("rank", sql`least(${`${year}-12-31`}::date, ${todayInShanghai()}::date)`)} rk on rk.cadre_id = c.id
    where ${sql.join(where, sql` and `)}`);
  return new Map(
    rows.map((r) => {
      const attended = Number(r.attended);
      const makeup = Number(r.makeup);
      const earned = Math.round((attended + makeup) * 10) / 10;
      const required = Number(r.required);
      return [
        Number(r.cadre_id),
        { cadreId: Number(r.cadre_id), rank: r.rank, attended, makeup, earned, required, met: earned >= required },
      ];
    }),
  );
}
