import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import { resolveFlag } from "~/modules/rankings/flags.server";
import { createMeeting, saveCommitment, saveMinutes } from "~/modules/rankings/meetings.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { quarterEnded, quarterLabel, quarterOf, quarterPeriod, shiftQuarter } from "~/modules/rankings/quarter";
import { addDays, isoWeekday, shanghaiInstant, shanghaiMidnight, todayInShanghai } from "~/utils/dates";
import { idList } from "~/utils/sql.server";
import type { Database, DbOrTx } from "../client";
import { cadres, classSessions, rankingFlags, rankingMeetingItems, rankingMeetings, units } from "../schema";
import type { AssessmentGrade } from "../schema/rankings";
import { type DemoCadre, type DemoUnit, prng } from "./demo-city";

/**
 * Four published quarters for the demo city (the four before the one under way, like the rest of the
 * demo relative to the day it is seeded), computed by the rankings capability
 * itself from the other capabilities' demo data plus the assessments and public ratings generated
 * here. The night-class and frontline demos are relative to the day the seed runs and leave the early
 * quarters thin, so this step fills, through those capabilities' own tables only:
 * - closed evenings (2nd and 4th Wednesday) in a demo quarter that has none, with their enrolment;
 * - attendance for every enrolment of a closed evening in the demo quarters that has none (with the
 *   approved leave behind each excused row, and some confirmed make-up study);
 * - verified frontline days of the city's leaders in any demo month they have none.
 * Each unit has a profile (how diligent, and whether it is rising or slipping) that drives the
 * attendance filled here, the grades and the ratings, so ranks move between quarters; a few units are
 * made to slip in the third and fourth, and together with the attendance demo's weak units some stay in
 * the bottom two quarters running (约谈 flags). The third quarter's meeting has its agenda, minutes and
 * commitments, which the fourth quarter's table follows up. Deterministic for a given day (prng), no
 * emails.
 */

/** The demo's published quarters on a given day: the four before the one under way, oldest first. */
export function demoQuarters(today: string): string[] {
  const underWay = quarterOf(today);
  return [-4, -3, -2, -1].map((n) => shiftQuarter(underWay, n));
}
const DEMO_QUARTER_COUNT = 4;
/** The demo quarter whose ranking meeting has been held (the third). */
const MEETING_QUARTER = 2;

/** Slipping to the bottom in the third and fourth demo quarters. */
const LAGGARDS = ["市人民防空办公室", "市供销合作社", "太平镇", "新华镇"];
/** At the bottom in the third demo quarter, then up after committing at the meeting. */
const CLIMBER = "市档案馆";
/** The demo head's bureau does well, so that the head sees a breakdown worth explaining. */
const STRONG = ["市教育和体育局", "市发展和改革局", "东城街道"];

const actor = { userId: null, label: "seed" };
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function profiles(city: { units: DemoUnit[] }) {
  const random = prng(20261124);
  const out = new Map<string, number[]>();
  for (const u of city.units) {
    const base = 0.72 + 0.22 * random();
    const trend = (random() - 0.5) * 0.12;
    let byQuarter = Array.from({ length: DEMO_QUARTER_COUNT }, (_, i) => clamp(base + trend * i + (random() - 0.5) * 0.08, 0.35, 0.98));
    if (LAGGARDS.includes(u.name)) byQuarter = [0.78, 0.7, 0.4, 0.38];
    if (u.name === CLIMBER) byQuarter = [0.74, 0.62, 0.42, 0.95];
    if (STRONG.includes(u.name)) byQuarter = byQuarter.map((p) => Math.max(p, 0.92));
    out.set(u.code, [...byQuarter, byQuarter[3]!]);
  }
  return out;
}

/** The 2nd and 4th Wednesday of each month of a quarter, 19:30 in Shanghai. */
function eveningsOf(quarter: string): Date[] {
  const { from } = quarterPeriod(quarter);
  const out: Date[] = [];
  for (let m = 0; m < 3; m++) {
    const first = `${from.slice(0, 5)}${String(Number(from.slice(5, 7)) + m).padStart(2, "0")}-01`;
    const offset = (3 - isoWeekday(first) + 7) % 7;
    for (const week of [1, 3]) out.push(shanghaiInstant(addDays(first, offset + 7 * week), "19:30"));
  }
  return out;
}

