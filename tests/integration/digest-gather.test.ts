import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { composeUnit, type GatheredUnit } from "~/modules/digest/compose";
import { gatherDigests } from "~/modules/digest/gather.server";
import { digestRecipients } from "~/modules/digest/recipients.server";
import { attendanceRecords, classLeaveRequests, classRegistrations, unitMemberships } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { createFrontlineRecord } from "~db/seed/frontline";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;

/**
 * 教育局 (with 第一中学 below it, which has a head of its own) and 财政局, for week 2026-W47: last week
 * is Monday 9 to Sunday 15 November, the digest goes out on Monday 16 November at 08:00.
 */
const W47 = { year: 2026, week: 47 };
const NOW = new Date("2026-11-16T00:00:00Z");
const at = (local: string) => new Date(`${local}+08:00`);

const u: Record<string, number> = {};
const c: Record<string, number> = {};
const users: Record<string, number> = {};
let gathered: Map<number, GatheredUnit>;

async function cadre(key: string, unit: string, rank: "deputy_section" | "section" | "deputy_county" = "deputy_section", name?: string) {
  const row = await createCadre(db, { unitId: u[unit]!, rank, name: name ?? key, staffNo: `DG${key.toUpperCase()}` });
  c[key] = row.id;
  users[key] = (await createUser(db, { cadreId: row.id, disabled: false })).id;
}

async function attended(sessionId: number, rows: [string, "present" | "late" | "excused" | "absent", string?][]) {
  for (const [key, status, checkedIn] of rows) {
    await db.insert(classRegistrations).values({ sessionId, cadreId: c[key]!, source: "mandatory" });
    await db.insert(attendanceRecords).values({
      sessionId,
      cadreId: c[key]!,
      status,
      source: status === "absent" || status === "excused" ? "close" : "roster",
      checkedInAt: checkedIn ? at(checkedIn) : null,
    });
  }
}

