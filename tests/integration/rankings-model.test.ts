import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { computeRanking } from "~/modules/rankings/compute.server";
import { DEFAULT_MODEL } from "~/modules/rankings/model";
import { saveModel } from "~/modules/rankings/model.server";
import { type CadreInput, scoreCadres, scoreUnits, type UnitInput } from "~/modules/rankings/scoring-oracle";
import {
  attendanceMakeups,
  attendanceRecords,
  cadres,
  classRegistrations,
  rankingAssessments,
  rankingCadreResults,
  rankingUnitResults,
  satisfactionRatings,
  unitMemberships,
} from "~db/schema";
import type { AttendanceStatus } from "~db/schema/attendance";
import { createClassSession } from "~db/seed/classes";
import { changeCadre, createCadre, createUnit } from "~db/seed/factories";
import { createFrontlineRecord } from "~db/seed/frontline";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };
const TODAY = "2026-06-15";

/**
 * The default model on a hand-made quarter (2026Q1) where every score was worked out by hand with exact
 * fractions: transfers mid-quarter, not-applicable indicators, min–max edge cases, a tie on score and
 * attendance that shares its rank (并列), the Shanghai day boundary, make-up hours, and rank and status
 * on the quarter's last day taken from the cadres' dated history (changes after it do not count).
 */
const ids = new Map<string, number>();
const id = (key: string) => ids.get(key)!;

async function session(code: string, startsAt: string, hours = 1.5, status: "closed" | "published" = "closed") {
  const s = await createClassSession(db, { code, startsAt: new Date(startsAt), status, trainingHours: hours });
  ids.set(code, s.id);
  return s.id;
}

async function attend(code: string, staffNo: string, status: AttendanceStatus) {
  const sessionId = id(code);
  const cadreId = id(staffNo);
  await db.insert(classRegistrations).values({ sessionId, cadreId, source: "admin" }).onConflictDoNothing();
  await db.insert(attendanceRecords).values({ sessionId, cadreId, status, source: "roster" });
}

