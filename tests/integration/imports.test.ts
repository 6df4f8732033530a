import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, count, eq, inArray, like } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import runImport from "~/cli/commands/import";
import { applyImport, type ImportFile, planImport, previewImport } from "~/modules/imports/service.server";
import { auditLog, cadres, importBatches, unitMemberships, units, users } from "~db/schema";
import { createCadre, createUnit } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const admin = { userId: null, label: "test" };

const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));
const fixture = (kind: ImportFile["kind"], name: string): ImportFile => ({
  kind,
  fileName: name,
  bytes: new Uint8Array(readFileSync(fixturePath(name))),
});
const csv = (kind: ImportFile["kind"], lines: string[], fileName = `${kind}.csv`): ImportFile => ({
  kind,
  fileName,
  bytes: new TextEncoder().encode(`${lines.join("\r\n")}\r\n`),
});
const CADRE_HEADER = "工号,姓名,单位编码,职级,职务,邮箱,单位负责人,任职日期";

/** Preview then apply, as the upload page and its confirm button do. */
async function importFile(file: ImportFile, today = "2025-06-30") {
  const preview = await previewImport(db, admin, file, { today });
  if (!preview.ok) throw new Error(`file problems: ${JSON.stringify(preview.problems)}`);
  if (preview.summary.errors.length) throw new Error(`row problems: ${JSON.stringify(preview.summary.errors)}`);
  const outcome = await applyImport(db, admin, preview.batchId, { today });
  return { preview, outcome };
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(args, { db, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

async function tableCounts() {
  const n = async (table: typeof units | typeof cadres | typeof auditLog | typeof importBatches | typeof unitMemberships | typeof users) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    units: await n(units),
    cadres: await n(cadres),
    memberships: await n(unitMemberships),
    users: await n(users),
    audit: await n(auditLog),
    batches: await n(importBatches),
  };
}

async function cadreByStaffNo(staffNo: string) {
  const [c] = await db.select().from(cadres).where(eq(cadres.staffNo, staffNo));
  return c!;
}
async function membershipsOf(cadreId: number) {
  return db
    .select({ unitId: unitMemberships.unitId, startDate: unitMemberships.startDate, endDate: unitMemberships.endDate })
    .from(unitMemberships)
    .where(eq(unitMemberships.cadreId, cadreId))
    .orderBy(unitMemberships.id);
}
async function unitId(code: string) {
  const [u] = await db.select({ id: units.id }).from(units).where(eq(units.code, code));
  return u!.id;
}

describe("the fixtures, end to end", () => {
  it("a dry run on the command line writes nothing at all", async () => {
    const before = await tableCounts();
    const result = await cli(["units", fixturePath("units.csv"), "--dry-run"]);
    expect(result.code).toBe(0);
    // What was read, then the counts, then the change list the preview page shows.
    expect(result.out[0]).toBe("CSV 文本，UTF-8 编码（带 BOM），第 1 行为表头");
    expect(result.out[1]).toBe("数据行 7：新建 7，更新 0，调动 0，未变 0，问题 0");
    expect(result.out[2]).toBe("  第 2 行 新建 FX-CITY 某市");
    expect(result.out).toContain("试运行：未写入任何数据。");
    expect(await tableCounts()).toEqual(before);
  });

  it("imports units (UTF-8 with BOM) and cadres (English headers), then the GB18030 file", async () => {
    const units1 = await cli(["units", fixturePath("units.csv")]);
    expect(units1.code).toBe(0);
    expect(units1.err.at(-1)).toBe("已处理 7/7 行");
    const [edu1] = await db.select().from(units).where(eq(units.code, "FX-EDU-1"));
    expect(edu1!.parentId).toBe(await unitId("FX-EDU"));
    expect(edu1!.kind).toBe("other");
    expect((await db.select().from(units).where(eq(units.code, "FX-TOWN")))[0]!.kind).toBe("town");

    const { preview, outcome } = await importFile(fixture("cadres", "cadres.csv"));
    expect(preview.summary.counts).toEqual({ rows: 5, create: 5, update: 0, transfer: 0, unchanged: 0, errors: 0 });
    expect(outcome).toEqual({ status: "applied", counts: { ...preview.summary.counts }, alreadyApplied: false });
    const [batch] = await db.select().from(importBatches).where(eq(importBatches.id, preview.batchId));
    expect(batch).toMatchObject({ status: "applied", processedRows: 5, totalRows: 5 });

    const gb = await importFile(fixture("cadres", "cadres-gb18030.csv"));
    expect(gb.outcome).toMatchObject({ status: "applied", counts: { create: 2 } });
    const zhao = await cadreByStaffNo("GB2001");
    expect(zhao).toMatchObject({ name: "赵磊", rank: "deputy_county", title: "管委会副主任", phone: "13900000001", nameInitials: "zl" });
  });

  it("opens a cadre's first membership at `since`, or since before records when it is absent", async () => {
    const zhang = await cadreByStaffNo("FX1001");
    expect(await membershipsOf(zhang.id)).toEqual([{ unitId: await unitId("FX-ORG"), startDate: "2019-03-01", endDate: null }]);
    const wang = await cadreByStaffNo("FX1002");
    expect(await membershipsOf(wang.id)).toEqual([{ unitId: await unitId("FX-ORG"), startDate: null, endDate: null }]);
    expect(wang.status).toBe("active");
    expect(wang.phone).toBeNull();
  });

  it("makes the cadres marked 是, Y or 1 their unit's head", async () => {
    const heads = await db
      .select({ code: units.code, staffNo: cadres.staffNo })
      .from(units)
      .innerJoin(cadres, eq(cadres.id, units.headCadreId))
      .where(like(units.code, "FX-%"))
      .orderBy(units.code);
    expect(heads).toEqual([
      { code: "FX-EDU", staffNo: "FX1003" },
      { code: "FX-ORG", staffNo: "FX1001" },
      { code: "FX-SOE", staffNo: "GB2002" },
      { code: "FX-TOWN", staffNo: "FX1005" },
    ]);
  });

  it("gives every new cadre an account that stays disabled until a one-time password is issued", async () => {
    const imported = await db
      .select({ staffNo: cadres.staffNo, disabled: users.disabled, passwordHash: users.passwordHash, email: users.email })
      .from(cadres)
      .leftJoin(users, eq(users.cadreId, cadres.id))
      .where(inArray(cadres.staffNo, ["FX1001", "FX1002", "FX1003", "FX1004", "FX1005", "GB2001", "GB2002"]));
    expect(imported).toHaveLength(7);
    for (const u of imported) expect(u).toMatchObject({ disabled: true, passwordHash: null, email: null });
  });

  it("importing the same files again changes nothing, not even the audit log of units and cadres", async () => {
    const before = await tableCounts();
    const entityAudits = async () =>
      (
        await db
          .select({ n: count() })
          .from(auditLog)
          .where(inArray(auditLog.entityType, ["unit", "cadre"]))
      )[0]!.n;
    const auditsBefore = await entityAudits();
    const stamp = (await cadreByStaffNo("FX1001")).updatedAt;

    const again = await importFile(fixture("units", "units.csv"));
    expect(again.preview.summary.counts).toEqual({ rows: 7, create: 0, update: 0, transfer: 0, unchanged: 7, errors: 0 });
    expect(again.preview.summary.changes).toEqual([]);
    const cadresAgain = await importFile(fixture("cadres", "cadres.csv"));
    expect(cadresAgain.preview.summary.counts).toEqual({ rows: 5, create: 0, update: 0, transfer: 0, unchanged: 5, errors: 0 });
    const gbAgain = await importFile(fixture("cadres", "cadres-gb18030.csv"));
    expect(gbAgain.preview.summary.counts.unchanged).toBe(2);

    const after = await tableCounts();
    expect(after).toEqual({ ...before, batches: before.batches + 3, audit: before.audit + 3 });
    expect(await entityAudits()).toBe(auditsBefore);
    expect((await cadreByStaffNo("FX1001")).updatedAt).toEqual(stamp);
    // The three entries are the imports themselves, with their counts.
    const imports = await db.select().from(auditLog).where(eq(auditLog.action, "import.applied")).orderBy(auditLog.id);
    expect(imports.at(-1)!.after).toMatchObject({ kind: "cadres", counts: { unchanged: 2 } });
  });
});

describe("a file with a bad row", () => {
  it("imports nothing and names the row and column, on the command line and in the preview", async () => {
    const before = await tableCounts();
    const result = await cli(["cadres", fixturePath("cadres-bad-rank.csv")]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      "第 3 行 [职级]「局座」 无法识别的职级「局座」，应为 科员、副科级、正科级、副县级、正县级、副厅级 或 正厅级",
    );
    expect(result.err.at(-1)).toBe("发现 1 个问题，未导入任何数据。");
    expect(await tableCounts()).toEqual(before);

    const preview = await previewImport(db, admin, fixture("cadres", "cadres-bad-rank.csv"));
    expect(preview.ok && preview.summary.errors).toEqual([
      { row: 3, column: "职级", messageKey: "imports.errors.unknownRank", params: { value: "局座" }, value: "局座" },
    ]);
    if (!preview.ok) return;
    expect(await applyImport(db, admin, preview.batchId)).toEqual({ status: "invalid", problems: preview.summary.errors });
    expect(
      await db
        .select()
        .from(cadres)
        .where(inArray(cadres.staffNo, ["BAD1", "BAD2", "BAD3"])),
    ).toEqual([]);
  });

  it("reports problems only the database can see, each with its row and column", async () => {
    const file = csv("cadres", [
      "工号,姓名,单位编码,职级,职务,Email,单位负责人",
      "DB1,甲,NOPE,科员,,,否",
      "DB2,乙,FX-ORG,科员,,zhangwei@fx.example.cn,否",
      "DB3,丙,FX-ORG,科员,,,否",
    ]);
    const planned = await planImport(db, file);
    expect(planned.ok && planned.summary.errors.map((e) => [e.row, e.column, e.messageKey])).toEqual([
      [2, "单位编码", "imports.errors.unitNotFound"],
      [3, "Email", "imports.errors.emailTaken"],
    ]);
  });

  it("refuses a file with missing headers as a whole, saying which row it took as the header", async () => {
    const result = await cli(["cadres", writeTemp("x.csv", "花名册\r\n工号,姓名\r\nA,甲\r\n")]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("第 2 行 [单位编码] 缺少必需的列：单位编码 / unit_code（或“单位”列）");
    expect(result.err).toContain("文件：读取的表头在第 2 行：工号、姓名");
  });

  it("exits 2 on a usage error", async () => {
    expect((await cli(["people", "x.csv"])).code).toBe(2);
    expect((await cli(["units"])).code).toBe(2);
    expect((await cli(["units", "x.csv", "--force"])).code).toBe(2);
  });
});

describe("units", () => {
  it("links a parent that comes later in the file, and finds cycles through the database", async () => {
    const forward = await importFile(
      csv("units", ["code,name,parent_code,kind", "LT-CHILD,子单位,LT-PARENT,department", "LT-PARENT,母单位,FX-CITY,other"]),
    );
    expect(forward.outcome).toMatchObject({ status: "applied", counts: { create: 2 } });
    const [child] = await db.select().from(units).where(eq(units.code, "LT-CHILD"));
    expect(child!.parentId).toBe(await unitId("LT-PARENT"));

    const cycle = await planImport(db, csv("units", ["code,name,parent_code,kind", "LT-PARENT,母单位,LT-CHILD,other"]));
    expect(cycle.ok && cycle.summary.errors.map((e) => [e.row, e.column, e.messageKey])).toEqual([
      [2, "parent_code", "imports.errors.cycle"],
    ]);
    const missing = await planImport(db, csv("units", ["code,name,parent_code,kind", "LT-X,某,LT-NOWHERE,other"]));
    expect(missing.ok && missing.summary.errors.map((e) => e.messageKey)).toEqual(["imports.errors.parentNotFound"]);
  });

  it("records a change with its fields before and after, audited", async () => {
    const changed = await importFile(csv("units", ["code,name,parent_code,kind", "LT-CHILD,子单位（更名）,LT-PARENT,park"]));
    expect(changed.preview.summary.changes).toEqual([
      {
        row: 2,
        key: "LT-CHILD",
        name: "子单位（更名）",
        action: "update",
        fields: [
          { field: "name", before: "子单位", after: "子单位（更名）" },
          { field: "kind", before: "department", after: "park" },
        ],
      },
    ]);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "unit.updated"), eq(auditLog.entityId, String(await unitId("LT-CHILD")))));
    expect(entry).toMatchObject({
      actorLabel: "test",
      before: { name: "子单位", kind: "department" },
      after: { name: "子单位（更名）", kind: "park" },
      reason: `import #${changed.preview.batchId}`,
    });
  });
});

