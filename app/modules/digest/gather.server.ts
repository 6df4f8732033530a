import { and, asc, eq, gt, lt, type SQL, sql } from "drizzle-orm";
import { attributedRowsSql } from "~/modules/attendance/reports/figures.server";
import { audienceCondition } from "~/modules/classes/enrolment.server";
import { monthInterval } from "~/modules/frontline/days";
import { idList, quotaStanding } from "~/modules/frontline/days.server";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { previousQuarter } from "~/modules/rankings/quarter";
import { digestCaseCounts } from "~/modules/ratings/cases.server";
import { todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "~db/client";
import { classSessions } from "~db/schema";
import { RANKS, type Rank, type UnitKind } from "~db/schema/enums";
import type { FrontlineCategory } from "~db/schema/frontline";
import { digestPeriods, emptyUnit, type GatheredUnit, type Listed, NAMES_SHOWN, RECORDS_SHOWN } from "./compose";
import type { IsoWeek } from "./week";

/**
 * What the weekly digest says, gathered for every recipient unit at once: each section is one
 * set-based query over all the units (plus one per coming session for its audience), never a query
 * per unit, so a province's 10,000 units cost the same handful of statements as one.
 *
 * "The unit" is what a head's scope and the attendance reports mean by it: the unit and every unit
 * below it. Last week's attendance counts each row for the unit the cadre belonged to on the session
 * date (as the reports do); the items waiting for action (registration, leave, verification,
 * nominations) belong to the cadre's unit today; quota shortfalls to the unit on the month's last day.
 */

/** Each root unit with every unit below it (itself included), as (unit_id, root_id) rows. */
function treeCte(roots: readonly number[]): SQL {
  return sql`tree(unit_id, root_id, depth) as (
    select u.id, u.id, 0 from units u where u.id in ${idList(roots)}
    union all
    select u.id, t.root_id, t.depth + 1 from units u join tree t on u.parent_id = t.unit_id where t.depth < 50
  )`;
}

type NameRow = { name: string };

function listed<T>(rows: T[] | null | undefined, total: number): Listed<T> {
  return { rows: rows ?? [], total: Number(total) };
}

export interface GatherOptions {
  week: IsoWeek;
  /** The root units (each with its sub-units). */
  unitIds: readonly number[];
  now?: Date;
}

export interface GatherTimings {
  attendanceMs: number;
  upcomingMs: number;
  frontlineMs: number;
  quotaMs: number;
  rankingMs: number;
  shortlistsMs: number;
  ratingsMs: number;
}

/** Everything every listed unit's digest says, by unit id. */
export async function gatherDigests(
  db: DbOrTx,
  options: GatherOptions,
): Promise<{ units: Map<number, GatheredUnit>; timings: GatherTimings }> {
  const now = options.now ?? new Date();
  const roots = [...new Set(options.unitIds)];
  const out = new Map<number, GatheredUnit>();
  const timings: GatherTimings = {
    attendanceMs: 0,
    upcomingMs: 0,
    frontlineMs: 0,
    quotaMs: 0,
    rankingMs: 0,
    shortlistsMs: 0,
    ratingsMs: 0,
  };
  if (!roots.length) return { units: out, timings };
  const names = await db.execute<{ id: number; code: string; name: string }>(
    sql`select id, code, name from units where id in ${idList(roots)}`,
  );
  for (const u of names) out.set(Number(u.id), emptyUnit({ unitId: Number(u.id), code: u.code, name: u.name }));
  const unit = (id: number | string) => out.get(Number(id))!;
  const timed = async (
    part: "attendance" | "upcoming" | "frontline" | "quota" | "ranking" | "shortlists" | "ratings",
    work: () => Promise<void>,
  ) => {
    const started = performance.now();
    await work();
    timings[`${part}Ms`] = performance.now() - started;
  };
  const periods = digestPeriods(options.week);

  await timed("attendance", async () => {
    for (const s of await lastWeekAttendance(db, roots, { from: periods.lastWeek.firstDay, to: periods.week.firstDay })) {
      unit(s.root_id).attendance.push({
        code: s.code,
        title: s.title,
        startsAt: new Date(s.starts_at).toISOString(),
        enrolled: Number(s.enrolled),
        present: Number(s.present),
        late: Number(s.late),
        excused: Number(s.excused),
        absent: Number(s.absent),
        absentees: listed(s.absentees, s.absent),
        latecomers: listed(
          s.latecomers?.map((p) => ({ name: p.name, checkedInAt: p.at ? new Date(p.at).toISOString() : null })),
          s.late,
        ),
      });
    }
  });

  await timed("upcoming", async () => {
    const from = now > periods.week.start ? now : periods.week.start;
    const sessions = await db
      .select()
      .from(classSessions)
      .where(
        and(eq(classSessions.status, "published"), gt(classSessions.startsAt, from), lt(classSessions.startsAt, periods.upcomingUntil)),
      )
      .orderBy(asc(classSessions.startsAt), asc(classSessions.id));
    // One statement per coming session (a fortnight holds one or two), each over every unit.
    for (const session of sessions) {
      const inAudience = session.audienceMandatory ? await audienceCondition(db, session.audience) : sql`false`;
      for (const r of await upcomingSession(db, roots, session.id, inAudience)) {
        unit(r.root_id).upcoming.push({
          code: session.code,
          title: session.title,
          startsAt: session.startsAt.toISOString(),
          registrationDeadline: session.registrationDeadline.toISOString(),
          audience: Number(r.audience),
          notRegistered: listed(r.not_registered_names, r.not_registered),
          leavePending: listed(r.leave_pending_names, r.leave_pending),
        });
      }
    }
  });

  await timed("frontline", async () => {
    for (const r of await pendingRecords(db, roots)) {
      const target = unit(r.root_id).frontlinePending;
      target.total = Number(r.total);
      target.rows.push({ name: r.name, category: r.category, place: r.place, startDate: r.start_date, endDate: r.end_date });
    }
  });

  await timed("quota", async () => {
    const month = periods.quotaMonth;
    const shortfalls = await quotaShortfalls(db, roots, month);
    for (const [rootId, list] of shortfalls) unit(rootId).quota = { month, shortfalls: list };
  });

  await timed("ranking", async () => {
    const standing = await rankingStanding(db, roots);
    for (const [rootId, s] of standing) {
      unit(rootId).published = s.published;
      unit(rootId).draft = s.draft;
    }
  });

  await timed("shortlists", async () => {
    for (const r of await openNominations(db, roots)) {
      unit(r.root_id).nominations.push({
        roundId: Number(r.round_id),
        name: r.round_name,
        deadline: new Date(r.deadline).toISOString(),
        nominees: listed(r.names, r.total),
      });
    }
  });

  await timed("ratings", async () => {
    const period = { from: periods.lastWeek.start, to: periods.week.start };
    for (const r of await digestCaseCounts(db, roots, period, todayInShanghai(now))) {
      unit(r.rootId).ratingCases = { newCases: r.newCases, overdue: r.overdue };
    }
  });
  return { units: out, timings };
}

/** Last week's closed sessions per unit: the counts, the first absentees by rank and the latest latecomers. */
async function lastWeekAttendance(db: DbOrTx, roots: readonly number[], period: { from: string; to: string }) {
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
    absentees: NameRow[] | null;
    latecomers: { name: string; at: string | null }[] | null;
  }>(sql`
    with recursive ${treeCte(roots)},
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
        -- Absentees by rank; latecomers the latest first (a late mark without a time after them), then by rank.
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
      from named where n <= ${NAMES_SHOWN}
      group by root_id, session_id
    )
    select k.root_id, s.code, s.title, to_json(s.starts_at) #>> '{}' as starts_at,
      k.enrolled, k.present, k.late, k.excused, k.absent, p.absentees, p.latecomers
    from counts k
    join class_sessions s on s.id = k.session_id
    left join people p on p.root_id = k.root_id and p.session_id = k.session_id
    order by k.root_id, s.starts_at, s.id`);
}