async function ensureEvenings(tx: DbOrTx, quarter: string, now: Date) {
  const { from, to } = quarterPeriod(quarter);
  const [existing] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(classSessions)
    .where(
      and(
        eq(classSessions.status, "closed"),
        gte(classSessions.startsAt, shanghaiMidnight(from)),
        lt(classSessions.startsAt, shanghaiMidnight(to)),
      ),
    );
  if (Number(existing?.n ?? 0) > 0) return 0;
  const dates = eveningsOf(quarter).filter((d) => d.getTime() + 90 * 60_000 < now.getTime());
  if (!dates.length) return 0;
  const year = quarter.slice(0, 4);
  const [highest] = await tx.execute<{ n: number }>(sql`
    select coalesce(max(substring(code from '^[0-9]{4}-([0-9]{2,3})$')::int), 0) as n from class_sessions where code like ${`${year}-%`}`);
  let n = Number(highest?.n ?? 0);
  const rows = dates.map((startsAt) => ({
    code: `${year}-${String(++n).padStart(2, "0")}`,
    title: "夜课堂（示范）",
    lecturer: "示范讲师",
    startsAt,
    endsAt: new Date(startsAt.getTime() + 90 * 60_000),
    registrationDeadline: new Date(startsAt.getTime() - 6 * 3_600_000),
    trainingHours: 1.5,
    status: "closed" as const,
    audience: { minRank: "deputy_section" as const, unitIds: [], cadreIds: [], excludeCadreIds: [] },
    publishedAt: new Date(startsAt.getTime() - 14 * 86_400_000),
    closedAt: new Date(startsAt.getTime() + 3 * 3_600_000),
  }));
  const sessions = await tx.insert(classSessions).values(rows).returning({ id: classSessions.id });
  await tx.execute(sql`
    insert into class_registrations (session_id, cadre_id, source, registered_at)
    select s.id, c.id, 'mandatory', s.published_at
    from class_sessions s cross join cadres c
    where s.id in ${idList(sessions.map((s) => s.id))}
      and c.status = 'active' and c.rank >= 'deputy_section'::cadre_rank`);
  return sessions.length;
}

async function fillAttendance(
  tx: DbOrTx,
  quarterIndex: number,
  quarter: string,
  unitOf: Map<number, string>,
  profile: Map<string, number[]>,
) {
  const random = prng(20261125 + quarterIndex);
  const { from, to } = quarterPeriod(quarter);
  const rows = await tx.execute<{ session_id: number; cadre_id: number; starts_at: string }>(sql`
    select r.session_id, r.cadre_id, to_json(s.starts_at) #>> '{}' as starts_at
    from class_registrations r join class_sessions s on s.id = r.session_id
    where s.status = 'closed' and r.status = 'registered'
      and s.starts_at >= ${shanghaiMidnight(from).toISOString()}::timestamptz and s.starts_at < ${shanghaiMidnight(to).toISOString()}::timestamptz
      and not exists (select 1 from attendance_records a where a.session_id = r.session_id and a.cadre_id = r.cadre_id)
    order by s.starts_at, r.session_id, r.cadre_id`);
  const records: { session_id: number; cadre_id: number; status: string; source: string; checked_in_at: string | null }[] = [];
  const leave: { session_id: number; cadre_id: number }[] = [];
  const makeups: { session_id: number; cadre_id: number }[] = [];
  for (const r of rows) {
    const p = profile.get(unitOf.get(Number(r.cadre_id)) ?? "")?.[quarterIndex] ?? 0.8;
    const roll = random();
    const starts = new Date(r.starts_at).getTime();
    if (roll < p) {
      const late = random() < 0.12;
      records.push({
        session_id: Number(r.session_id),
        cadre_id: Number(r.cadre_id),
        status: late ? "late" : "present",
        source: "roster",
        checked_in_at: new Date(starts + (late ? 15 + Math.floor(random() * 30) : -Math.floor(random() * 20)) * 60_000).toISOString(),
      });
    } else if (random() < 0.4) {
      records.push({
        session_id: Number(r.session_id),
        cadre_id: Number(r.cadre_id),
        status: "excused",
        source: "close",
        checked_in_at: null,
      });
      leave.push({ session_id: Number(r.session_id), cadre_id: Number(r.cadre_id) });
      if (random() < 0.5) makeups.push({ session_id: Number(r.session_id), cadre_id: Number(r.cadre_id) });
    } else {
      records.push({
        session_id: Number(r.session_id),
        cadre_id: Number(r.cadre_id),
        status: "absent",
        source: "close",
        checked_in_at: null,
      });
    }
  }
  for (let i = 0; i < records.length; i += 5000) {
    await tx.execute(sql`
      insert into attendance_records (session_id, cadre_id, status, source, checked_in_at)
      select x.session_id, x.cadre_id, x.status::attendance_status, x.source::attendance_source, x.checked_in_at
      from jsonb_to_recordset(${JSON.stringify(records.slice(i, i + 5000))}::jsonb)
        as x(session_id integer, cadre_id integer, status text, source text, checked_in_at timestamptz)
      on conflict (session_id, cadre_id) do nothing`);
  }
  if (leave.length) {
    await tx.execute(sql`
      insert into class_leave_requests (session_id, cadre_id, reason, status, decided_at, decision_comment)
      select x.session_id, x.cadre_id, '因公出差，申请请假，课后补学。', 'approved', s.starts_at - interval '1 day', '同意。'
      from jsonb_to_recordset(${JSON.stringify(leave)}::jsonb) as x(session_id integer, cadre_id integer)
      join class_sessions s on s.id = x.session_id
      on conflict do nothing`);
  }
  if (makeups.length) {
    await tx.execute(sql`
      insert into attendance_makeups (session_id, cadre_id, status, note, submitted_at, decided_at)
      select x.session_id, x.cadre_id, 'confirmed', '已观看回放并提交学习心得。', s.starts_at + interval '3 days', s.starts_at + interval '5 days'
      from jsonb_to_recordset(${JSON.stringify(makeups)}::jsonb) as x(session_id integer, cadre_id integer)
      join class_sessions s on s.id = x.session_id
      on conflict do nothing`);
  }
  return records.length;
}