beforeAll(async () => {
  for (const [code, kind] of [
    ["D1", "department"],
    ["D2", "department"],
    ["D3", "department"],
    ["T1", "town"],
    ["T2", "town"],
    ["P1", "park"],
    ["E1", "enterprise"],
  ] as const) {
    ids.set(code, (await createUnit(db, { code, kind })).id);
  }
  const people: [string, string, "staff" | "deputy_section" | "section" | "deputy_county"][] = [
    ["A01", "D1", "deputy_county"],
    ["B01", "D1", "section"],
    ["C01", "D2", "deputy_county"],
    ["D01", "D2", "staff"],
    ["E01", "D1", "deputy_section"],
    ["F01", "T1", "deputy_section"],
    ["G01", "T2", "deputy_county"],
    ["H01", "P1", "section"],
    ["J09", "D2", "staff"],
    ["K01", "D2", "staff"],
    ["N01", "D2", "section"],
  ];
  for (const [staffNo, unit, rank] of people) {
    ids.set(staffNo, (await createCadre(db, { staffNo, unitId: id(unit), rank })).id);
  }
  // E01 moves from D1 to D3 on 15 February: D1 keeps what came before, D3 gets the rest and the member.
  await db
    .update(unitMemberships)
    .set({ endDate: "2026-02-15" })
    .where(eq(unitMemberships.cadreId, id("E01")));
  await db.insert(unitMemberships).values({ cadreId: id("E01"), unitId: id("D3"), startDate: "2026-02-15" });
  await db
    .update(cadres)
    .set({ unitId: id("D3") })
    .where(eq(cadres.id, id("E01")));
  // F01 was promoted in April: ranked in the section band of 31 March.
  await changeCadre(db, id("F01"), { rank: "deputy_county" }, "2026-04-10");
  // N01 retired in February: not ranked, not a member.
  await changeCadre(db, id("N01"), { status: "retired" }, "2026-02-10");
  // G01 retired in May: still active on 31 March.
  await changeCadre(db, id("G01"), { status: "retired" }, "2026-05-02");

  await session("S0", "2025-12-30T11:30:00Z");
  await session("S1", "2026-01-14T11:30:00Z");
  await session("S2", "2026-02-11T11:30:00Z");
  await session("S3", "2026-03-11T11:30:00Z", 2);
  await session("SIN", "2026-03-31T11:30:00Z"); // 19:30 on 31 March in Shanghai
  await session("SOUT", "2026-03-31T16:30:00Z"); // 00:30 on 1 April in Shanghai
  await session("SOPEN", "2026-03-25T11:30:00Z", 1.5, "published");

  await attend("S0", "A01", "present");
  for (const [s, status] of [
    ["S1", "present"],
    ["S2", "late"],
    ["S3", "absent"],
  ] as const)
    await attend(s, "A01", status);
  for (const [s, status] of [
    ["S1", "present"],
    ["S2", "excused"],
    ["S3", "present"],
  ] as const)
    await attend(s, "B01", status);
  for (const s of ["S1", "S2", "S3"]) await attend(s, "C01", "present");
  await attend("SIN", "D01", "present");
  await attend("SOUT", "D01", "absent");
  for (const [s, status] of [
    ["S1", "present"],
    ["S2", "absent"],
    ["S3", "present"],
  ] as const)
    await attend(s, "E01", status);
  await attend("S1", "F01", "late");
  await attend("S1", "G01", "excused");
  await attend("S1", "H01", "absent");
  await attend("S2", "H01", "present");
  await db.insert(classRegistrations).values({ sessionId: id("SOPEN"), cadreId: id("C01"), source: "admin" });
  // B01's make-up of the evening they were excused from earns its hours.
  await db.insert(attendanceMakeups).values({ sessionId: id("S2"), cadreId: id("B01"), status: "confirmed" });
  await db.insert(attendanceMakeups).values({ sessionId: id("S1"), cadreId: id("A01"), status: "confirmed" }); // not excused: no hours

  const verified = (staffNo: string, startDate: string, endDate: string, place = `${staffNo}-${startDate}`) =>
    createFrontlineRecord(db, { cadreId: id(staffNo), startDate, endDate, status: "verified", place });
  await verified("A01", "2026-01-05", "2026-01-14");
  await verified("A01", "2026-01-10", "2026-01-12"); // overlap: counted once
  await verified("A01", "2026-03-28", "2026-04-05"); // 4 days inside
  await verified("C01", "2025-12-20", "2026-01-09");
  await createFrontlineRecord(db, { cadreId: id("C01"), startDate: "2026-02-01", endDate: "2026-02-10", status: "submitted" });
  await verified("E01", "2026-02-10", "2026-02-19");
  await verified("G01", "2026-02-01", "2026-02-20");
  await verified("B01", "2026-03-02", "2026-03-04");

  const grades: [string, "good" | "fairly_good" | "average" | "poor"][] = [
    ["A01", "good"],
    ["B01", "fairly_good"],
    ["C01", "poor"],
    ["D01", "average"],
    ["F01", "good"],
    ["H01", "average"],
    ["J09", "average"],
    ["K01", "average"],
  ];
  for (const [staffNo, grade] of grades) await db.insert(rankingAssessments).values({ cadreId: id(staffNo), quarter: "2026Q1", grade });
  await db.insert(rankingAssessments).values({ cadreId: id("E01"), quarter: "2026Q2", grade: "good" });

  await db.insert(satisfactionRatings).values([
    { unitId: id("D1"), date: "2026-01-20", satisfied: 50, unsatisfied: 15 },
    { unitId: id("D1"), date: "2026-03-31", satisfied: 30, unsatisfied: 5 },
    { unitId: id("D2"), date: "2026-04-01", satisfied: 10, unsatisfied: 0 },
    { unitId: id("D3"), date: "2026-02-02", satisfied: 30, unsatisfied: 10 },
    { unitId: id("T1"), date: "2026-01-03", satisfied: 9, unsatisfied: 1 },
    { unitId: id("T2"), date: "2026-01-03", satisfied: 0, unsatisfied: 0 },
  ]);
});