/**
 * One coming session across every unit: the unit's cadres in its mandatory audience, those without a
 * registration, and leave requests waiting for a decision (the head's own are not theirs to decide).
 */
async function upcomingSession(db: DbOrTx, roots: readonly number[], sessionId: number, inAudience: SQL) {
  return db.execute<{
    root_id: number;
    audience: number;
    not_registered: number;
    leave_pending: number;
    not_registered_names: NameRow[] | null;
    leave_pending_names: NameRow[] | null;
  }>(sql`
    with recursive ${treeCte(roots)},
    p as (
      select cadres.id, cadres.name, cadres.rank, cadres.staff_no, cadres.unit_id,
        (${inAudience}) as in_audience,
        coalesce(r.status = 'registered', false) as registered,
        l.id is not null as leave_pending
      from cadres
      left join class_registrations r on r.session_id = ${sessionId} and r.cadre_id = cadres.id
      left join class_leave_requests l on l.session_id = ${sessionId} and l.cadre_id = cadres.id and l.status = 'pending'
      where cadres.status = 'active' and ((${inAudience}) or l.id is not null)
    ),
    y as (
      select t.root_id, p.name, p.rank, p.staff_no, p.in_audience, p.registered,
        p.leave_pending and p.id is distinct from ru.head_cadre_id as leave_pending
      from p join tree t on t.unit_id = p.unit_id join units ru on ru.id = t.root_id
    ),
    ranked as (
      select y.*,
        row_number() over (partition by root_id, (in_audience and not registered) order by rank desc, staff_no) as nr,
        row_number() over (partition by root_id, leave_pending order by rank desc, staff_no) as nl
      from y
    )
    select root_id,
      (count(*) filter (where in_audience))::int as audience,
      (count(*) filter (where in_audience and not registered))::int as not_registered,
      (count(*) filter (where leave_pending))::int as leave_pending,
      json_agg(json_build_object('name', name) order by nr) filter (where in_audience and not registered and nr <= ${NAMES_SHOWN}) as not_registered_names,
      json_agg(json_build_object('name', name) order by nl) filter (where leave_pending and nl <= ${NAMES_SHOWN}) as leave_pending_names
    from ranked
    group by root_id
    having count(*) filter (where in_audience) > 0 or count(*) filter (where leave_pending) > 0`);
}

