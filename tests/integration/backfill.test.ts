import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import runImport from "~/cli/commands/import";
import runSession from "~/cli/commands/session";
import { transitionSession } from "~/modules/classes/status.server";
import { applyImport, type ImportFile, previewImport } from "~/modules/imports/service.server";
import { transferCadre, updateCadre } from "~/modules/organization/cadre-edits.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import type { Database } from "~db/client";
import { attendanceRecords, cadres, classLeaveRequests, classSessions, rankingCadreResults, rankingUnitResults, units } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

/**
 * A past quarter, 2025Q3, built twice. Live: the roster in place, each evening published before it
 * starts (its audience enrolled then), its viewing log imported and its leave approved before it closes,
 * a promotion, a transfer and a later promotion made on their days through the edit pages. Backfilled,
 * as a department adopting Luoshi afterwards would (历史补录): units, the roster, the roster's later
 * changes with their dates, the quarter's sessions brought in closed, their viewing logs with a 请假
 * column, then the frontline ledger, assessments and ratings. Both compute the quarter; every figure of
 * every cadre and unit must be the same.
 */

const live = await testDatabase();
const back = await testDatabase();
const actor = { userId: null, label: "test" };
const everything = { all: true, unitIds: [], cadreId: null };
const TODAY = "2025-12-31";