/** Displayed figures are doubles; the hand-worked values are compared at six decimals. */
const six = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);
function rounded<T extends Record<string, unknown>>(row: T): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "number" ? six(v) : v])) as T;
}

async function cadreResults(rankingId: number) {
  const rows = await db.select().from(rankingCadreResults).where(eq(rankingCadreResults.rankingId, rankingId));
  return new Map(rows.map((r) => [r.staffNo, rounded(r)]));
}

async function unitResults(rankingId: number) {
  const rows = await db.select().from(rankingUnitResults).where(eq(rankingUnitResults.rankingId, rankingId));
  return new Map(rows.map((r) => [r.code, rounded(r)]));
}

describe("the default model on a hand-made quarter", () => {
  let rankingId: number;
  beforeAll(async () => {
    const outcome = await computeRanking(db, actor, "2026Q1", { today: TODAY });
    rankingId = outcome.rankingId;
    expect(outcome).toMatchObject({ quarter: "2026Q1", version: 1, created: true, cadres: 10, units: 6 });
  });

  it("freezes who was there on the last day, in the band of that day", async () => {
    const by = await cadreResults(rankingId);
    expect([...by.keys()].sort()).toEqual(["A01", "B01", "C01", "D01", "E01", "F01", "G01", "H01", "J09", "K01"]);
    expect(by.get("E01")).toMatchObject({
      unitId: id("D3"),
      band: "section",
      enrolled: 3,
      present: 2,
      frontlineDays: 10,
      frontlineQuota: 0,
    });
    expect(by.get("F01")).toMatchObject({ cadreRank: "deputy_section", band: "section" });
    expect(by.get("A01")).toMatchObject({
      enrolled: 3,
      present: 1,
      late: 1,
      hoursEarned: 3,
      hoursMakeup: 0,
      hoursRequired: 27.5,
      frontlineDays: 14,
      frontlineQuota: 15,
      grade: "good",
    });
    expect(by.get("B01")).toMatchObject({ excused: 1, hoursEarned: 5, hoursMakeup: 1.5, hoursRequired: 22.5 });
    expect(by.get("C01")).toMatchObject({ enrolled: 3, frontlineDays: 9 });
    expect(by.get("D01")).toMatchObject({ enrolled: 1, present: 1, hoursEarned: 1.5 });
    expect(by.get("E01")!.grade).toBeNull();
  });

  it("scores and ranks cadres exactly as worked out by hand", async () => {
    const r = await cadreResults(rankingId);
    const expected: [string, string, number, number | null][] = [
      ["C01", "leading", 1, 61.6364],
      ["A01", "leading", 2, 60.1818],
      ["G01", "leading", 3, 60],
      ["B01", "section", 1, 74.2063],
      ["E01", "section", 2, 49.6296],
      ["F01", "section", 3, 44.7619],
      ["H01", "section", 4, 37.619],
      ["D01", "staff", 1, 66.1905],
      // Equal score and equal (not applicable) attendance: one shared rank, whatever the staff numbers.
      ["J09", "staff", 2, 16.6667],
      ["K01", "staff", 2, 16.6667],
    ];
    for (const [staffNo, band, rank, score] of expected) {
      expect({ staffNo, band: r.get(staffNo)!.band, rank: r.get(staffNo)!.rank, score: r.get(staffNo)!.score }).toEqual({
        staffNo,
        band,
        rank,
        score,
      });
    }
    expect(["D01", "J09", "K01", "C01", "G01"].map((s) => r.get(s)!.tieSize)).toEqual([1, 2, 2, 1, 1]);
  });

  it("explains every indicator: inputs, value, rescaled weight, contribution", async () => {
    const r = await cadreResults(rankingId);
    // G01: attendance not applicable (excused from all), no grade: weights 0.2 and 0.3 become 0.4 and 0.6.
    expect(r.get("G01")).toMatchObject({
      attendanceNum: 0,
      attendanceDen: 0,
      attendanceValue: null,
      attendanceWeight: null,
      attendanceContribution: null,
      trainingNum: 0,
      trainingDen: 27.5,
      trainingValue: 0,
      trainingWeight: 0.4,
      trainingContribution: 0,
      frontlineNum: 20,
      frontlineDen: 15,
      frontlineValue: 1,
      frontlineWeight: 0.6,
      frontlineContribution: 60,
      assessmentValue: null,
    });
    // A01: all four apply with their own weights.
    expect(r.get("A01")).toMatchObject({
      attendanceNum: 1.5,
      attendanceDen: 3,
      attendanceValue: 0.5,
      attendanceWeight: 0.4,
      attendanceContribution: 20,
      trainingValue: 0.109091,
      frontlineValue: 0.933333,
      frontlineContribution: 28,
      assessmentNum: 1,
      assessmentDen: 1,
      assessmentContribution: 10,
    });
    // Section cadres have no frontline quota by default: not applicable, not zero.
    expect(r.get("B01")).toMatchObject({ frontlineNum: 3, frontlineDen: 0, frontlineValue: null, attendanceWeight: 0.571429 });
  });

  it("scores units over attributed rows, members of the last day and min–max within the peer group", async () => {
    const r = await unitResults(rankingId);
    const expected: [string, string, number | null, number | null][] = [
      ["D2", "department", 1, 71.6845],
      ["D1", "department", 2, 70.1991],
      ["D3", "department", 3, 53.5833],
      ["T2", "town", 1, 66.6667],
      ["T1", "town", 2, 34.5],
      ["P1", "park", 1, 60],
      ["E1", "enterprise", null, null],
    ];
    for (const [code, group, rank, score] of expected) {
      expect({ code, group: r.get(code)!.peerGroup, rank: r.get(code)!.rank, score: r.get(code)!.score }).toEqual({
        code,
        group,
        rank,
        score,
      });
    }
    expect(r.get("D1")).toMatchObject({
      members: 2,
      membersSectionUp: 2,
      attendanceNum: 4.5,
      attendanceDen: 7,
      frontlineNum: 22,
      frontlineDen: 2,
      frontlineRaw: 11,
      frontlineMin: 5,
      frontlineMax: 11,
      frontlineValue: 1,
      satisfactionNum: 80,
      satisfactionDen: 100,
    });
    expect(r.get("D3")).toMatchObject({ members: 1, frontlineNum: 5, frontlineValue: 0, attendanceNum: 1, attendanceDen: 1 });
    expect(r.get("D2")).toMatchObject({
      members: 4,
      membersSectionUp: 1,
      trainingValue: 0.062121,
      satisfactionValue: null,
      satisfactionDen: 0,
    });
    // One unit in its group: max = min, so 1.
    expect(r.get("P1")).toMatchObject({ frontlineRaw: 0, frontlineValue: 1 });
    // Ratings of 0 and 0 are no data.
    expect(r.get("T2")).toMatchObject({ satisfactionDen: 0, satisfactionValue: null, attendanceValue: null });
    expect(r.get("E1")).toMatchObject({ members: 0, trainingValue: null, frontlineValue: null, score: null, rank: null });
  });

  it("agrees with the plain-TypeScript statement of the rules on every row", async () => {
    const cadreInputs = await db.select().from(rankingCadreResults).where(eq(rankingCadreResults.rankingId, rankingId));
    const unitInputs = await db.select().from(rankingUnitResults).where(eq(rankingUnitResults.rankingId, rankingId));
    const cadreRows: CadreInput[] = cadreInputs.map((c) => ({ ...c, rank: c.cadreRank, grade: c.grade ?? null }));
    const unitRows: UnitInput[] = unitInputs.map((u) => ({ ...u, kind: u.peerGroup }));
    const stored = await cadreResults(rankingId);
    for (const s of scoreCadres(cadreRows, DEFAULT_MODEL)) {
      const row = stored.get(s.code)!;
      expect([s.code, s.score, s.rank, s.tieSize]).toEqual([s.code, row.score, row.rank, row.tieSize]);
      expect(six(s.parts.training.value)).toBe(row.trainingValue);
    }
    const storedUnits = await unitResults(rankingId);
    for (const s of scoreUnits(unitRows, cadreRows, DEFAULT_MODEL)) {
      const row = storedUnits.get(s.code)!;
      expect([s.code, s.score, s.rank, s.tieSize, s.members]).toEqual([s.code, row.score, row.rank, row.tieSize, row.members]);
    }
  });

  it("a changed model is a new version; recomputing the draft uses it, and equal scores fall to attendance, then share the rank", async () => {
    const { version } = await saveModel(
      db,
      actor,
      2026,
      { ...DEFAULT_MODEL, cadreWeights: { attendance: 0, training: 0, frontline: 0, assessment: 1 } },
      "tie test",
    );
    expect(version).toBe(2);
    const again = await computeRanking(db, actor, "2026Q1", { today: TODAY });
    expect(again).toMatchObject({ version: 1, created: false });
    rankingId = again.rankingId;
    const r = await cadreResults(rankingId);
    // Section: F01 (good, attendance 0.5) alone at 100; staff: D01, J09, K01 all average = 50:
    // D01 has attendance 1, J09 and K01 none (lowest, and equal): D01 first, J09 and K01 share 2.
    expect(["D01", "J09", "K01"].map((s) => [s, r.get(s)!.score, r.get(s)!.rank, r.get(s)!.tieSize])).toEqual([
      ["D01", 50, 1, 1],
      ["J09", 50, 2, 2],
      ["K01", 50, 2, 2],
    ]);
    // A01 (good, attendance 0.5) and G01 (no grade: nothing applicable with weight → not ranked).
    expect([r.get("A01")!.score, r.get("A01")!.rank, r.get("C01")!.rank, r.get("G01")!.score, r.get("G01")!.rank]).toEqual([
      100,
      1,
      2,
      null,
      null,
    ]);
    // E01 has no grade for 2026Q1 (theirs is for Q2): applicable values but no weight → not ranked.
    expect(r.get("E01")).toMatchObject({ score: null, rank: null, attendanceValue: 0.666667, attendanceWeight: null });
  });
});