/** Submitted frontline records of each unit's cadres, oldest first; never the head's own or one they submitted. */
async function pendingRecords(db: DbOrTx, roots: readonly number[]) {
  return db.execute<{
    root_id: number;
    total: number;
    name: string;
    category: FrontlineCategory;
    place: string;
    start_date: string;
    end_date: string;
  }>(sql`
    with recursive ${treeCte(roots)},
    p as (
      select t.root_id, c.name, r.category, r.place, r.start_date::text as start_date, r.end_date::text as end_date,
        row_number() over (partition by t.root_id order by r.submitted_at, r.id) as n,
        count(*) over (partition by t.root_id) as total
      from frontline_records r
      join cadres c on c.id = r.cadre_id
      join tree t on t.unit_id = c.unit_id
      join units ru on ru.id = t.root_id
      left join users hu on hu.cadre_id = ru.head_cadre_id
      where r.status = 'submitted'
        and r.cadre_id is distinct from ru.head_cadre_id
        and (r.submitted_by_user_id is null or hu.id is null or r.submitted_by_user_id <> hu.id)
    )
    select root_id, total::int as total, name, category, place, start_date, end_date
    from p where n <= ${RECORDS_SHOWN}
    order by root_id, n`);
}

/**
 * Cadres of each unit short of the monthly quota in `month` (a finished month), most days missing
 * first. The quota rows come from the frontline capability's own set-based query over every unit;
 * here they are only rolled up to the root units and named.
 */
async function quotaShortfalls(db: DbOrTx, roots: readonly number[], month: string) {
  const out = new Map<number, Listed<{ name: string; days: number; quota: number }>>();
  const rules = await getFrontlineRules(db);
  if (Object.values(rules.monthlyQuota).every((q) => q <= 0)) return out;
  const lastDay = monthInterval(month).end;
  const [rows, tree] = await Promise.all([
    quotaStanding(db, { fromMonth: month, toMonth: month, today: lastDay, rules }),
    db.execute<{ unit_id: number; root_id: number }>(sql`with recursive ${treeCte(roots)} select unit_id, root_id from tree`),
  ]);
  const short = rows.filter((r) => r.shortfall > 0);
  if (!short.length) return out;
  const rootsOf = new Map<number, number[]>();
  for (const t of tree) rootsOf.set(Number(t.unit_id), [...(rootsOf.get(Number(t.unit_id)) ?? []), Number(t.root_id)]);
  const people = new Map(
    (
      await db.execute<{ id: number; name: string; rank: Rank; staff_no: string }>(
        sql`select id, name, rank, staff_no from cadres where id in ${idList(short.map((r) => r.cadreId))}`,
      )
    ).map((p) => [Number(p.id), p]),
  );
  const rankOrder = (r: Rank) => RANKS.indexOf(r);
  const byRoot = new Map<number, typeof short>();
  for (const r of short) {
    for (const root of rootsOf.get(r.unitId) ?? []) byRoot.set(root, [...(byRoot.get(root) ?? []), r]);
  }
  for (const [root, list] of byRoot) {
    list.sort((a, b) => {
      const pa = people.get(a.cadreId)!;
      const pb = people.get(b.cadreId)!;
      return b.shortfall - a.shortfall || rankOrder(pb.rank) - rankOrder(pa.rank) || pa.staff_no.localeCompare(pb.staff_no);
    });
    out.set(root, {
      rows: list.slice(0, NAMES_SHOWN).map((r) => ({ name: people.get(r.cadreId)!.name, days: r.days, quota: r.quota })),
      total: list.length,
    });
  }
  return out;
}