describe("transfers", () => {
  it("records a move on `since`: the old membership ends that day and the new one begins", async () => {
    const from = await createUnit(db, { code: "TR-A" });
    const to = await createUnit(db, { code: "TR-B" });
    const cadre = await createCadre(db, { unitId: from.id, staffNo: "TR1", since: "2020-01-01", email: null });
    await db.update(units).set({ headCadreId: cadre.id }).where(eq(units.id, from.id));

    const { preview, outcome } = await importFile(csv("cadres", [CADRE_HEADER, "TR1,调动甲,TR-B,正科级,科长,,否,2024-03-01"]));
    expect(preview.summary.changes[0]).toMatchObject({ action: "transfer", transferDate: "2024-03-01" });
    expect(outcome).toMatchObject({ counts: { transfer: 1 } });
    expect(await membershipsOf(cadre.id)).toEqual([
      { unitId: from.id, startDate: "2020-01-01", endDate: "2024-03-01" },
      { unitId: to.id, startDate: "2024-03-01", endDate: null },
    ]);
    expect((await cadreByStaffNo("TR1")).unitId).toBe(to.id);
    // A head who leaves stops heading the old unit.
    expect((await db.select().from(units).where(eq(units.id, from.id)))[0]!.headCadreId).toBeNull();
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "cadre.transferred"), eq(auditLog.entityId, String(cadre.id))));
    expect(entry!.after).toMatchObject({ unitCode: "TR-B", transferDate: "2024-03-01" });
  });

  it("dates a move without `since` on the day of the import", async () => {
    const from = await createUnit(db, { code: "TR-C" });
    await createUnit(db, { code: "TR-D" });
    const cadre = await createCadre(db, { unitId: from.id, staffNo: "TR2", email: null });
    await importFile(csv("cadres", ["工号,姓名,单位编码,职级,职务,邮箱,单位负责人", "TR2,调动乙,TR-D,科员,,,否"]), "2025-07-01");
    expect(await membershipsOf(cadre.id)).toEqual([
      { unitId: from.id, startDate: null, endDate: "2025-07-01" },
      { unitId: await unitId("TR-D"), startDate: "2025-07-01", endDate: null },
    ]);
  });

  it("reports a move dated on or before the current membership's start as a row problem", async () => {
    const from = await createUnit(db, { code: "TR-E" });
    await createUnit(db, { code: "TR-F" });
    await createCadre(db, { unitId: from.id, staffNo: "TR3", since: "2024-05-01", email: null });
    const planned = await planImport(db, csv("cadres", [CADRE_HEADER, "TR3,调动丙,TR-F,科员,,,否,2024-05-01"]));
    expect(planned.ok && planned.summary.errors).toEqual([
      {
        row: 2,
        column: "任职日期",
        messageKey: "imports.errors.transferNotAfterStart",
        params: { date: "2024-05-01", start: "2024-05-01" },
        value: "2024-05-01",
      },
    ]);
  });
});