describe("rounding half-up at 4 decimals, in the database", () => {
  it("0.78125 rounds to 0.7813 (one late among 64 enrolments, attendance weight only)", async () => {
    await saveModel(
      db,
      actor,
      2025,
      { ...DEFAULT_MODEL, cadreWeights: { attendance: 1, training: 0, frontline: 0, assessment: 0 } },
      "rounding",
    );
    const unit = await createUnit(db, { code: "R1" });
    const cadre = await createCadre(db, { staffNo: "R001", unitId: unit.id, rank: "staff" });
    await db.execute(sql`
      insert into class_sessions (code, title, starts_at, ends_at, registration_deadline, training_hours, status, audience)
      select 'R-' || g, '测试', timestamptz '2025-04-02 11:30Z' + g * interval '1 day', timestamptz '2025-04-02 13:00Z' + g * interval '1 day',
        timestamptz '2025-04-02 05:30Z' + g * interval '1 day', 0, 'closed', '{"minRank":null,"unitIds":[],"cadreIds":[],"excludeCadreIds":[]}'
      from generate_series(1, 64) g`);
    await db.execute(
      sql`insert into class_registrations (session_id, cadre_id, source) select id, ${cadre.id}, 'admin' from class_sessions where code like 'R-%'`,
    );
    await db.execute(sql`
      insert into attendance_records (session_id, cadre_id, status, source)
      select id, ${cadre.id}, (case when code = 'R-1' then 'late' else 'absent' end)::attendance_status, 'roster' from class_sessions where code like 'R-%'`);
    const { rankingId } = await computeRanking(db, actor, "2025Q2", { today: TODAY });
    const [row] = await db
      .select({ score: rankingCadreResults.score, value: rankingCadreResults.attendanceValue })
      .from(rankingCadreResults)
      .where(sql`${rankingCadreResults.rankingId} = ${rankingId} and ${rankingCadreResults.cadreId} = ${cadre.id}`);
    expect(row).toEqual({ score: 0.7813, value: 0.0078125 });
  });
});