const LEADER_PLACES = [
  "城东污水处理厂项目",
  "青石镇联扶村驻村帮扶",
  "市信访局接待大厅",
  "经济技术开发区项目洽谈",
  "白杨镇矛盾纠纷排查化解",
  "高铁站综合枢纽项目",
];

/** The city's leaders out five days or more in every demo month where the frontline demo has nothing. */
async function fillLeaderFrontline(
  tx: DbOrTx,
  cadreIds: Map<string, number>,
  city: { cadres: DemoCadre[] },
  quarters: string[],
  today: string,
) {
  const random = prng(20261126);
  const leaders = city.cadres.filter((c) => c.rank === "county" || c.rank === "deputy_county");
  const rows: { cadre_id: number; place: string; start_date: string; end_date: string; category: string }[] = [];
  for (const quarter of quarters) {
    const { from } = quarterPeriod(quarter);
    for (let m = 0; m < 3; m++) {
      const monthStart = `${from.slice(0, 5)}${String(Number(from.slice(5, 7)) + m).padStart(2, "0")}-01`;
      for (const leader of leaders) {
        const first = 2 + Math.floor(random() * 8);
        const length = 5 + Math.floor(random() * 4);
        if (addDays(monthStart, first + length - 1) > today) continue;
        rows.push({
          cadre_id: cadreIds.get(leader.staffNo)!,
          place: LEADER_PLACES[Math.floor(random() * LEADER_PLACES.length)]!,
          start_date: addDays(monthStart, first),
          end_date: addDays(monthStart, first + length - 1),
          category: ["supervision", "pairing", "petition", "major_project"][Math.floor(random() * 4)]!,
        });
      }
    }
  }
  const added = await tx.execute<{ id: number }>(sql`
    insert into frontline_records (cadre_id, category, place, start_date, end_date, summary, outcome, status, revision, submitted_at, verified_at)
    select x.cadre_id, x.category::frontline_category, x.place, x.start_date, x.end_date,
      '深入一线调研督导，现场协调解决问题。', '推动解决群众急难愁盼问题。', 'verified', 3, x.end_date + interval '1 day', x.end_date + interval '3 days'
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(cadre_id integer, place text, start_date date, end_date date, category text)
    where not exists (
      select 1 from frontline_records f
      where f.cadre_id = x.cadre_id and f.status = 'verified'
        and f.start_date < date_trunc('month', x.start_date) + interval '1 month' and f.end_date >= date_trunc('month', x.start_date))
    on conflict do nothing
    returning id`);
  return added.length;
}

function gradeFor(p: number, roll: number): AssessmentGrade {
  const g = p + (roll - 0.5) * 0.3;
  return g > 0.9 ? "good" : g > 0.76 ? "fairly_good" : g > 0.55 ? "average" : "poor";
}