beforeAll(async () => {
  u.edu = (await createUnit(db, { code: "DGEDU", name: "教育局" })).id;
  u.school = (await createUnit(db, { code: "DGSCH", name: "第一中学", parentId: u.edu })).id;
  u.finance = (await createUnit(db, { code: "DGFIN", name: "财政局" })).id;
  await cadre("head", "edu", "section", "何局长");
  await cadre("clerk", "edu", "deputy_section", "陈科员");
  await cadre("deputy", "edu", "deputy_county", "邓副局长");
  await cadre("teacher", "school", "deputy_section", "唐老师");
  await cadre("principal", "school", "section", "柏校长");
  await cadre("fhead", "finance", "section", "冯局长");
  await cadre("accountant", "finance", "deputy_section", "吴会计");
  // Moved from finance to education on Monday 16 November: last week's evening counts for finance.
  await cadre("mover", "edu", "deputy_section", "马调动");
  await db.execute(sql`delete from unit_memberships where cadre_id = ${c.mover}`);
  await db.insert(unitMemberships).values([
    { cadreId: c.mover!, unitId: u.finance!, startDate: null, endDate: "2026-11-16" },
    { cadreId: c.mover!, unitId: u.edu!, startDate: "2026-11-16", endDate: null },
  ]);
  await makeHead(db, u.edu!, c.head!);
  await makeHead(db, u.school!, c.principal!);
  await makeHead(db, u.finance!, c.fhead!);

  // Last week's edges: Monday 00:00 counts, Sunday 23:59 counts; the Monday after does not, nor the Sunday before.
  const monday = await createClassSession(db, { title: "周一零点", startsAt: at("2026-11-09T00:00:00"), status: "closed" });
  const sunday = await createClassSession(db, { title: "周日深夜", startsAt: at("2026-11-15T23:59:00"), status: "closed" });
  const thisWeek = await createClassSession(db, { title: "本周一零点", startsAt: at("2026-11-16T00:00:00"), status: "closed" });
  const weekBefore = await createClassSession(db, { title: "上上周日", startsAt: at("2026-11-08T23:59:00"), status: "closed" });
  // A session of last week still open is not final: left out.
  const open = await createClassSession(db, { title: "尚未关闭", startsAt: at("2026-11-12T19:30:00"), status: "published" });
  await attended(monday.id, [
    ["clerk", "absent"],
    ["head", "late", "2026-11-09T00:25:00"],
    ["deputy", "late", "2026-11-09T00:10:00"],
    ["mover", "late"],
  ]);
  await attended(sunday.id, [
    ["head", "present", "2026-11-15T23:58:00"],
    ["clerk", "late", "2026-11-16T00:12:00"],
    ["teacher", "absent"],
    ["deputy", "excused"],
    ["mover", "absent"],
    ["accountant", "present", "2026-11-15T23:55:00"],
  ]);
  await attended(thisWeek.id, [["clerk", "absent"]]);
  await attended(weekBefore.id, [["clerk", "absent"]]);
  await attended(open.id, [["teacher", "late", "2026-11-12T19:45:00"]]);

  // Next Wednesday: deputy-section and above must attend. The clerk cancelled, the teacher was never
  // enrolled; the deputy and the head asked for leave (the head's own is not the head's to decide).
  const next = await createClassSession(db, {
    code: "DG-NEXT",
    title: "下周三夜课堂",
    startsAt: at("2026-11-25T19:30:00"),
    status: "published",
    audience: { minRank: "deputy_section" },
  });
  for (const key of ["head", "deputy", "principal", "fhead", "accountant", "mover"]) {
    await db.insert(classRegistrations).values({ sessionId: next.id, cadreId: c[key]!, source: "mandatory" });
  }
  await db
    .insert(classRegistrations)
    .values({ sessionId: next.id, cadreId: c.clerk!, source: "mandatory", status: "cancelled", cancelledAt: NOW });
  await db.insert(classLeaveRequests).values([
    { sessionId: next.id, cadreId: c.deputy!, reason: "出差", status: "pending" },
    { sessionId: next.id, cadreId: c.head!, reason: "开会", status: "pending" },
    { sessionId: next.id, cadreId: c.accountant!, reason: "培训", status: "approved" },
  ]);
  // Further than a fortnight ahead, and a draft: neither is "coming".
  await createClassSession(db, {
    title: "一个月后",
    startsAt: at("2026-12-16T19:30:00"),
    status: "published",
    audience: { minRank: "deputy_section" },
  });
  await createClassSession(db, {
    title: "草稿",
    startsAt: at("2026-11-20T19:30:00"),
    status: "draft",
    audience: { minRank: "deputy_section" },
  });

  // Frontline: submitted records wait; the head's own and one the head submitted for someone are not theirs.
  await createFrontlineRecord(db, {
    cadreId: c.teacher!,
    status: "submitted",
    place: "城关街道",
    startDate: "2026-11-02",
    endDate: "2026-11-04",
  });
  await createFrontlineRecord(db, {
    cadreId: c.clerk!,
    status: "submitted",
    place: "信访局",
    startDate: "2026-11-05",
    endDate: "2026-11-05",
  });
  await createFrontlineRecord(db, {
    cadreId: c.head!,
    status: "submitted",
    place: "局长自己的",
    startDate: "2026-11-06",
    endDate: "2026-11-06",
  });
  await createFrontlineRecord(db, {
    cadreId: c.deputy!,
    status: "submitted",
    place: "局长代报",
    startDate: "2026-11-07",
    endDate: "2026-11-07",
    submittedByUserId: users.head,
  });
  await createFrontlineRecord(db, {
    cadreId: c.clerk!,
    status: "draft",
    place: "草稿记录",
    startDate: "2026-11-08",
    endDate: "2026-11-08",
  });
  await createFrontlineRecord(db, {
    cadreId: c.accountant!,
    status: "verified",
    place: "已核实",
    startDate: "2026-11-03",
    endDate: "2026-11-03",
  });
  // October quota (deputy-county and above: 5 days): the deputy has 3.
  await createFrontlineRecord(db, {
    cadreId: c.deputy!,
    status: "verified",
    place: "十月驻村",
    startDate: "2026-10-12",
    endDate: "2026-10-14",
  });

  // Rankings: 2026Q2 and Q3 published, Q4 a draft; finance has no row in Q2.
  const [model] = await db.execute<{ id: number }>(sql`
    insert into ranking_models (year, version, cadre_weights, unit_weights, params) values (2026, 1, '{}', '{}', '{}') returning id`);
  const ranking = async (quarter: string, status: "published" | "draft", ranks: [number, number | null][]) => {
    const [r] = await db.execute<{ id: number }>(sql`
      insert into rankings (quarter, version, status, model_id, inputs_hash, published_at)
      values (${quarter}, 1, ${status}, ${model!.id}, ${status === "published" ? "h" : null}, ${status === "published" ? sql`now()` : sql`null`}) returning id`);
    for (const [unitId, rank] of ranks) {
      await db.execute(sql`
        insert into ranking_unit_results (ranking_id, unit_id, code, name, peer_group, rank, members, members_section_up)
        values (${r!.id}, ${unitId}, 'x', 'x', 'department', ${rank}, 1, 1)`);
    }
  };
  await ranking("2026Q2", "published", [[u.edu!, 3]]);
  await ranking("2026Q3", "published", [
    [u.edu!, 2],
    [u.finance!, 1],
    [u.school!, null],
  ]);
  await ranking("2026Q4", "draft", [
    [u.edu!, 1],
    [u.finance!, 2],
  ]);

  // Shortlists: only open rounds, live and undecided nominations count.
  const round = async (name: string, status: "open" | "published") =>
    (
      await db.execute<{ id: number }>(sql`
      insert into shortlist_rounds (name, quota, deadline, status) values (${name}, 5, ${at("2026-11-30T18:00:00").toISOString()}::timestamptz, ${status}) returning id`)
    )[0]!.id;
  const openRound = await round("2026 换届 敢担当善作为", "open");
  const doneRound = await round("已发布的一轮", "published");
  const nominate = (roundId: number, key: string, unit: string, state: "live" | "decided" | "withdrawn" = "live") =>
    db.execute(sql`
      insert into shortlist_nominations (round_id, cadre_id, unit_id, recommendation, eligible, eligibility, decision, decision_reason, withdrawn_at)
      values (${roundId}, ${c[key]}, ${u[unit]}, '敢担当', true, '{}',
        ${state === "decided" ? "deferred" : null}, ${state === "decided" ? "再看看" : null}, ${state === "withdrawn" ? sql`now()` : null})`);
  await nominate(openRound, "deputy", "edu");
  await nominate(openRound, "teacher", "school");
  await nominate(openRound, "clerk", "edu", "decided");
  await nominate(openRound, "fhead", "finance", "withdrawn");
  await nominate(doneRound, "principal", "school");

  gathered = await gatherDigests(db, { week: W47, unitIds: [u.edu!, u.school!, u.finance!], now: NOW });
});