describe("frontline days merged per cadre, in the database", () => {
  it("counts each day once however the records overlap, and splits a mover's days at the transfer", async () => {
    const x1 = await createUnit(db, { code: "X1", kind: "department" });
    const x2 = await createUnit(db, { code: "X2", kind: "department" });
    const stays = await createCadre(db, { staffNo: "X001", unitId: x1.id, rank: "deputy_county" });
    const moves = await createCadre(db, { staffNo: "X002", unitId: x1.id, rank: "deputy_county" });
    await db.update(unitMemberships).set({ endDate: "2024-08-15" }).where(eq(unitMemberships.cadreId, moves.id));
    await db.insert(unitMemberships).values({ cadreId: moves.id, unitId: x2.id, startDate: "2024-08-15" });
    await db.update(cadres).set({ unitId: x2.id }).where(eq(cadres.id, moves.id));
    const verified = (cadreId: number, startDate: string, endDate: string, status: "verified" | "submitted" = "verified") =>
      createFrontlineRecord(db, { cadreId, startDate, endDate, status });
    // 1–2 July (clipped), 1–10 (overlapping), 3–5 (inside), 10–12 (sharing the 10th), 13 (filling the
    // gap before 14–15), 29–30 September (clipped): 2 + 8 + 0 + 2 + 1 + 2 + 2 = 17 days.
    await verified(stays.id, "2024-06-25", "2024-07-02");
    await verified(stays.id, "2024-07-01", "2024-07-10");
    await verified(stays.id, "2024-07-03", "2024-07-05");
    await verified(stays.id, "2024-07-10", "2024-07-12");
    await verified(stays.id, "2024-07-14", "2024-07-15");
    await verified(stays.id, "2024-07-13", "2024-07-13");
    await verified(stays.id, "2024-09-29", "2024-10-03");
    await verified(stays.id, "2024-08-01", "2024-08-31", "submitted");
    // 10–20 August with 12–14 inside: 11 days, 10–14 in X1 and 15–20 in X2.
    await verified(moves.id, "2024-08-10", "2024-08-20");
    await verified(moves.id, "2024-08-12", "2024-08-14");

    const { rankingId } = await computeRanking(db, actor, "2024Q3", { today: TODAY });
    const days = await db.execute<{ staff_no: string; frontline_days: number }>(
      sql`select staff_no, frontline_days from ranking_cadre_results where ranking_id = ${rankingId} and staff_no like 'X%' order by staff_no`,
    );
    expect(days.map((r) => [r.staff_no, r.frontline_days])).toEqual([
      ["X001", 17],
      ["X002", 11],
    ]);
    const units = await db.execute<{ code: string; frontline_days: number }>(
      sql`select code, frontline_days from ranking_unit_results where ranking_id = ${rankingId} and code like 'X%' order by code`,
    );
    expect(units.map((r) => [r.code, r.frontline_days])).toEqual([
      ["X1", 22],
      ["X2", 6],
    ]);
  });
});
