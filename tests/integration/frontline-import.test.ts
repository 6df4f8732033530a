import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import runImport from "~/cli/commands/import";
import { parseCategory, parseStatus } from "~/modules/frontline/import-kinds";
import { applyImport, type ImportFile, planImport, previewImport } from "~/modules/imports/service.server";
import { auditLog, frontlineRecords } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const TODAY = "2026-05-20";
let admin: { userId: number };
const cadreIds: Record<string, number> = {};

beforeAll(async () => {
  const unit = await createUnit(db, { code: "FIU", name: "市信访局" });
  for (const staffNo of ["FI001", "FI002", "FI003"]) cadreIds[staffNo] = (await createCadre(db, { unitId: unit.id, staffNo })).id;
  admin = { userId: (await createUser(db, { roles: ["org_admin"], password: "x".repeat(12) })).id };
});

const HEADER = "工号,类别,地点或项目,开始日期,结束日期,工作内容,状态";
const csv = (lines: string[], fileName = "台账.csv"): ImportFile => ({
  kind: "frontline",
  fileName,
  bytes: new TextEncoder().encode(`\uFEFF${[HEADER, ...lines].join("\r\n")}\r\n`),
});
const LEDGER = [
  "FI001,信访,市信访局接待大厅,2026-04-13,2026-04-17,接待来访群众,已核实",
  "FI001,督查,营商环境专项督查,2026/4/20,2026/4/21,暗访检查,待核实",
  "FI002,重大项目建设,城东污水处理厂项目,2026-01-05,2026-03-31,驻项目协调,verified",
  "FI003,蹲点调研,青石镇蹲点,2026-05-01,2026-05-03,走访企业,草稿",
];

async function importFile(file: ImportFile) {
  const preview = await previewImport(db, admin, file, { today: TODAY });
  if (!preview.ok) throw new Error(`file problems: ${JSON.stringify(preview.problems)}`);
  if (preview.summary.errors.length) throw new Error(`row problems: ${JSON.stringify(preview.summary.errors)}`);
  const outcome = await applyImport(db, admin, preview.batchId, { today: TODAY });
  return { preview, outcome };
}

const recordCount = async () => (await db.select({ n: count() }).from(frontlineRecords))[0]!.n;

