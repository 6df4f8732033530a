import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ATTENDANCE_RULES } from "~/modules/attendance/rules";
import { updateAttendanceRules } from "~/modules/attendance/settings.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { cadrePercentiles } from "~/modules/rankings/shortlist.server";
import { activeCadres, evaluateCadres } from "~/modules/shortlists/eligibility.server";
import type { Evaluation, RuleResult } from "~/modules/shortlists/rules";
import { ruleFigure } from "~/modules/shortlists/tables";
import { translator } from "~/utils/i18n";
import * as schema from "~db/schema";
import { accountabilityRecords, attendanceRecords, classRegistrations, rankingFlags, rankings, unitMemberships } from "~db/schema";
import type { ShortlistRules } from "~db/schema/shortlists";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit } from "~db/seed/factories";
import { createFrontlineRecord } from "~db/seed/frontline";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };

/**
 * Every rule evaluated against real rows, set-based: frontline days (union, qualifying categories,
 * verified only), attendance over the last two complete quarters, the hours ledger, places in the
 * published cadre rankings, open flags by membership on the flagged quarter's last day. "Now" is
 * 2026-11-21: the attendance window is 2026Q2–2026Q3; the published rankings are 2026Q2 and 2026Q3.
 */
const NOW = new Date("2026-11-21T12:00:00+08:00");
const DEADLINE = new Date("2026-12-31T18:00:00+08:00");
const ids: Record<string, number> = {};

async function evening(startsAt: string, marks: [string, "present" | "late" | "excused" | "absent"][]) {
  const s = await createClassSession(db, { startsAt: new Date(startsAt), status: "closed", trainingHours: 1.5 });
  for (const [who, status] of marks) {
    await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: ids[who]!, source: "admin" });
    await db.insert(attendanceRecords).values({ sessionId: s.id, cadreId: ids[who]!, status, source: "roster" });
  }
}

beforeAll(async () => {
  const unit = await createUnit(db, { code: "E1", name: "甲局", kind: "department" });
  const flagged = await createUnit(db, { code: "E2", name: "乙局", kind: "department" });
  ids.unit = unit.id;
  ids.flagged = flagged.id;
  const cadre = async (key: string, rank: schema.Rank = "section", unitId = unit.id) => {
    ids[key] = (await createCadre(db, { staffNo: key.toUpperCase(), name: `干部${key}`, unitId, rank })).id;
  };
  for (const key of ["days90", "days89", "union90", "research", "pending"]) await cadre(key);
  await cadre("staff", "staff");
  await cadre("exact");
  await cadre("below");
  await cadre("excused");
  await cadre("none");
  await cadre("inFlagged", "section", flagged.id);
  await cadre("joinedLater", "section", flagged.id);

  // Frontline: 90 verified days exactly; 89; 90 as the union of overlapping records; 120 days of field
  // research (not a qualifying category); 120 days submitted but not verified.
  await createFrontlineRecord(db, {
    cadreId: ids.days90!,
    category: "pairing",
    startDate: "2026-01-01",
    endDate: "2026-03-31",
    status: "verified",
  });
  await createFrontlineRecord(db, {
    cadreId: ids.days89!,
    category: "pairing",
    startDate: "2026-01-01",
    endDate: "2026-03-30",
    status: "verified",
  });
  await createFrontlineRecord(db, {
    cadreId: ids.union90!,
    category: "supervision",
    startDate: "2026-01-01",
    endDate: "2026-02-28",
    status: "verified",
  });
  await createFrontlineRecord(db, {
    cadreId: ids.union90!,
    category: "petition",
    startDate: "2026-02-01",
    endDate: "2026-03-31",
    status: "verified",
  });
  await createFrontlineRecord(db, {
    cadreId: ids.research!,
    category: "field_research",
    startDate: "2026-01-01",
    endDate: "2026-04-30",
    status: "verified",
  });
  await createFrontlineRecord(db, {
    cadreId: ids.pending!,
    category: "pairing",
    startDate: "2026-01-01",
    endDate: "2026-04-30",
    status: "submitted",
  });

  // Attendance, 2026Q2–Q3: exact = 3 present + 1 late of 4 → 0.875; below = 3 present + 1 absent → 0.75;
  // excused = 3 present + 1 excused → 1.0; none never enrolled. A 2026Q1 absence is outside the window.
  await evening("2026-02-11T19:30:00+08:00", [
    ["exact", "absent"],
    ["below", "absent"],
  ]);
  await evening("2026-04-15T19:30:00+08:00", [
    ["exact", "present"],
    ["below", "present"],
    ["excused", "present"],
    ["inFlagged", "present"],
  ]);
  await evening("2026-05-13T19:30:00+08:00", [
    ["exact", "present"],
    ["below", "present"],
    ["excused", "present"],
    ["inFlagged", "late"],
  ]);
  await evening("2026-07-15T19:30:00+08:00", [
    ["exact", "present"],
    ["below", "present"],
    ["excused", "present"],
  ]);
  await evening("2026-09-09T19:30:00+08:00", [
    ["exact", "late"],
    ["below", "absent"],
    ["excused", "excused"],
  ]);

  // Training hours 2026: a requirement of 6 h for the section band. exact earned 4 × 1.5 = 6 (the
  // 2026Q1 absence earns nothing); below 3 × 1.5 = 4.5; none 0.
  await updateAttendanceRules(db, actor, { ...DEFAULT_ATTENDANCE_RULES, yearlyHours: { leading: 8, section: 6, staff: 6 } });

  // Published rankings of 2026Q2 and 2026Q3, computed by the rankings capability from these rows.
  for (const quarter of ["2026Q2", "2026Q3"]) {
    const { rankingId } = await computeRanking(db, actor, quarter, { today: "2026-11-21" });
    await publishRanking(db, actor, rankingId, { today: "2026-11-21", notify: false });
  }
  // Exactly one open 约谈 flag, on 乙局 for 2026Q3 (whatever publishing derived from two units is
  // replaced). joinedLater moved to 乙局 on 2026-10-15, after the quarter.
  await db.delete(rankingFlags);
  const [q3] = await db.select({ id: rankings.id }).from(rankings).where(eq(rankings.quarter, "2026Q3"));
  const [q2] = await db.select({ id: rankings.id }).from(rankings).where(eq(rankings.quarter, "2026Q2"));
  await db.insert(rankingFlags).values({
    unitId: flagged.id,
    quarter: "2026Q3",
    previousQuarter: "2026Q2",
    rankingId: q3!.id,
    previousRankingId: q2!.id,
    peerGroup: "department",
    rank: 2,
    groupSize: 2,
    previousRank: 2,
    previousGroupSize: 2,
  });
  await db.update(unitMemberships).set({ unitId: unit.id, endDate: "2026-10-15" }).where(eq(unitMemberships.cadreId, ids.joinedLater!));
  await db.insert(unitMemberships).values({ cadreId: ids.joinedLater!, unitId: flagged.id, startDate: "2026-10-15" });
});