describe("changes to existing cadres", () => {
  it("lets two cadres of the file swap addresses, and leaves phones alone when the file has no phone column", async () => {
    const unit = await createUnit(db, { code: "SW-U" });
    await createCadre(db, { unitId: unit.id, staffNo: "SW1", email: "one@example.cn", phone: "13811111111" });
    await createCadre(db, { unitId: unit.id, staffNo: "SW2", email: "two@example.cn" });
    const { preview } = await importFile(
      csv("cadres", [CADRE_HEADER, "SW1,互换甲,SW-U,副科级,,two@example.cn,否,", "SW2,互换乙,SW-U,副科级,,one@example.cn,否,"]),
    );
    expect(preview.summary.changes.map((c) => c.fields.find((f) => f.field === "email"))).toEqual([
      { field: "email", before: "one@example.cn", after: "two@example.cn" },
      { field: "email", before: "two@example.cn", after: "one@example.cn" },
    ]);
    expect((await cadreByStaffNo("SW1")).email).toBe("two@example.cn");
    expect((await cadreByStaffNo("SW2")).email).toBe("one@example.cn");
    expect((await cadreByStaffNo("SW1")).phone).toBe("13811111111");
  });

  it("follows the file on heads: 是 replaces the head, 否 on the head clears it, each audited on the unit", async () => {
    const unit = await createUnit(db, { code: "HD-U" });
    const old = await createCadre(db, { unitId: unit.id, staffNo: "HD1", email: null });
    await db.update(units).set({ headCadreId: old.id }).where(eq(units.id, unit.id));
    await createCadre(db, { unitId: unit.id, staffNo: "HD2", email: null });

    const replaced = await importFile(csv("cadres", [CADRE_HEADER, "HD2,新负责人,HD-U,副科级,,,是,"]));
    expect(replaced.preview.summary.changes).toEqual([
      {
        row: 2,
        key: "HD2",
        name: "新负责人",
        action: "update",
        fields: expect.arrayContaining([{ field: "isHead", before: false, after: true }]),
      },
    ]);
    const head = async () => (await db.select().from(units).where(eq(units.id, unit.id)))[0]!.headCadreId;
    expect(await head()).toBe((await cadreByStaffNo("HD2")).id);

    const cleared = await importFile(csv("cadres", [CADRE_HEADER, "HD2,新负责人,HD-U,副科级,,,否,"]));
    expect(cleared.preview.summary.counts.update).toBe(1);
    expect(await head()).toBeNull();
    const entries = await db
      .select({ before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, "unit.head_changed"), eq(auditLog.entityId, String(unit.id))))
      .orderBy(auditLog.id);
    expect(entries).toEqual([
      { before: { code: "HD-U", headStaffNo: "HD1" }, after: { code: "HD-U", headStaffNo: "HD2" } },
      { before: { code: "HD-U", headStaffNo: "HD2" }, after: { code: "HD-U", headStaffNo: null } },
    ]);
  });
});

