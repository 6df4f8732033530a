import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import importCommand from "~/cli/commands/import";
import rankingCommand from "~/cli/commands/ranking";
import { attendanceRecords, auditLog, classRegistrations, rankingAssessments, rankings, satisfactionRatings } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;

/**
 * The two import kinds and the ranking commands, through the command line as an organization
 * department would run them: a file with any bad row imports nothing and names every problem; the
 * same file twice changes nothing; `ranking compute --publish` and `ranking export` write the CSV the
 * issue specifies.
 */
let dir: string;
const run = async (command: typeof importCommand, args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(args, { db, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
};
const file = async (name: string, text: string) => {
  const p = path.join(dir, name);
  await fs.writeFile(p, text);
  return p;
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "h-rankings-imports-"));
  const u1 = await createUnit(db, { code: "IMP-1", name: "甲局", kind: "department" });
  const u2 = await createUnit(db, { code: "IMP-2", name: "乙镇", kind: "town" });
  const a = await createCadre(db, { staffNo: "IA01", unitId: u1.id, rank: "deputy_county" });
  const b = await createCadre(db, { staffNo: "IB02", unitId: u2.id, rank: "section" });
  const s = await createClassSession(db, { startsAt: new Date("2026-02-11T11:30:00Z"), status: "closed" });
  for (const c of [a, b]) {
    await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: c.id, source: "admin" });
    await db.insert(attendanceRecords).values({ sessionId: s.id, cadreId: c.id, status: "present", source: "roster" });
  }
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("importing regular assessments", () => {
  it("lists every bad row and imports nothing", async () => {
    const bad = await file(
      "bad.csv",
      "\uFEFF工号,季度,等次,评语\nIA01,2026Q1,好,担当作为\nNOPE,2026Q1,好,\nIB02,2026Q9,较好,\nIB02,2026Q1,优秀良好,\nIA01,2026年第一季度,一般,\n",
    );
    const result = await run(importCommand, ["assessments", bad]);
    expect(result.code).toBe(1);
    for (const row of ["3", "4", "5", "6"]) expect(result.err).toContain(row);
    expect(result.err).toContain("NOPE");
    expect(await db.select().from(rankingAssessments)).toHaveLength(0);
  });

  it("imports a clean file, and the same file again changes nothing", async () => {
    const good = await file("good.csv", "staff_no,quarter,grade,comment\nIA01,2026Q1,好,担当作为\nIB02,2026年第一季度,较差,多项任务滞后\n");
    expect((await run(importCommand, ["assessments", good, "--dry-run"])).code).toBe(0);
    expect(await db.select().from(rankingAssessments)).toHaveLength(0);
    expect((await run(importCommand, ["assessments", good])).code).toBe(0);
    const rows = await db
      .select({
        quarter: rankingAssessments.quarter,
        grade: rankingAssessments.grade,
        comment: rankingAssessments.comment,
        source: rankingAssessments.source,
      })
      .from(rankingAssessments)
      .orderBy(rankingAssessments.cadreId);
    expect(rows).toEqual([
      { quarter: "2026Q1", grade: "good", comment: "担当作为", source: "import" },
      { quarter: "2026Q1", grade: "poor", comment: "多项任务滞后", source: "import" },
    ]);
    const audited = async () => (await db.select().from(auditLog).where(eq(auditLog.action, "ranking.assessment_imported"))).length;
    expect(await audited()).toBe(2);
    const again = await run(importCommand, ["assessments", good]);
    expect(again.code).toBe(0);
    expect(await audited()).toBe(2);
    // Without a comment column the comments stay; a changed grade updates.
    const regrade = await file("regrade.csv", "工号,季度,等次\nIB02,2026Q1,一般\n");
    expect((await run(importCommand, ["assessments", regrade])).code).toBe(0);
    const [b] = await db.select().from(rankingAssessments).where(eq(rankingAssessments.grade, "average"));
    expect(b).toMatchObject({ comment: "多项任务滞后" });
    expect(await audited()).toBe(3);
  });
});

describe("importing public ratings", () => {
  it("lists every bad row, then imports once", async () => {
    const bad = await file(
      "ratings-bad.csv",
      "单位编码,日期,满意,不满意\nIMP-1,2026-02-15,80,20\nXX-9,2026-02-15,1,1\nIMP-2,2026-13-01,1,1\nIMP-2,2026-02-15,-3,1\n",
    );
    const result = await run(importCommand, ["ratings", bad]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("XX-9");
    expect(await db.select().from(satisfactionRatings)).toHaveLength(0);
    const good = await file("ratings.csv", "unit_code,date,satisfied,unsatisfied\nIMP-1,2026-02-15,80,20\nimp-2,2026/3/1,45,5\n");
    expect((await run(importCommand, ["ratings", good])).code).toBe(0);
    expect((await run(importCommand, ["ratings", good])).code).toBe(0);
    const rows = await db
      .select({ date: satisfactionRatings.date, satisfied: satisfactionRatings.satisfied })
      .from(satisfactionRatings)
      .orderBy(satisfactionRatings.date);
    expect(rows).toEqual([
      { date: "2026-02-15", satisfied: 80 },
      { date: "2026-03-01", satisfied: 45 },
    ]);
    expect((await db.select().from(auditLog).where(eq(auditLog.action, "ranking.ratings_imported"))).length).toBe(2);
  });
});

describe("the ranking commands", () => {
  it("refuse a wrong call with the usage", async () => {
    expect((await run(rankingCommand, ["compute"])).code).toBe(2);
    expect((await run(rankingCommand, ["export", "--quarter", "2026Q1", "--kind", "people"])).code).toBe(2);
    expect((await run(rankingCommand, ["export", "--quarter", "2026Q1", "--kind", "units"])).code).toBe(1);
  });

  it("compute and publish a quarter, export it, and verify it from its frozen rows", async () => {
    const computed = await run(rankingCommand, ["compute", "--quarter", "2026Q1", "--publish"]);
    expect(computed.code).toBe(0);
    expect(computed.out).toContain("2026Q1 第 1 版已发布");
    const [published] = await db.select().from(rankings).where(eq(rankings.status, "published"));
    expect(published!.inputsHash).toMatch(/^[0-9a-f]{64}$/);

    const units = path.join(dir, "units.csv");
    expect((await run(rankingCommand, ["export", "--quarter", "2026Q1", "--kind", "units", "--format", "csv", "--out", units])).code).toBe(
      0,
    );
    const lines = (await fs.readFile(units, "utf8")).trim().split("\n");
    expect(lines[0]).toBe("peer_group,rank,id,name,score,attendance_value,training_value,frontline_value,satisfaction_value");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 4).join(","))).toEqual(["department,1,IMP-1,甲局", "town,1,IMP-2,乙镇"]);
    expect(lines[1]!.split(",")[8]).toBe("0.800000");

    const cadres = path.join(dir, "cadres.xlsx");
    expect((await run(rankingCommand, ["export", "--quarter=2026Q1", "--kind=cadres", "--format=xlsx", `--out=${cadres}`])).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(cadres);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      "peer_group",
      "rank",
      "id",
      "name",
      "score",
      "attendance_value",
      "training_value",
      "frontline_value",
      "assessment_value",
    ]);
    expect(sheet.rowCount).toBe(3);

    const verify = await run(rankingCommand, ["verify", "--quarter", "2026Q1"]);
    expect(verify.code).toBe(0);
    expect(verify.out).toContain(published!.inputsHash!);
    // A correction needs its reason.
    const again = await run(rankingCommand, ["compute", "--quarter", "2026Q1"]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("更正原因");
  });
});