const dir = mkdtempSync(path.join(os.tmpdir(), "luoshi-backfill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, lines: string[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, `\uFEFF${lines.join("\r\n")}\r\n`);
  return p;
}
const csv = (kind: string, lines: string[], params?: Record<string, string>): ImportFile => ({
  kind,
  fileName: `${kind}.csv`,
  bytes: new TextEncoder().encode(`${lines.join("\r\n")}\r\n`),
  ...(params ? { params } : {}),
});

async function importInto(db: Database, f: ImportFile, today = TODAY) {
  const preview = await previewImport(db, actor, f, { today, scope: everything });
  if (!preview.ok) throw new Error(`file problems: ${JSON.stringify(preview.problems)}`);
  if (preview.summary.errors.length) throw new Error(`row problems: ${JSON.stringify(preview.summary.errors)}`);
  const outcome = await applyImport(db, actor, preview.batchId, { today, scope: everything });
  if (outcome.status !== "applied") throw new Error(`not applied: ${JSON.stringify(outcome)}`);
  return preview.summary;
}

async function cli(db: Database, command: typeof runImport, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(args, { db, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const UNITS = [
  "单位编码,单位名称,上级单位编码,单位类别",
  "Q-ROOT,补录市,,其他",
  "Q-U1,甲局,Q-ROOT,部门",
  "Q-U2,乙局,Q-ROOT,部门",
  "Q-T1,丙街道,Q-ROOT,镇街",
  "Q-T2,丁镇,Q-ROOT,镇街",
];

// The roster as it stood before the quarter.
const ROSTER = [
  "工号,姓名,单位编码,职级,职务,单位负责人,任职日期,性别,出生年月,政治面貌,学历,任现职级时间,任现职务时间",
  "Q01,甲一,Q-U1,正科级,局长,是,2019-01-01,男,1975.03,中共党员,研究生,2019.01,2019.01",
  "Q02,甲二,Q-U1,副科级,副局长,否,2019-01-01,女,1980.05,中共党员,大学本科,2020.03,2020.03",
  "Q03,甲三,Q-U1,正科级,副局长,否,2019-01-01,男,1978.11,群众,大学本科,2018.06,2018.06",
  "Q04,甲四,Q-U1,副科级,科长,否,2019-01-01,女,1986.02,中共党员,大学本科,2021.09,2021.09",
  "Q05,甲五,Q-U1,副科级,科长,否,2019-01-01,男,1984.07,中共党员,大学专科,2022.01,2022.01",
  "Q06,乙一,Q-U2,正科级,局长,是,2019-01-01,男,1972.08,中共党员,研究生,2017.05,2017.05",
  "Q07,乙二,Q-U2,副科级,副局长,否,2019-01-01,女,1983.10,中共党员,大学本科,2020.11,2020.11",
  "Q08,丙一,Q-T1,正科级,主任,是,2019-01-01,男,1976.04,中共党员,大学本科,2016.02,2016.02",
  "Q09,丙二,Q-T1,副科级,副主任,否,2019-01-01,女,1988.12,共青团员,大学本科,2023.03,2023.03",
  "Q10,丙三,Q-T1,科员,科员,否,2019-01-01,男,1995.06,中共党员,大学本科,2019.07,2019.07",
  "Q11,丁一,Q-T2,正科级,镇长,是,2019-01-01,男,1974.01,中共党员,大学本科,2015.09,2015.09",
  "Q12,丁二,Q-T2,副科级,副镇长,否,2019-01-01,女,1987.03,民盟盟员,研究生,2022.06,2022.06",
];
// What changed since, with the dates the roster records: Q10 promoted on 1 August (before the second
// evening), Q05 moved to 乙局 on 15 August, Q03 promoted on 20 October (after the quarter).
const ROSTER_LATER = [
  "工号,姓名,单位编码,职级,职务,任职日期,任现职级时间,任现职务时间",
  "Q10,丙三,Q-T1,副科级,科员,2019-01-01,2025-08-01,2019-07-01",
  "Q05,甲五,Q-U2,副科级,科长,2025-08-15,2022-01-01,2022-01-01",
  "Q03,甲三,Q-U1,副县级,副局长,2019-01-01,2025-10-20,2018-06-01",
];
const SESSIONS = [
  { code: "2025-Q3-1", title: "数字政府建设", start: "2025-07-09 19:30", end: "2025-07-09 21:00" },
  { code: "2025-Q3-2", title: "基层治理现代化", start: "2025-08-13 19:30", end: "2025-08-13 21:00" },
  { code: "2025-Q3-3", title: "营商环境优化", start: "2025-09-10 19:30", end: "2025-09-10 21:00" },
];
const sessionsFile = (status: string) => [
  "编号,标题,开始,结束,学时,最低职级,状态",
  ...SESSIONS.map((s) => `${s.code},${s.title},${s.start},${s.end},1.5,副科级,${status}`),
];
// Each evening's viewing log: present, late, too short, on leave; whoever is missing stays absent.
const LOGS: Record<string, { staffNo: string; join: string; leave: string; excused?: boolean }[]> = {
  "2025-Q3-1": [
    { staffNo: "Q01", join: "19:28", leave: "21:00" },
    { staffNo: "Q02", join: "19:50", leave: "21:00" },
    { staffNo: "Q03", join: "19:30", leave: "20:00" },
    { staffNo: "Q04", join: "", leave: "", excused: true },
    { staffNo: "Q06", join: "19:29", leave: "21:00" },
    { staffNo: "Q08", join: "19:30", leave: "21:00" },
    { staffNo: "Q11", join: "19:25", leave: "21:00" },
    { staffNo: "Q12", join: "19:45", leave: "21:00" },
  ],
  "2025-Q3-2": [
    { staffNo: "Q01", join: "19:30", leave: "21:00" },
    { staffNo: "Q03", join: "19:30", leave: "21:00" },
    { staffNo: "Q05", join: "19:30", leave: "21:00" },
    { staffNo: "Q07", join: "19:31", leave: "21:00" },
    { staffNo: "Q09", join: "19:30", leave: "20:10" },
    { staffNo: "Q10", join: "19:42", leave: "21:00" },
    { staffNo: "Q12", join: "19:30", leave: "21:00" },
  ],
  "2025-Q3-3": [
    { staffNo: "Q02", join: "19:30", leave: "21:00" },
    { staffNo: "Q05", join: "19:30", leave: "21:00" },
    { staffNo: "Q06", join: "19:30", leave: "21:00", excused: false },
    { staffNo: "Q08", join: "", leave: "", excused: true },
    { staffNo: "Q10", join: "19:30", leave: "21:00" },
    { staffNo: "Q11", join: "19:55", leave: "21:00" },
  ],
};
const logLines = (code: string, withLeave: boolean) => [
  withLeave ? "工号,进入时间,离开时间,请假" : "工号,进入时间,离开时间",
  ...LOGS[code]!.filter((r) => withLeave || !r.excused).map((r) =>
    withLeave ? `${r.staffNo},${r.join},${r.leave},${r.excused ? "是" : "否"}` : `${r.staffNo},${r.join},${r.leave}`,
  ),
];
const FRONTLINE = [
  "工号,类别,地点或项目,开始日期,结束日期,工作内容,状态",
  "Q01,督查,甲局重点项目督查,2025-07-01,2025-07-10,督查项目进度,已核实",
  "Q05,信访,乙局信访接待,2025-08-20,2025-08-29,接待来访群众,已核实",
  "Q08,下沉服务,丙街道网格,2025-09-01,2025-09-20,网格走访,已核实",
  "Q12,招商引资,丁镇招商,2025-07-15,2025-08-05,洽谈项目,已核实",
];
const ASSESSMENTS = ["工号,季度,等次", "Q01,2025Q3,好", "Q02,2025Q3,较好", "Q06,2025Q3,一般", "Q08,2025Q3,好", "Q11,2025Q3,较差"];
const RATINGS = [
  "单位编码,日期,满意,不满意",
  "Q-U1,2025-08-01,40,10",
  "Q-U2,2025-08-01,30,5",
  "Q-T1,2025-09-01,25,5",
  "Q-T2,2025-09-01,10,10",
];

const wall = (value: string) => new Date(`${value.replace(" ", "T")}:00+08:00`);

/** An edit on the cadre page: everything as it is, but what changes, by an organization admin. */
async function edit(db: Database, staffNo: string, changes: Partial<Parameters<typeof updateCadre>[3]>) {
  const [c] = await db.select().from(cadres).where(eq(cadres.staffNo, staffNo));
  const {
    id,
    name,
    rank,
    title,
    email,
    phone,
    status,
    gender,
    ethnicity,
    birthDate,
    nativePlace,
    politicalStatus,
    education,
    degree,
    workStartDate,
  } = c!;
  const input = {
    name,
    rank,
    title,
    email: email ?? undefined,
    phone: phone ?? undefined,
    status,
    gender,
    ethnicity,
    birthDate,
    nativePlace,
    politicalStatus,
    education,
    degree,
    workStartDate,
  };
  await updateCadre(db, await admin(db), id, { ...input, ...changes } as Parameters<typeof updateCadre>[3]);
}

async function admin(db: Database) {
  const user = await createUser(db, { roles: ["org_admin"] });
  return { id: user.id, roles: ["org_admin" as const], scope: everything };
}

async function cadreId(db: Database, staffNo: string) {
  const [c] = await db.select({ id: cadres.id }).from(cadres).where(eq(cadres.staffNo, staffNo));
  return c!.id;
}

/** The quarter as it happened, each step on its day. */
async function buildLive(db: Database) {
  await importInto(db, csv("units", UNITS), "2025-06-20");
  await importInto(db, csv("cadres", ROSTER), "2025-06-20");
  await importInto(db, csv("sessions", sessionsFile("草稿")), "2025-06-20");
  for (const [i, s] of SESSIONS.entries()) {
    if (i === 1) {
      // 1 August: Q10 promoted, a day of its own on the edit page.
      await edit(db, "Q10", { rank: "deputy_section", rankSince: "2025-08-01" });
    }
    if (i === 2) {
      const [to] = await db.select({ id: units.id }).from(units).where(eq(units.code, "Q-U2"));
      await transferCadre(db, await admin(db), await cadreId(db, "Q05"), { unitId: to!.id, date: "2025-08-15", reason: "工作调动" });
    }
    // Published a week before, its audience enrolled as the roster stood then.
    await transitionSession(db, actor, s.code, "publish", { now: new Date(wall(s.start).getTime() - 7 * 86_400_000) });
    const [session] = await db.select({ id: classSessions.id }).from(classSessions).where(eq(classSessions.code, s.code));
    for (const r of LOGS[s.code]!.filter((r) => r.excused)) {
      await db.insert(classLeaveRequests).values({
        sessionId: session!.id,
        cadreId: await cadreId(db, r.staffNo),
        reason: "出差",
        status: "approved",
        decidedAt: wall(s.start),
      });
    }
    await importInto(
      db,
      csv(
        "attendance",
        logLines(s.code, false).map((l, j) => (j === 0 ? l : l.replace(/,(\d\d:\d\d)/g, `,${s.start.slice(0, 10)} $1`))),
        { session: s.code },
      ),
    );
    await transitionSession(db, actor, s.code, "close", { now: wall(s.end) });
  }
  // 20 October: Q03 promoted, after the quarter.
  await edit(db, "Q03", { rank: "deputy_county", rankSince: "2025-10-20" });
  await importInto(db, csv("frontline", FRONTLINE));
  await importInto(db, csv("assessments", ASSESSMENTS));
  await importInto(db, csv("ratings", RATINGS));
}

/** The same quarter brought in afterwards from files, through the command line. */
async function buildBackfill(db: Database) {
  expect((await cli(db, runImport, ["units", file("units.csv", UNITS)])).code).toBe(0);
  expect((await cli(db, runImport, ["cadres", file("roster.csv", ROSTER)])).code).toBe(0);
  expect((await cli(db, runImport, ["cadres", file("roster-later.csv", ROSTER_LATER)])).code).toBe(0);
  const sessions = await cli(db, runImport, ["sessions", file("sessions.csv", sessionsFile("已结束"))]);
  expect(sessions.code).toBe(0);
  for (const s of SESSIONS) {
    const logged = await cli(db, runImport, ["attendance", s.code, file(`${s.code}.csv`, logLines(s.code, true))]);
    expect(logged.code).toBe(0);
  }
  expect((await cli(db, runImport, ["frontline", file("frontline.csv", FRONTLINE)])).code).toBe(0);
  expect((await cli(db, runImport, ["assessments", file("assessments.csv", ASSESSMENTS)])).code).toBe(0);
  expect((await cli(db, runImport, ["ratings", file("ratings.csv", RATINGS)])).code).toBe(0);
}

async function results(db: Database) {
  const { rankingId } = await computeRanking(db, actor, "2025Q3", { today: TODAY });
  const cadreRows = await db.select().from(rankingCadreResults).where(eq(rankingCadreResults.rankingId, rankingId));
  const unitRows = await db.select().from(rankingUnitResults).where(eq(rankingUnitResults.rankingId, rankingId));
  const unitCode = new Map((await db.select({ id: units.id, code: units.code }).from(units)).map((u) => [u.id, u.code]));
  const strip = <T extends Record<string, unknown>>(row: T) => {
    const { rankingId: _r, cadreId: _c, unitId, ...rest } = row as Record<string, unknown>;
    return { ...rest, unit: unitCode.get(unitId as number) };
  };
  return {
    cadres: Object.fromEntries(cadreRows.map((r) => [r.staffNo, strip(r)])),
    units: Object.fromEntries(unitRows.map((r) => [r.code, strip(r)])),
  };
}

describe("a past quarter backfilled from files ranks as it did live", () => {
  let liveResults: Awaited<ReturnType<typeof results>>;
  let backResults: Awaited<ReturnType<typeof results>>;
  beforeAll(async () => {
    await buildLive(live.db);
    await buildBackfill(back.db);
    liveResults = await results(live.db);
    backResults = await results(back.db);
  }, 120_000);

  it("enrols each evening's audience as it was that day, and turns the logs into the same attendance", async () => {
    const attendance = async (db: Database) =>
      (
        await db
          .select({ code: classSessions.code, staffNo: cadres.staffNo, status: attendanceRecords.status })
          .from(attendanceRecords)
          .innerJoin(classSessions, eq(classSessions.id, attendanceRecords.sessionId))
          .innerJoin(cadres, eq(cadres.id, attendanceRecords.cadreId))
      )
        .map((r) => `${r.code} ${r.staffNo} ${r.status}`)
        .sort();
    const fromLive = await attendance(live.db);
    expect(await attendance(back.db)).toEqual(fromLive);
    // Q10 was a 科员 on the first evening: not in its audience; in the second, promoted, present and late.
    expect(fromLive.filter((l) => l.includes("Q10"))).toEqual(["2025-Q3-2 Q10 late", "2025-Q3-3 Q10 present"]);
    expect(fromLive).toContain("2025-Q3-1 Q04 excused");
    expect(fromLive).toContain("2025-Q3-1 Q03 absent");
  });

  it("gives every cadre and unit the same score, rank and figures", () => {
    expect(Object.keys(backResults.cadres).sort()).toEqual(Object.keys(liveResults.cadres).sort());
    expect(backResults.cadres).toEqual(liveResults.cadres);
    expect(backResults.units).toEqual(liveResults.units);
    // The quarter saw the ranks of its last day: Q03 in the section band, Q05 in 乙局.
    expect(liveResults.cadres.Q03).toMatchObject({ band: "section", cadreRank: "section" });
    expect(liveResults.cadres.Q05).toMatchObject({ unit: "Q-U2" });
  });

  it("answers a second `session close` of a closed session that it was closed, and exits 0", async () => {
    const again = await cli(back.db, runSession as typeof runImport, ["close", SESSIONS[0]!.code]);
    expect(again.code).toBe(0);
    expect(again.out[0]).toContain("已结束");
  });
});