describe("gathering the weekly digest for every unit at once", () => {
  it("last week is Monday 00:00 to Monday 00:00 in Shanghai; a unit counts its sub-units, each row where the cadre was that day", () => {
    const edu = gathered.get(u.edu!)!;
    expect(edu.attendance.map((s) => s.title)).toEqual(["周一零点", "周日深夜"]);
    const sunday = edu.attendance[1]!;
    // head, clerk, deputy (edu) and teacher (school); the mover was still in finance that evening.
    expect(sunday).toMatchObject({ enrolled: 4, present: 1, late: 1, excused: 1, absent: 1 });
    expect(sunday.absentees).toEqual({ rows: [{ name: "唐老师" }], total: 1 });
    expect(sunday.latecomers).toEqual({ rows: [{ name: "陈科员", checkedInAt: at("2026-11-16T00:12:00").toISOString() }], total: 1 });
    expect(gathered.get(u.school!)!.attendance.map((s) => [s.title, s.enrolled, s.absent])).toEqual([["周日深夜", 1, 1]]);
    // Latecomers come the latest first; a late mark without a time (marked on the roster) after them.
    // The mover was in finance on that Monday.
    expect(edu.attendance[0]!.latecomers.rows.map((r) => r.name)).toEqual(["何局长", "邓副局长"]);
    expect(gathered.get(u.finance!)!.attendance.find((s) => s.title === "周一零点")!.latecomers).toEqual({
      rows: [{ name: "马调动", checkedInAt: null }],
      total: 1,
    });
    const finance = gathered.get(u.finance!)!.attendance;
    expect(finance.map((s) => [s.title, s.enrolled, s.absent])).toEqual([
      ["周一零点", 1, 0],
      ["周日深夜", 2, 1],
    ]);
    expect(finance[1]!.absentees.rows).toEqual([{ name: "马调动" }]);
  });

  it("the coming fortnight: mandatory cadres not registered, and leave waiting for the head (not the head's own)", () => {
    const edu = gathered.get(u.edu!)!;
    expect(edu.upcoming.map((s) => s.title)).toEqual(["下周三夜课堂"]);
    const next = edu.upcoming[0]!;
    // Audience today: head, clerk, deputy, mover (edu) and teacher, principal (school).
    expect(next.audience).toBe(6);
    expect(next.notRegistered.total).toBe(2);
    expect(next.notRegistered.rows.map((r) => r.name).sort()).toEqual(["唐老师", "陈科员"].sort());
    expect(next.leavePending).toEqual({ rows: [{ name: "邓副局长" }], total: 1 });
    const finance = gathered.get(u.finance!)!.upcoming[0]!;
    expect(finance).toMatchObject({ audience: 2, notRegistered: { total: 0 }, leavePending: { total: 0 } });
  });

  it("frontline records waiting for verification, never the head's own or one they submitted; October's shortfall", () => {
    const edu = gathered.get(u.edu!)!;
    expect(edu.frontlinePending.total).toBe(2);
    expect(edu.frontlinePending.rows.map((r) => r.place)).toEqual(["城关街道", "信访局"]);
    expect(gathered.get(u.school!)!.frontlinePending.rows.map((r) => r.place)).toEqual(["城关街道"]);
    expect(gathered.get(u.finance!)!.frontlinePending.total).toBe(0);
    expect(edu.quota).toEqual({ month: "2026-10", shortfalls: { rows: [{ name: "邓副局长", days: 3, quota: 5 }], total: 1 } });
    expect(gathered.get(u.finance!)!.quota).toBeNull();
  });

  it("standing in the latest published ranking with the movement, and in a later draft", () => {
    expect(gathered.get(u.edu!)!.published).toEqual({ quarter: "2026Q3", group: "department", rank: 2, size: 2, previousRank: 3 });
    expect(gathered.get(u.edu!)!.draft).toEqual({ quarter: "2026Q4", rank: 1, size: 2 });
    expect(gathered.get(u.finance!)!.published).toMatchObject({ rank: 1, previousRank: null });
    expect(gathered.get(u.school!)!.published).toMatchObject({ rank: null });
    expect(gathered.get(u.school!)!.draft).toBeNull();
  });

  it("open nominations of the unit's cadres, undecided and not withdrawn", () => {
    const edu = gathered.get(u.edu!)!;
    expect(edu.nominations).toHaveLength(1);
    expect(edu.nominations[0]).toMatchObject({
      name: "2026 换届 敢担当善作为",
      deadline: at("2026-11-30T18:00:00").toISOString(),
      nominees: { total: 2 },
    });
    expect(edu.nominations[0]!.nominees.rows.map((r) => r.name)).toEqual(["邓副局长", "唐老师"]);
    expect(gathered.get(u.finance!)!.nominations).toEqual([]);
  });

  it("composes into a digest where each section says what the data says", () => {
    const finance = composeUnit(gathered.get(u.finance!)!, "http://x", W47);
    expect(finance.attendance).not.toBeNull();
    expect(finance.upcoming).toBeNull();
    expect(finance.frontline).toBeNull();
    expect(finance.shortlists).toBeNull();
  });

  it("recipients: heads with an email, one per head, and only the heads of the units asked for", async () => {
    const all = await digestRecipients(db);
    expect(all.heads.map((h) => [h.name, h.units.map((x) => x.code)])).toEqual(
      expect.arrayContaining([
        ["何局长", ["DGEDU"]],
        ["柏校长", ["DGSCH"]],
        ["冯局长", ["DGFIN"]],
      ]),
    );
    const some = await digestRecipients(db, { unitIds: [u.school!] });
    expect(some.heads.map((h) => h.name)).toEqual(["柏校长"]);
  });
});