const COMMENTS: Record<AssessmentGrade, string[]> = {
  good: ["工作主动，成效明显。", "敢于担当，完成任务出色。", "狠抓落实，群众评价好。"],
  fairly_good: ["工作认真，完成任务较好。", "履职尽责，有一定成效。"],
  average: ["能完成基本任务，主动性有待加强。", "工作进度偏慢，需加强督促。"],
  poor: ["多项任务未按期完成，已谈话提醒。"],
};

async function gradeQuarters(
  tx: DbOrTx,
  city: { cadres: DemoCadre[]; units: DemoUnit[] },
  cadreIds: Map<string, number>,
  unitIds: Map<string, number>,
  profile: Map<string, number[]>,
  quarters: string[],
) {
  const random = prng(20261127);
  const rows: { cadre_id: number; quarter: string; grade: string; comment: string; unit_id: number }[] = [];
  const education = city.units.find((u) => u.name === "市教育和体育局")!;
  quarters.forEach((quarter, qi) => {
    for (const c of city.cadres) {
      // The quarter under way: about two units in three done, the demo head's bureau still to grade.
      if (qi === DEMO_QUARTER_COUNT && (c.unitCode === education.code || random() < 0.35)) continue;
      const grade = gradeFor(profile.get(c.unitCode)?.[qi] ?? 0.8, random());
      const options = COMMENTS[grade];
      rows.push({
        cadre_id: cadreIds.get(c.staffNo)!,
        quarter,
        grade,
        comment: random() < 0.6 ? options[Math.floor(random() * options.length)]! : "",
        unit_id: unitIds.get(c.unitCode)!,
      });
    }
  });
  for (let i = 0; i < rows.length; i += 5000) {
    await tx.execute(sql`
      insert into ranking_assessments (cadre_id, quarter, grade, comment, unit_id, source)
      select x.cadre_id, x.quarter, x.grade::assessment_grade, x.comment, x.unit_id, 'import'
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::jsonb) as x(cadre_id integer, quarter text, grade text, comment text, unit_id integer)
      on conflict (cadre_id, quarter) do nothing`);
  }
  return rows.length;
}

async function rateUnits(
  tx: DbOrTx,
  city: { units: DemoUnit[] },
  unitIds: Map<string, number>,
  profile: Map<string, number[]>,
  quarters: string[],
  today: string,
) {
  const random = prng(20261128);
  const rows: { unit_id: number; date: string; satisfied: number; unsatisfied: number }[] = [];
  const months = quarters.flatMap((q) => {
    const { from } = quarterPeriod(q);
    return [0, 1, 2].map((m) => `${from.slice(0, 5)}${String(Number(from.slice(5, 7)) + m).padStart(2, "0")}-15`);
  });
  // Units that serve the public directly are rated; enterprises and mass organizations are not.
  for (const u of city.units.filter((x) => x.kind === "department" || x.kind === "town" || x.kind === "park")) {
    months.forEach((date, i) => {
      if (date > today) return;
      const share = clamp((profile.get(u.code)?.[Math.floor(i / 3)] ?? 0.8) + (random() - 0.5) * 0.1, 0.5, 0.99);
      const satisfied = 40 + Math.floor(random() * 160);
      rows.push({ unit_id: unitIds.get(u.code)!, date, satisfied, unsatisfied: Math.round((satisfied * (1 - share)) / share) });
    });
  }
  await tx.execute(sql`
    insert into satisfaction_ratings (unit_id, date, satisfied, unsatisfied)
    select x.unit_id, x.date, x.satisfied, x.unsatisfied
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(unit_id integer, date date, satisfied integer, unsatisfied integer)
    on conflict (unit_id, date) do nothing`);
  return rows.length;
}

const COMMITMENTS = [
  "对照排名找差距，本季度夜课堂参学率提升到95%以上，班子成员带头下沉一线，每月通报进展。",
  "成立整改专班，逐项梳理短板弱项，下季度各项指标进入同类单位中游。",
  "落实“一把手”负总责，建立周调度机制，补齐学时缺口，群众满意度提升5个百分点。",
];