async function evaluate(rules: ShortlistRules, keys: string[]) {
  const people = await activeCadres(db, { cadreIds: keys.map((k) => ids[k]!) });
  return evaluateCadres(db, { rules, deadline: DEADLINE }, people, { now: NOW });
}

function rule<K extends RuleResult["rule"]>(e: Evaluation | undefined, key: K) {
  return e!.results.find((r) => r.rule === key) as Extract<RuleResult, { rule: K }>;
}

describe("each rule against the rows behind it", () => {
  it("frontline: 90 verified days in the qualifying categories, overlaps once, as of the evaluation date", async () => {
    const result = await evaluate({ frontline: true }, ["days90", "days89", "union90", "research", "pending"]);
    const days = (k: string) => rule(result.get(ids[k]!), "frontline");
    expect(days("days90")).toMatchObject({ pass: true, days: 90, minDays: 90, asOf: "2026-11-21" });
    expect(days("days89")).toMatchObject({ pass: false, days: 89 });
    expect(days("union90")).toMatchObject({ pass: true, days: 90 });
    expect(days("research")).toMatchObject({ pass: false, days: 0 });
    expect(days("pending")).toMatchObject({ pass: false, days: 0 });
  });

  it("attendance: one rate over the last two complete quarters, exactly at the minimum passes", async () => {
    const result = await evaluate({ attendance: { minRate: 0.875, quarters: 2 } }, ["exact", "below", "excused", "none"]);
    expect(rule(result.get(ids.exact!), "attendance")).toMatchObject({
      pass: true,
      rate: 0.875,
      enrolled: 4,
      present: 3,
      late: 1,
      quarters: ["2026Q3", "2026Q2"],
    });
    expect(rule(result.get(ids.below!), "attendance")).toMatchObject({ pass: false, rate: 0.75, absent: 1 });
    expect(rule(result.get(ids.excused!), "attendance")).toMatchObject({ pass: true, rate: 1, excused: 1 });
    expect(rule(result.get(ids.none!), "attendance")).toMatchObject({ pass: false, rate: null, enrolled: 0 });
  });

  it("attendance over three quarters reaches the 2026Q1 absence", async () => {
    const result = await evaluate({ attendance: { minRate: 0.875, quarters: 3 } }, ["exact"]);
    expect(rule(result.get(ids.exact!), "attendance")).toMatchObject({
      pass: false,
      enrolled: 5,
      absent: 1,
      quarters: ["2026Q3", "2026Q2", "2026Q1"],
    });
  });

  it("training hours: the year's ledger against the band's requirement, exactly met passes", async () => {
    const result = await evaluate({ trainingHours: { year: 2026 } }, ["exact", "below", "none"]);
    expect(rule(result.get(ids.exact!), "trainingHours")).toMatchObject({ pass: true, earned: 6, required: 6, year: 2026 });
    expect(rule(result.get(ids.below!), "trainingHours")).toMatchObject({ pass: false, earned: 4.5, required: 6 });
    expect(rule(result.get(ids.none!), "trainingHours")).toMatchObject({ pass: false, earned: 0 });
    const earlier = await evaluate({ trainingHours: { year: 2025 } }, ["exact"]);
    expect(rule(earlier.get(ids.exact!), "trainingHours")).toMatchObject({ pass: false, earned: 0 });
  });

  it("top P%: the place in the band in each of the last Q published rankings, as the rankings froze it", async () => {
    const keys = ["exact", "below", "excused", "none", "days90"];
    // Ties are wide in this data (eight share 4th place in 2026Q3): 30% of 11 ends at rank 4.
    const result = await evaluate({ topPercent: { percent: 30, quarters: 2 } }, keys);
    const places = await cadrePercentiles(db, { cadreIds: keys.map((k) => ids[k]!) });
    for (const k of keys) {
      const r = rule(result.get(ids[k]!), "topPercent");
      expect(r.rankings.map((p) => p.quarter)).toEqual(["2026Q3", "2026Q2"]);
      const mine = places.filter((p) => p.cadreId === ids[k]);
      for (const p of r.rankings) {
        const frozen = mine.find((m) => m.quarter === p.quarter)!;
        expect([p.rank, p.bandSize, p.band]).toEqual([frozen.rank, frozen.bandSize, frozen.band]);
      }
      expect(r.pass).toBe(r.rankings.every((p) => p.rank !== null && p.rank <= Math.ceil((30 * p.bandSize!) / 100)));
      expect(r.rankings.map((p) => p.cutoff)).toEqual(r.rankings.map((p) => Math.ceil((30 * p.bandSize!) / 100)));
    }
    // Someone passes and someone fails, so the test says something.
    expect(keys.map((k) => rule(result.get(ids[k]!), "topPercent").pass)).toContain(true);
    expect(keys.map((k) => rule(result.get(ids[k]!), "topPercent").pass)).toContain(false);
    // Three rankings asked for, two published: nobody passes.
    const three = await evaluate({ topPercent: { percent: 100, quarters: 3 } }, keys);
    expect(keys.map((k) => rule(three.get(ids[k]!), "topPercent").pass)).toEqual(keys.map(() => false));
  });

  it("no accountability record: none open on the evaluation date, none in its effect period then — at every boundary", async () => {
    // The evaluation date is 2026-11-21. Each cadre has one record (or none), the dates set by hand.
    type Case = Partial<typeof accountabilityRecords.$inferInsert> & { closed?: string };
    const cases: [string, Case, "open" | "inEffect" | null][] = [
      ["open", { kind: "admonishment_talk", heldOn: "2026-10-20", createdAt: new Date("2026-10-20T10:00:00+08:00") }, "open"],
      ["closedBefore", { kind: "reminder_talk", heldOn: "2026-09-01", closed: "2026-10-01" }, null],
      ["closedOnTheDay", { kind: "reminder_talk", heldOn: "2026-09-01", closed: "2026-11-21" }, null],
      ["openedAfter", { kind: "admonishment_talk", heldOn: "2026-11-25", createdAt: new Date("2026-11-25T10:00:00+08:00") }, null],
      // 诫勉, six months: held 2026-05-22, in effect to 2026-11-21 inclusive — the evaluation date itself.
      [
        "effectLastDay",
        { kind: "admonition", heldOn: "2026-05-22", effectMonths: 6, effectUntil: "2026-11-21", closed: "2026-06-30" },
        "inEffect",
      ],
      // Held a day earlier: its effect ended the day before the evaluation date.
      ["effectEnded", { kind: "admonition", heldOn: "2026-05-21", effectMonths: 6, effectUntil: "2026-11-20", closed: "2026-06-30" }, null],
      [
        "adjusted",
        { kind: "organizational_adjustment", heldOn: "2026-02-01", effectMonths: 12, effectUntil: "2027-01-31", closed: "2026-03-01" },
        "inEffect",
      ],
    ];
    for (const [key, values] of cases) {
      const cadre = await createCadre(db, { staffNo: `AC-${key}`, name: `问责${key}`, unitId: ids.unit!, rank: "section" });
      ids[`ac_${key}`] = cadre.id;
      const { closed, ...rest } = values;
      const created = rest.createdAt ?? new Date(`${rest.heldOn}T10:00:00+08:00`);
      await db.insert(accountabilityRecords).values({
        subject: "cadre",
        unitId: ids.unit!,
        cadreId: cadre.id,
        source: "initiative",
        interviewers: "组织部干部监督科",
        findings: "测试",
        kind: "reminder_talk",
        heldOn: "2026-01-01",
        ...rest,
        createdAt: created,
        status: closed ? "closed" : "open",
        closedAt: closed ? new Date(`${closed}T15:00:00+08:00`) : null,
        closingNote: closed ? "已整改" : null,
      });
    }
    const keys = cases.map(([key]) => `ac_${key}`);
    const result = await evaluate({ noAccountability: true }, [...keys, "exact"]);
    for (const [key, values, reason] of cases) {
      const r = rule(result.get(ids[`ac_${key}`]!), "noAccountability");
      expect([key, r.pass, r.records.map((x) => x.reason)]).toEqual([key, reason === null, reason ? [reason] : []]);
      if (reason) expect(r.records[0]).toMatchObject({ kind: values.kind, heldOn: values.heldOn, unitName: "甲局" });
    }
    expect(rule(result.get(ids.exact!), "noAccountability")).toMatchObject({ pass: true, records: [], asOf: "2026-11-21" });
    // The evidence says which record, why, and until when.
    const t = translator("zh-CN");
    const figure = ruleFigure(rule(result.get(ids.ac_effectLastDay!), "noAccountability"), t);
    expect(figure).toContain("诫勉");
    expect(figure).toContain("影响期至 2026-11-21");
  });

  it("a unit record counts against the principal it names (the head by default), not the unit's other cadres", async () => {
    const head = await createCadre(db, { staffNo: "AC-HEAD", name: "单位负责人", unitId: ids.flagged!, rank: "section" });
    await db.insert(accountabilityRecords).values({
      subject: "unit",
      unitId: ids.flagged!,
      cadreId: head.id,
      source: "initiative",
      kind: "admonishment_talk",
      heldOn: "2026-11-01",
      interviewers: "组织部",
      findings: "连续两个季度排名靠后",
      createdAt: new Date("2026-11-01T10:00:00+08:00"),
    });
    const people = await activeCadres(db, { cadreIds: [head.id, ids.inFlagged!] });
    const result = await evaluateCadres(db, { rules: { noAccountability: true }, deadline: DEADLINE }, people, { now: NOW });
    expect(rule(result.get(head.id), "noAccountability").pass).toBe(false);
    expect(rule(result.get(ids.inFlagged!), "noAccountability").pass).toBe(true);
  });

  it("minimum rank, and eligibility as every applied rule passing", async () => {
    const result = await evaluate({ minRank: "deputy_section", frontline: true }, ["days90", "staff", "days89"]);
    expect(result.get(ids.days90!)).toMatchObject({ eligible: true });
    expect(rule(result.get(ids.staff!), "minRank")).toMatchObject({ pass: false, rank: "staff", minRank: "deputy_section" });
    expect(result.get(ids.staff!)!.eligible).toBe(false);
    expect(result.get(ids.days89!)!.eligible).toBe(false);
    const none = await evaluate({}, ["staff"]);
    expect(none.get(ids.staff!)).toMatchObject({ eligible: true, results: [] });
  });

  it("stops moving at the deadline: after it, the evaluation date is the deadline's", async () => {
    const people = await activeCadres(db, { cadreIds: [ids.days90!] });
    const later = await evaluateCadres(db, { rules: { frontline: true }, deadline: new Date("2026-03-30T18:00:00+08:00") }, people, {
      now: NOW,
    });
    expect(rule(later.get(ids.days90!), "frontline")).toMatchObject({ asOf: "2026-03-30", days: 89, pass: false });
  });
});

describe("set-based", () => {
  it("asks the same few queries for two cadres as for all of them", async () => {
    let queries = 0;
    const counted = drizzle({ client: conn.client, schema, casing: "snake_case", logger: { logQuery: () => void queries++ } });
    const rules: ShortlistRules = {
      minRank: "section",
      frontline: true,
      attendance: { minRate: 0.8, quarters: 2 },
      trainingHours: { year: 2026 },
      topPercent: { percent: 30, quarters: 2 },
      noAccountability: true,
    };
    const everyone = await activeCadres(db);
    await evaluateCadres(counted, { rules, deadline: DEADLINE }, everyone.slice(0, 2), { now: NOW });
    const few = queries;
    queries = 0;
    const all = await evaluateCadres(counted, { rules, deadline: DEADLINE }, everyone, { now: NOW });
    expect(all.size).toBe(everyone.length);
    expect(everyone.length).toBeGreaterThan(10);
    expect(queries).toBe(few);
    expect(queries).toBeLessThanOrEqual(10);
  });
});
