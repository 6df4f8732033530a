import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { applyImport, type ImportFile, planImport, previewImport } from "~/modules/imports/service.server";
import { cadres, unitMemberships, units } from "~db/schema";
import { createUnit } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

/**
 * Files made the way departments make them, imported end to end: the hand-written corpus
 * (tests/fixtures/imports/corpus) and workbooks made here with exceljs — merged title rows, an
 * instructions sheet first, a unit merged down its cadres, Excel day counts in General cells, footers,
 * a unit named rather than coded.
 */

const conn = await testDatabase();
const db = conn.db;
const admin = { userId: null, label: "test" };
const TODAY = "2026-06-30";

const corpus = (kind: string, name: string): ImportFile => ({
  kind,
  fileName: name,
  bytes: new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/imports/corpus/${name}`, import.meta.url)))),
});
const xlsx = async (wb: ExcelJS.Workbook, kind: string, fileName: string): Promise<ImportFile> => ({
  kind,
  fileName,
  bytes: new Uint8Array(await wb.xlsx.writeBuffer()),
});

async function importFile(file: ImportFile) {
  const preview = await previewImport(db, admin, file, { today: TODAY });
  if (!preview.ok) throw new Error(`file problems: ${JSON.stringify(preview.problems)}`);
  if (preview.summary.errors.length) throw new Error(`row problems: ${JSON.stringify(preview.summary.errors)}`);
  const outcome = await applyImport(db, admin, preview.batchId, { today: TODAY });
  expect(outcome.status).toBe("applied");
  return preview.summary;
}
const cadre = async (staffNo: string) => (await db.select().from(cadres).where(eq(cadres.staffNo, staffNo)))[0]!;

beforeAll(async () => {
  await importFile(corpus("units", "units-gb18030.csv"));
});

describe("the hand-written corpus", () => {
  it("imports Excel's Unicode text under its title, without its footers, with the roster's fields", async () => {
    const summary = await importFile(corpus("cadres", "roster-unicode-text.txt"));
    expect(summary.layout).toMatchObject({ format: "tsv", encoding: "utf-16le", headerRow: 3 });
    expect(summary.counts).toMatchObject({ rows: 3, create: 3, errors: 0 });
    expect(summary.skipped?.map((s) => s.reason)).toEqual(["beforeHeader", "footer", "footer"]);
    expect(await cadre("CP1002")).toMatchObject({
      name: "钱晓燕",
      rank: "deputy_section",
      gender: "female",
      ethnicity: "03",
      birthDate: "1985-11-01",
      politicalStatus: "02",
      education: "10",
      rankSince: "2021-03-01",
    });
    expect(await cadre("CP1003")).toMatchObject({ ethnicity: "01", politicalStatus: "03", education: "30", rankSince: null });
  });

  it("imports GB18030 under title and note rows, full-width digits read as digits", async () => {
    const summary = await importFile(corpus("cadres", "roster-gb18030-title.csv"));
    expect(summary.layout).toMatchObject({ encoding: "gb18030", headerRow: 3 });
    expect(await cadre("CP2001")).toMatchObject({ name: "李秋实", rank: "county", email: "liqs@cp.example.cn" });
    const [edu] = await db.select({ head: units.headCadreId }).from(units).where(eq(units.code, "CP-EDU"));
    expect(edu!.head).toBe((await cadre("CP2001")).id);
  });

  it("imports full-width headers, an Excel day count and dates written as years and months", async () => {
    await importFile(corpus("cadres", "roster-fullwidth-headers.csv"));
    const wu = await cadre("CP3001");
    expect(wu).toMatchObject({ birthDate: "1976-03-01", workStartDate: "1998-07-01", email: "wuhf@cp.example.cn" });
    const [membership] = await db.select().from(unitMemberships).where(eq(unitMemberships.cadreId, wu.id));
    // 46086 in a General cell is the day Excel counts: 5 March 2026.
    expect(membership!.startDate).toBe("2026-03-05");
    expect(await cadre("CP3002")).toMatchObject({ birthDate: "1981-02-01", workStartDate: "2003-07-01" });
  });

  it("imports tab-separated UTF-8 with quoted tabs and line breaks", async () => {
    await importFile(corpus("cadres", "roster-utf8.tsv"));
    expect(await cadre("CP4001")).toMatchObject({ title: "副部长\t（兼）", nativePlace: "山东\n青岛" });
  });
});

describe("workbooks made by exceljs", () => {
  it("reads the roster sheet past the instructions, under merged titles, a unit merged down, day counts, footers", async () => {
    const wb = new ExcelJS.Workbook();
    const guide = wb.addWorksheet("填写说明");
    guide.addRow(["1. 工号、姓名、单位、职级、职务为必填项。"]);
    guide.addRow(["2. 日期请填写为 YYYY-MM-DD。"]);
    const sheet = wb.addWorksheet("花名册");
    sheet.addRow(["语料市干部花名册（2026年）"]);
    sheet.mergeCells("A1:I1");
    sheet.addRow(["填报单位：组织部　　填报日期：2026年3月"]);
    sheet.mergeCells("A2:I2");
    sheet.addRow(["序号", "工号", "姓名", "单位", "职级", "职务", "出生年月", "任职日期", "学历学位"]);
    sheet.addRow([1, "XL1001", "林一", "语料市教育局", "正科级", "科长", 28856, 44986, "大学本科 管理学学士"]);
    sheet.addRow([2, "XL1002", "林二", null, "副科级", "副科长", "1982.09", null, "研究生/法学硕士"]);
    sheet.addRow([3, "XL1003", "林三", null, "科员", "科员", new Date(Date.UTC(1996, 4, 1)), null, "大学"]);
    sheet.mergeCells("D4:D6");
    sheet.addRow([]);
    sheet.addRow(["合计", null, "3人"]);
    sheet.addRow(["制表人：王某", null, null, "审核人：李某"]);
    const summary = await importFile(await xlsx(wb, "cadres", "花名册.xlsx"));
    expect(summary.layout).toMatchObject({ format: "xlsx", sheet: "花名册", sheets: ["填写说明", "花名册"], headerRow: 3 });
    expect(summary.skipped?.map((s) => [s.row, s.reason])).toEqual([
      [1, "beforeHeader"],
      [2, "beforeHeader"],
      [8, "footer"],
      [9, "footer"],
    ]);
    const [edu] = await db.select({ id: units.id }).from(units).where(eq(units.code, "CP-EDU"));
    const people = await db
      .select()
      .from(cadres)
      .where(inArray(cadres.staffNo, ["XL1001", "XL1002", "XL1003"]));
    expect(people.map((p) => [p.staffNo, p.unitId, p.birthDate, p.education, p.degree]).sort()).toEqual([
      ["XL1001", edu!.id, "1979-01-01", "20", "bachelor"],
      ["XL1002", edu!.id, "1982-09-01", "10", "master"],
      ["XL1003", edu!.id, "1996-05-01", "20", null],
    ]);
    const [membership] = await db
      .select()
      .from(unitMemberships)
      .where(eq(unitMemberships.cadreId, people.find((p) => p.staffNo === "XL1001")!.id));
    // 44986: 1 March 2023.
    expect(membership!.startDate).toBe("2023-03-01");
  });
});

describe("one pass finds every problem", () => {
  it("reports a bad address and an unknown unit on the same row together, each with its row, column and value", async () => {
    await createUnit(db, { code: "DUP-1", name: "同名单位" });
    await createUnit(db, { code: "DUP-2", name: "同名单位" });
    const file: ImportFile = {
      kind: "cadres",
      fileName: "问题.csv",
      bytes: new TextEncoder().encode(
        [
          "工号,姓名,单位编码,单位,职级,职务,邮箱,出生年月",
          "PB1,甲,NOPE,,科员,,not-an-email,1980.13",
          "PB2,乙,,同名单位,科员,,,",
          "PB3,丙,,没有这个单位,科员,,,",
          "PB4,丁,,语料市教育局,科员,,,",
          "合计：4人,,,,,,,",
        ].join("\n"),
      ),
    };
    const planned = await planImport(db, file, { today: TODAY });
    if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
    expect(planned.summary.errors.map((e) => [e.row, e.column, e.messageKey, e.value])).toEqual([
      [2, "邮箱", "imports.errors.email", "not-an-email"],
      [2, "出生年月", "imports.errors.month", "1980.13"],
      [2, "单位编码", "imports.errors.unitNotFound", "NOPE"],
      [3, "单位", "imports.errors.unitNameAmbiguous", "同名单位"],
      [4, "单位", "imports.errors.unitNameNotFound", "没有这个单位"],
    ]);
    // The footer does not count as a row, nor block the file.
    expect(planned.summary.counts.rows).toBe(4);
    expect(planned.summary.skipped).toEqual([{ row: 6, reason: "footer", text: "合计：4人" }]);
  });
});