async function holdMeeting(tx: DbOrTx, quarter: string) {
  const db = tx as unknown as Database;
  // The sixteenth day after the quarter, a morning; invitations a week before.
  const day = addDays(quarterPeriod(quarter).to, 15);
  const { meetingId } = await createMeeting(db, actor, quarter, {
    startsAt: shanghaiInstant(day, "09:30"),
    endsAt: shanghaiInstant(day, "12:00"),
    place: "市委党校报告厅",
  });
  await tx
    .update(rankingMeetings)
    .set({ invitationsSentAt: shanghaiInstant(addDays(day, -7), "09:00") })
    .where(eq(rankingMeetings.id, meetingId));
  const committing = await tx
    .select({ unitId: rankingMeetingItems.unitId, headId: units.headCadreId })
    .from(rankingMeetingItems)
    .innerJoin(units, eq(units.id, rankingMeetingItems.unitId))
    .where(and(eq(rankingMeetingItems.meetingId, meetingId), eq(rankingMeetingItems.role, "commitment")))
    .orderBy(rankingMeetingItems.id);
  for (const [i, c] of committing.entries()) {
    const responsible = c.headId ?? (await tx.select({ id: cadres.id }).from(cadres).where(eq(cadres.unitId, c.unitId)).limit(1))[0]?.id;
    if (!responsible) continue;
    await saveCommitment(db, actor, meetingId, {
      unitId: c.unitId,
      text: COMMITMENTS[i % COMMITMENTS.length]!,
      responsibleCadreId: responsible,
    });
  }
  await saveMinutes(
    db,
    actor,
    meetingId,
    [
      `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日上午，市委组织部在市委党校报告厅召开${quarterLabel(quarter, "zh-CN")}拼搏赶超交流会。`,
      `一、通报${quarterLabel(quarter, "zh-CN").slice(5)}单位和干部排名情况，各类单位前三名作经验介绍。`,
      "二、排名靠后的单位主要负责同志作表态发言，明确整改措施和完成时限。",
      "三、会议要求：对标先进找差距，下季度排名将通报表态单位的名次变化；连续两个季度排名靠后的单位由组织部约谈。",
    ].join("\n"),
  );
  return meetingId;
}

export async function seedDemoRankings(tx: DbOrTx, city: { units: DemoUnit[]; cadres: DemoCadre[] }, options: { now: Date }) {
  const today = todayInShanghai(options.now);
  const db = tx as unknown as Database;
  const people = await tx.select({ id: cadres.id, staffNo: cadres.staffNo }).from(cadres);
  const cadreIds = new Map(people.map((p) => [p.staffNo, p.id]));
  const unitRows = await tx.select({ id: units.id, code: units.code }).from(units);
  const unitIds = new Map(unitRows.map((u) => [u.code, u.id]));
  const unitOf = new Map(city.cadres.map((c) => [cadreIds.get(c.staffNo)!, c.unitCode]));
  const profile = profiles(city);

  const quarters = demoQuarters(today);
  const withUnderWay = [...quarters, quarterOf(today)];
  let evenings = 0;
  let attendance = 0;
  for (const [i, quarter] of quarters.entries()) {
    evenings += await ensureEvenings(tx, quarter, options.now);
    attendance += await fillAttendance(tx, i, quarter, unitOf, profile);
  }
  const frontline = await fillLeaderFrontline(tx, cadreIds, city, quarters, today);
  const graded = await gradeQuarters(tx, city, cadreIds, unitIds, profile, withUnderWay);
  const ratings = await rateUnits(tx, city, unitIds, profile, withUnderWay, today);

  const published: string[] = [];
  for (const quarter of quarters) {
    const { rankingId } = await computeRanking(db, actor, quarter, { today });
    if (!quarterEnded(quarter, today)) continue;
    await publishRanking(db, actor, rankingId, { today, notify: false });
    published.push(quarter);
    if (quarter === quarters[MEETING_QUARTER]) await holdMeeting(tx, quarter);
  }
  // The demo's history: each quarter published some days after it ended, and the flags of the
  // earlier quarters already talked through; the latest quarter's flags are left to act on.
  for (const quarter of published) {
    const at = shanghaiInstant(addDays(quarterPeriod(quarter).to, 8), "10:00");
    if (at > options.now) continue;
    await tx.execute(sql`update rankings set computed_at = ${at.toISOString()}::timestamptz - interval '1 day', published_at = ${at.toISOString()}::timestamptz
      where quarter = ${quarter} and status = 'published'`);
  }
  const older = published.slice(0, -1);
  if (older.length) {
    const open = await tx
      .select({ id: rankingFlags.id })
      .from(rankingFlags)
      .where(and(eq(rankingFlags.status, "open"), inArray(rankingFlags.quarter, older)));
    for (const f of open) await resolveFlag(db, actor, f.id, "已由组织部约谈单位主要负责人，单位已提交整改方案并按月报送进展。");
  }
  await audit(tx, actor, {
    action: "seed.demo_rankings",
    entityType: "ranking",
    after: { evenings, attendance, frontline, graded, ratings, published, currentQuarter: quarterOf(today) },
  });
  return { published };
}
