import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import runImport from "~/cli/commands/import";
import { planImport } from "~/modules/imports/service.server";
import { translator } from "~/utils/i18n";
import { auditLog, classRegistrations, classSessions, classSessionVenues } from "~db/schema";
import { createClassVenue } from "~db/seed/classes";
import { createCadre, createUnit } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const dir = mkdtempSync(path.join(os.tmpdir(), "luoshi-sessions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Wall-clock "YYYY-MM-DD HH:mm" in Shanghai, some days from now. */
const inDays = (days: number, time = "19:30") =>
  `${new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)} ${time}`;

function csvFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `\uFEFF${lines.join("\r\n")}\r\n`);
  return file;
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(args, { db, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

beforeAll(async () => {
  const unit = await createUnit(db, { code: "IMP", name: "导入测试局" });
  await createCadre(db, { unitId: unit.id, rank: "county", staffNo: "I01" });
  await createCadre(db, { unitId: unit.id, rank: "deputy_section", staffNo: "I02" });
  await createCadre(db, { unitId: unit.id, rank: "staff", staffNo: "I03" });
  await createCadre(db, { unitId: unit.id, rank: "section", staffNo: "I04", status: "retired" });
});

const HEADER = "编号,标题,主讲人,开始,结束,学时,最低职级,状态";

describe("importing the lecture plan", () => {
  it("a file with bad rows imports nothing and lists every problem by row and column", async () => {
    const file = csvFile("bad.csv", [
      HEADER,
      `2031-01,新时代党的建设,周文华,${inDays(10)},${inDays(10, "21:00")},1.5,副科级,发布`,
      `admin,标题,某人,2031-13-01 19:30,2031-01-01 21:00,abc,处长,进行中`,
      `2031-01,重复,某人,${inDays(20)},${inDays(20, "19:00")},1,,草稿`,
    ]);
    const result = await cli(["sessions", file]);
    expect(result.code).toBe(1);
    const lines = result.err.join("\n");
    expect(lines).toContain("第 3 行 [编号]");
    expect(lines).toContain("第 3 行 [开始]");
    expect(lines).toContain("第 3 行 [学时]");
    expect(lines).toContain("第 3 行 [最低职级]");
    expect(lines).toContain("第 3 行 [状态]");
    expect(lines).toContain("第 4 行 [编号]「2031-01」 编号 2031-01 与第 2 行重复");
    expect(lines).toContain("第 4 行 [结束]「");
    expect(lines).toContain("」 结束时间必须晚于开始时间");
    expect(await db.select().from(classSessions)).toHaveLength(0);
  });

  it("imports with English headers, publishes and enrols the mandatory audience online unless a venue fits; twice changes nothing", async () => {
    const file = csvFile("plan.csv", [
      "code,title,lecturer,start,end,hours,min_rank,status",
      `2031-01,新时代党的建设,周文华,${inDays(10)},${inDays(10, "21:00")},1.5,deputy_section,published`,
      `2031-02,数字政府建设,陈立新,${inDays(24)},${inDays(24, "21:00")},1.5,副科级,草稿`,
      `2020-05,往期课程,刘海波,2020-05-13 19:30,2020-05-13 21:00,2,副科级,已结束`,
    ]);
    expect((await cli(["sessions", file, "--dry-run"])).code).toBe(0);
    expect(await db.select().from(classSessions)).toHaveLength(0);

    const first = await cli(["sessions", file]);
    expect(first.code).toBe(0);
    const sessions = await db.select().from(classSessions).orderBy(classSessions.code);
    expect(sessions.map((s) => [s.code, s.status])).toEqual([
      ["2020-05", "closed"],
      ["2031-01", "published"],
      ["2031-02", "draft"],
    ]);
    const published = sessions.find((s) => s.code === "2031-01")!;
    expect(shanghai(published.startsAt)).toBe(inDays(10));
    const regs = await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, published.id));
    // county and deputy-section are in; staff and the retired are not. No venue: online.
    expect(regs).toHaveLength(2);
    expect(regs.every((r) => r.venueId === null && r.source === "mandatory")).toBe(true);

    const auditsBefore = (await db.select().from(auditLog)).length;
    const second = await cli(["sessions", file]);
    expect(second.code).toBe(0);
    expect(second.out[1]).toContain("新建 0");
    const entityAudits = (await db.select().from(auditLog)).slice(auditsBefore).filter((a) => a.entityType === "class_session");
    expect(entityAudits).toHaveLength(0);
  });

  it("moves a draft to published (enrolling, seated where a venue fits), refuses going back, and reads XLSX date cells as Shanghai time", async () => {
    const venue = await createClassVenue(db, { capacity: 5, ranks: ["county"] });
    const [draft] = await db.select().from(classSessions).where(eq(classSessions.code, "2031-02"));
    await db.insert(classSessionVenues).values({ sessionId: draft!.id, venueId: venue.id, capacity: 5, ranks: ["county"] });

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("计划");
    sheet.addRow(["编号", "标题", "开始", "结束", "学时", "最低职级", "状态"]);
    const [date] = inDays(24).split(" ");
    sheet.addRow(["2031-02", "数字政府建设", new Date(`${date}T19:00:00Z`), new Date(`${date}T20:30:00Z`), 1.5, "副科级", "发布"]);
    sheet.addRow(["2031-01", "新时代党的建设", inDays(10), inDays(10, "21:00"), 1.5, "副科级", "草稿"]);
    const file = path.join(dir, "plan.xlsx");
    writeFileSync(file, new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer));

    const refused = await cli(["sessions", file]);
    expect(refused.code).toBe(1);
    expect(refused.err.join("\n")).toContain("第 3 行 [状态]「草稿」 状态不能从“已发布”改回“草稿”");

    sheet.spliceRows(3, 1);
    writeFileSync(file, new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer));
    expect((await cli(["sessions", file])).code).toBe(0);
    const [now] = await db.select().from(classSessions).where(eq(classSessions.code, "2031-02"));
    expect(now).toMatchObject({ status: "published", revision: 1 });
    expect(shanghai(now!.startsAt)).toBe(`${date} 19:00`);
    const regs = await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, now!.id));
    expect(regs.map((r) => r.venueId).sort()).toEqual([venue.id, null]);
  });

  it("the preview names the kind's own fields and the same problems in English", async () => {
    const t = translator("en");
    const file = csvFile("future-closed.csv", [HEADER, `2031-09,未来的课,某人,${inDays(40)},${inDays(40, "21:00")},1.5,,已结束`]);
    const planned = await planImport(db, {
      kind: "sessions",
      params: {},
      fileName: "future-closed.csv",
      bytes: new Uint8Array(await import("node:fs").then((fs) => fs.readFileSync(file))),
    });
    if (!planned.ok) throw new Error("expected a preview");
    expect(planned.summary.errors.map((e) => t(e.messageKey, e.params))).toEqual(["The session has not started; it cannot be closed yet."]);
  });
});

function shanghai(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}