/**
 * Each unit's place in the latest published ranking (in its peer group, with the previous quarter's
 * published place for the movement), and in the draft of a later quarter when the organization
 * department has computed one.
 */
async function rankingStanding(db: DbOrTx, roots: readonly number[]) {
  const out = new Map<number, { published: GatheredUnit["published"]; draft: GatheredUnit["draft"] }>();
  const [latest] = await db.execute<{ id: number; quarter: string }>(
    sql`select id, quarter from rankings where status = 'published' order by quarter desc limit 1`,
  );
  const [draft] = await db.execute<{ id: number; quarter: string }>(sql`
    select id, quarter from rankings where status = 'draft' ${latest ? sql`and quarter > ${latest.quarter}` : sql``}
    order by quarter desc limit 1`);
  if (latest) {
    const [previous] = await db.execute<{ id: number }>(
      sql`select id from rankings where status = 'published' and quarter = ${previousQuarter(latest.quarter)}`,
    );
    const rows = await db.execute<{
      unit_id: number;
      peer_group: UnitKind;
      rank: number | null;
      size: number;
      previous_rank: number | null;
    }>(sql`
      with g as (
        select unit_id, peer_group, rank, count(rank) over (partition by peer_group)::int as size
        from ranking_unit_results where ranking_id = ${latest.id}
      )
      select g.unit_id, g.peer_group, g.rank, g.size, prev.rank as previous_rank
      from g left join ranking_unit_results prev on prev.ranking_id = ${previous?.id ?? 0} and prev.unit_id = g.unit_id
      where g.unit_id in ${idList(roots)}`);
    for (const r of rows) {
      out.set(Number(r.unit_id), {
        published: {
          quarter: latest.quarter,
          group: r.peer_group,
          rank: r.rank === null ? null : Number(r.rank),
          size: Number(r.size),
          previousRank: r.previous_rank === null ? null : Number(r.previous_rank),
        },
        draft: null,
      });
    }
  }
  if (draft) {
    const rows = await db.execute<{ unit_id: number; rank: number | null; size: number }>(sql`
      with g as (
        select unit_id, rank, count(rank) over (partition by peer_group)::int as size
        from ranking_unit_results where ranking_id = ${draft.id}
      )
      select unit_id, rank, size from g where unit_id in ${idList(roots)}`);
    for (const r of rows) {
      const entry = out.get(Number(r.unit_id)) ?? { published: null, draft: null };
      entry.draft = { quarter: draft.quarter, rank: r.rank === null ? null : Number(r.rank), size: Number(r.size) };
      out.set(Number(r.unit_id), entry);
    }
  }
  return out;
}

/** Nominations of each unit's cadres in open rounds, not withdrawn and not yet decided. */
async function openNominations(db: DbOrTx, roots: readonly number[]) {
  return db.execute<{
    root_id: number;
    round_id: number;
    round_name: string;
    deadline: string;
    total: number;
    names: NameRow[] | null;
  }>(sql`
    with recursive ${treeCte(roots)},
    n as (
      select t.root_id, r.id as round_id, r.name as round_name, r.deadline, c.name,
        row_number() over (partition by t.root_id, r.id order by c.rank desc, c.staff_no) as k
      from shortlist_nominations n
      join shortlist_rounds r on r.id = n.round_id and r.status = 'open'
      join cadres c on c.id = n.cadre_id
      join tree t on t.unit_id = n.unit_id
      where n.withdrawn_at is null and n.decision is null
    )
    select root_id, round_id, round_name, to_json(deadline) #>> '{}' as deadline, count(*)::int as total,
      json_agg(json_build_object('name', name) order by k) filter (where k <= ${NAMES_SHOWN}) as names
    from n
    group by root_id, round_id, round_name, deadline
    order by root_id, deadline, round_id`);
}