describe("confirming", () => {
  it("twice at once applies once", async () => {
    await createUnit(db, { code: "CC-U" });
    const lines = [CADRE_HEADER];
    for (let i = 0; i < 1200; i++) lines.push(`CC${i},并发${i},CC-U,科员,,cc${i}@example.cn,否,`);
    const preview = await previewImport(db, admin, csv("cadres", lines));
    if (!preview.ok) throw new Error("unexpected");
    const auditsBefore = (await db.select({ n: count() }).from(auditLog))[0]!.n;
    const [a, b] = await Promise.all([applyImport(db, admin, preview.batchId), applyImport(db, admin, preview.batchId)]);
    expect([a, b].map((o) => o.status === "applied" && o.alreadyApplied).sort()).toEqual([false, true]);
    expect((await db.select({ n: count() }).from(cadres).where(like(cadres.staffNo, "CC%")))[0]!.n).toBe(1200);
    expect((await db.select({ n: count() }).from(auditLog))[0]!.n).toBe(auditsBefore + 1200 + 1);
    const ccUnit = await unitId("CC-U");
    expect((await db.select({ n: count() }).from(unitMemberships).where(eq(unitMemberships.unitId, ccUnit)))[0]!.n).toBe(1200);
    const [batch] = await db.select().from(importBatches).where(eq(importBatches.id, preview.batchId));
    expect(batch).toMatchObject({ status: "applied", processedRows: 1200, totalRows: 1200 });
    expect(await applyImport(db, admin, preview.batchId)).toMatchObject({ status: "applied", alreadyApplied: true });
  });

  it("checks again when applying: a change since the preview stops the import", async () => {
    await createUnit(db, { code: "RV-U" });
    const preview = await previewImport(db, admin, csv("cadres", [CADRE_HEADER, "RV1,复核,RV-U,科员,,rv@example.cn,否,"]));
    if (!preview.ok) throw new Error("unexpected");
    // Someone takes the address between preview and confirmation.
    await createCadre(db, { unitId: await unitId("RV-U"), staffNo: "RV-OTHER", email: "rv@example.cn" });
    const outcome = await applyImport(db, admin, preview.batchId);
    expect(outcome).toMatchObject({ status: "invalid", problems: [{ row: 2, messageKey: "imports.errors.emailTaken" }] });
    expect(await db.select().from(cadres).where(eq(cadres.staffNo, "RV1"))).toEqual([]);
    const [batch] = await db.select().from(importBatches).where(eq(importBatches.id, preview.batchId));
    expect(batch!.status).toBe("previewed");
    expect((batch!.summary as { errors: unknown[] }).errors).toHaveLength(1);
  });
});

describe("spreadsheets", () => {
  it("imports an XLSX with numeric staff numbers and date cells", async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("名单");
    sheet.addRow(["工号", "姓名", "单位编码", "职级", "职务", "邮箱", "手机", "单位负责人", "任职日期"]);
    // A date cell holds the day as the sheet shows it (Excel knows no time zones).
    sheet.addRow([880001, "钱多", "FX-PARK", "正县级", "主任", "qianduo@example.cn", 13700000000, "是", new Date(Date.UTC(2018, 8, 1))]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const { outcome } = await importFile({ kind: "cadres", fileName: "名单.xlsx", bytes });
    expect(outcome).toMatchObject({ status: "applied", counts: { create: 1 } });
    const qian = await cadreByStaffNo("880001");
    expect(qian).toMatchObject({ phone: "13700000000", rank: "county" });
    expect(await membershipsOf(qian.id)).toEqual([{ unitId: await unitId("FX-PARK"), startDate: "2018-09-01", endDate: null }]);
  });
});

let tempDir: string | undefined;
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});
function writeTemp(name: string, content: string) {
  tempDir ??= mkdtempSync(path.join(os.tmpdir(), "luoshi-import-"));
  const file = path.join(tempDir, name);
  writeFileSync(file, content);
  return file;
}