describe("importing a frontline ledger", () => {
  it("reads Chinese and English categories and statuses", () => {
    expect(["督查", "维稳", "信访", "联扶", "招商引资", "重大项目建设", "下沉服务", "蹲点调研"].map(parseCategory)).toEqual([
      "supervision",
      "stability",
      "petition",
      "pairing",
      "investment",
      "major_project",
      "sinking_service",
      "field_research",
    ]);
    expect(["Major-Project", "sinking service", "petition", "castle"].map(parseCategory)).toEqual([
      "major_project",
      "sinking_service",
      "petition",
      null,
    ]);
    expect(["草稿", "待核实", "已核实", "已退回", "VERIFIED", "returned", "maybe"].map(parseStatus)).toEqual([
      "draft",
      "submitted",
      "verified",
      "returned",
      "verified",
      "returned",
      null,
    ]);
  });

  it("imports the ledger once: the importer and batch are kept, verified rows count as verified by the importer", async () => {
    const { preview, outcome } = await importFile(csv(LEDGER));
    expect(preview.summary.counts).toMatchObject({ rows: 4, create: 4, update: 0, unchanged: 0, errors: 0 });
    expect(outcome).toMatchObject({ status: "applied", alreadyApplied: false });
    const rows = await db.select().from(frontlineRecords);
    expect(rows).toHaveLength(4);
    const petition = rows.find((r) => r.category === "petition")!;
    expect(petition).toMatchObject({
      cadreId: cadreIds.FI001,
      place: "市信访局接待大厅",
      startDate: "2026-04-13",
      endDate: "2026-04-17",
      status: "verified",
      source: "import",
      importBatchId: preview.batchId,
      createdByUserId: admin.userId,
      verifiedByUserId: admin.userId,
    });
    expect(rows.find((r) => r.category === "supervision")).toMatchObject({
      startDate: "2026-04-20",
      status: "submitted",
      submittedByUserId: admin.userId,
    });
    expect(rows.find((r) => r.category === "field_research")).toMatchObject({ status: "draft", submittedAt: null });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "frontline.imported"));
    expect(audits).toHaveLength(4);
    expect(audits.every((a) => a.reason === `import #${preview.batchId}` && a.actorUserId === admin.userId)).toBe(true);

    // The same file again: nothing new.
    const again = await importFile(csv(LEDGER));
    expect(again.preview.summary.counts).toMatchObject({ create: 0, update: 0, unchanged: 4 });
    expect(await recordCount()).toBe(4);
    // Confirming the same batch twice applies it once.
    expect(await applyImport(db, admin, again.preview.batchId, { today: TODAY })).toMatchObject({ alreadyApplied: true });
  });

  it("updates a record whose summary or status changed, and never takes a verified one back", async () => {
    const changed = [...LEDGER];
    changed[1] = "FI001,督查,营商环境专项督查,2026-04-20,2026-04-21,暗访检查并通报,已核实";
    const { preview } = await importFile(csv(changed));
    expect(preview.summary.counts).toMatchObject({ create: 0, update: 1, unchanged: 3 });
    expect(preview.summary.changes[0]!.fields.map((f) => f.field).sort()).toEqual(["status", "summary"]);
    const [row] = await db.select().from(frontlineRecords).where(eq(frontlineRecords.category, "supervision"));
    expect(row).toMatchObject({ status: "verified", summary: "暗访检查并通报", verifiedByUserId: admin.userId });

    const back = [...changed];
    back[0] = "FI001,信访,市信访局接待大厅,2026-04-13,2026-04-17,接待来访群众,待核实";
    const planned = await planImport(db, csv(back), { today: TODAY });
    if (!planned.ok) throw new Error("unexpected");
    expect(planned.summary.errors).toEqual([{ row: 2, column: "状态", value: "待核实", messageKey: "frontline.import.cannotUnverify" }]);
  });

  it("lists every bad row by row and column and imports nothing", async () => {
    const before = await recordCount();
    const planned = await planImport(
      db,
      csv([
        "FI001,巡逻,某地,2026-04-01,2026-04-02,内容,已核实",
        "FI001,信访,某地,2026-04-05,2026-04-01,内容,已核实",
        "FI001,信访,某地,2026-04-05,2026-04-06,内容,也许",
        "NOBODY,信访,某地,2026-04-05,2026-04-06,内容,已核实",
        "FI002,信访,某地,2026-13-01,2026-04-06,内容,已核实",
        "FI002,维稳,某地,2026-05-19,2026-05-25,内容,已核实",
        "FI003,维稳,重复,2026-04-01,2026-04-02,内容,草稿",
        "FI003,维稳,重复,2026-04-01,2026-04-02,内容,草稿",
        "FI003,维稳,,2026-04-01,2026-04-02,,草稿",
      ]),
      { today: TODAY },
    );
    if (!planned.ok) throw new Error("unexpected");
    expect(planned.summary.errors.map((e) => [e.row, e.column, e.messageKey])).toEqual([
      [2, "类别", "frontline.import.unknownCategory"],
      [3, "结束日期", "frontline.validation.endBeforeStart"],
      [4, "状态", "frontline.import.unknownStatus"],
      [5, "工号", "frontline.import.unknownStaffNo"],
      [6, "开始日期", "imports.errors.date"],
      [7, "结束日期", "frontline.validation.future"],
      [9, "地点或项目", "frontline.import.duplicateRow"],
      [10, "地点或项目", "imports.errors.required"],
      [10, "工作内容", "imports.errors.required"],
    ]);
    const preview = await previewImport(db, admin, csv(["FI001,巡逻,某地,2026-04-01,2026-04-02,内容,已核实"]), { today: TODAY });
    if (!preview.ok) throw new Error("unexpected");
    expect(await applyImport(db, admin, preview.batchId, { today: TODAY })).toMatchObject({ status: "invalid" });
    expect(await recordCount()).toBe(before);

    const missing = await planImport(
      db,
      { ...csv([]), bytes: new TextEncoder().encode("工号,类别,地点\r\nFI001,信访,某地\r\n") },
      { today: TODAY },
    );
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems.map((p) => p.messageKey)).toContain("imports.errors.missingHeader");
  });

  it("reads an XLSX with English headers and date cells, from the command line too", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("ledger");
    sheet.addRow(["staff_no", "category", "place", "start", "end", "summary", "outcome", "status"]);
    sheet.addRow([
      "FI003",
      "investment",
      "Greater Bay Area roadshow",
      // Date cells hold the day as the sheet shows it.
      new Date(Date.UTC(2026, 2, 2)),
      new Date(Date.UTC(2026, 2, 4)),
      "Met 12 firms",
      "3 letters of intent",
      "submitted",
    ]);
    const dir = mkdtempSync(path.join(os.tmpdir(), "frontline-import-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "ledger.xlsx");
    writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));

    const out: string[] = [];
    const err: string[] = [];
    const ctx = { db, out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    expect(await runImport(["frontline", file, "--dry-run"], ctx)).toBe(0);
    expect(await db.select().from(frontlineRecords).where(eq(frontlineRecords.category, "investment"))).toEqual([]);
    expect(await runImport(["frontline", file], ctx)).toBe(0);
    const [row] = await db.select().from(frontlineRecords).where(eq(frontlineRecords.category, "investment"));
    expect(row).toMatchObject({
      cadreId: cadreIds.FI003,
      startDate: "2026-03-02",
      endDate: "2026-03-04",
      outcome: "3 letters of intent",
      status: "submitted",
      createdByUserId: null,
    });
    expect(await runImport(["frontline", file], ctx)).toBe(0);
    expect((await db.select().from(frontlineRecords).where(eq(frontlineRecords.category, "investment"))).length).toBe(1);
  });
});
