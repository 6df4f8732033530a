import { sql } from "drizzle-orm";
import { unitTreeCte } from "~/modules/organization/tree.server";
import type { DbOrTx } from "~db/client";
import { attributedRowsSql, type Period } from "./reports/figures.server";

/**
 * What attendance tells the weekly digest (digest/gather.server.ts), for every unit it asks about at
 * once. "The unit" is the unit and every unit below it; each row counts for the unit the cadre
 * belonged to on the session date, as the reports count it.
 */

/**
 * The closed sessions of the period per unit: the counts, the first `names` absentees by rank and the
 * latest latecomers (a late mark without a time after them, then by rank).
 */
export async function closedSessionsByUnit(db: DbOrTx, roots: readonly number[], period: Period, options: { names: number }) {
  return db.execute<{
    root_id: number;
    code: string;
    title: string;
    starts_at: string;
    enrolled: number;
    present: number;
    late: number;
    excused: number;
    absent: number;
    absentees: { name: string }[] | null;
    latecomers: { name: string; at: string | null }[] | null;
  }>(sql`
    with recursive ${unitTreeCte(roots)},
    x as ${attributedRowsSql(period)},
    y as (select t.root_id, x.session_id, x.cadre_id, x.status::text as status from x join tree t on t.unit_id = x.unit_id),
    counts as (
      select root_id, session_id, count(*)::int as enrolled,
        (count(*) filter (where status = 'present'))::int as present,
        (count(*) filter (where status = 'late'))::int as late,
        (count(*) filter (where status = 'excused'))::int as excused,
        (count(*) filter (where status = 'absent'))::int as absent
      from y group by root_id, session_id
    ),
    named as (
      select y.root_id, y.session_id, y.status, c.name, a.checked_in_at,
        row_number() over (partition by y.root_id, y.session_id, y.status
          order by case when y.status = 'late' then a.checked_in_at end desc nulls last, c.rank desc, c.staff_no) as n
      from y join cadres c on c.id = y.cadre_id
      left join attendance_records a on y.status = 'late' and a.session_id = y.session_id and a.cadre_id = y.cadre_id
      where y.status in ('absent', 'late')
    ),
    people as (
      select root_id, session_id,
        json_agg(json_build_object('name', name) order by n) filter (where status = 'absent') as absentees,
        json_agg(json_build_object('name', name, 'at', checked_in_at) order by n) filter (where status = 'late') as latecomers
      from named where n <= ${options.names}
      group by root_id, session_id
    )
    select k.root_id, s.code, s.title, to_json(s.starts_at) #>> '{}' as starts_at,
      k.enrolled, k.present, k.late, k.excused, k.absent, p.absentees, p.latecomers
    from counts k
    join class_sessions s on s.id = k.session_id
    left join people p on p.root_id = k.root_id and p.session_id = k.session_id
    order by k.root_id, s.starts_at, s.id`);
}
