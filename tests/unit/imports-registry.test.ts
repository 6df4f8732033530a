import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import runImport from "~/cli/commands/import";
import { describeImportKind } from "~/modules/imports/kinds";
import { importKindsFor, mapHeaders, normaliseRows } from "~/modules/imports/kinds.server";
import { countActions, type ImportKindHandler, registerImportKind } from "~/modules/imports/registry.server";
import { planImport } from "~/modules/imports/service.server";
import { templateCsv } from "~/modules/imports/templates.server";
import type { Database } from "~db/client";

/**
 * A kind the machinery has never heard of, registered the way a capability registers its own: header
 * mapping, row problems, parameters, the dry run and the command line must all come for free.
 */
interface FruitRow {
  row: number;
  invalid?: true;
  code: string;
  name: string;
  kilos: number;
}
type FruitPlan = { items: { row: FruitRow; action: "create" | "unchanged" | "ripe" }[] };

const planned: { params: Record<string, string>; today: string; rows: number }[] = [];
// What "the database" holds: a fake kind needs no tables, so these tests need no PostgreSQL.
const IN_STOCK = new Set(["APPLE"]);

const fruitImport: ImportKindHandler<FruitRow, FruitPlan> = {
  kind: "fruit",
  labelKey: "test.fruit",
  roles: ["venue_staff"],
  columns: [
    { field: "code", zh: "编码", en: "code", aliases: ["货号"], required: true },
    { field: "name", zh: "品名", en: "name", aliases: [], required: true },
    { field: "kilos", zh: "重量", en: "kilos", aliases: ["kg"], required: false },
  ],
  keyField: "code",
  params: [{ name: "season", labelKey: "test.season", required: true }],
  counts: [
    { key: "create", labelKey: "imports.counts.create" },
    { key: "ripe", labelKey: "imports.counts.update" },
    { key: "unchanged", labelKey: "imports.counts.unchanged" },
  ],
  normalise(r) {
    const code = r.required("code", 10);
    const name = r.required("name", 20);
    const kilosText = r.text("kilos");
    const kilos = kilosText ? Number(kilosText) : 0;
    if (!Number.isFinite(kilos)) r.problem("kilos", "imports.errors.tooLong", { max: 0 });
    if (code) r.unique("code", code, "imports.errors.duplicateCode");
    return { code, name, kilos };
  },
  async plan(_db, rows, options) {
    planned.push({ params: { ...options.params }, today: options.today, rows: rows.length });
    // Rows with problems of their own are checked too, so one pass finds every problem.
    const problems = rows
      .filter((r) => r.code === "DURIAN")
      .map((r) => ({ row: r.row, column: options.column("code"), messageKey: "imports.errors.unitNotFound", params: { value: r.code } }));
    const items = rows
      .filter((r) => r.code !== "DURIAN" && !r.invalid)
      .map((row) => ({
        row,
        action: IN_STOCK.has(row.code) ? ("unchanged" as const) : row.kilos > 5 ? ("ripe" as const) : ("create" as const),
      }));
    return {
      problems,
      changes: items
        .filter((i) => i.action !== "unchanged")
        .map((i) => ({ row: i.row.row, key: i.row.code, name: i.row.name, action: i.action, fields: [] })),
      counts: countActions(items, fruitImport.counts),
      plan: { items },
    };
  },
  async apply() {
    throw new Error("a dry run never applies");
  },
};
registerImportKind(fruitImport);

// The machinery plans in one read-only transaction; a fake kind needs nothing of it.
const noDb = { transaction: async (fn: (tx: unknown) => unknown) => fn(noDb) } as unknown as Database;
const csv = (lines: string[]) => new TextEncoder().encode(`${lines.join("\r\n")}\r\n`);

describe("a kind registered from outside the import module", () => {
  it("gets header mapping: Chinese, English and alias headers, missing required ones named", () => {
    expect(mapHeaders("fruit", ["货号", "Name", "KG", "产地"])).toMatchObject({
      index: { code: 0, name: 1, kilos: 2 },
      header: { code: "货号", name: "Name", kilos: "KG" },
      ignored: ["产地"],
      problems: [],
    });
    expect(mapHeaders("fruit", ["重量"]).problems.map((p) => p.column)).toEqual(["编码", "品名"]);
    expect(templateCsv(fruitImport)).toBe("\uFEFF编码,品名,重量\r\n");
  });

  it("gets every row problem by row and column as written, duplicates included, rows with problems marked", () => {
    const result = normaliseRows("fruit", {
      headers: ["货号", "品名", "kg"],
      rows: [
        { row: 2, cells: ["APPLE", "苹果", 3] },
        { row: 3, cells: ["PEAR", "", "many"] },
        { row: 5, cells: ["APPLE", "又一个苹果", ""] },
      ],
    });
    expect(result.rows[0]).toEqual({ row: 2, code: "APPLE", name: "苹果", kilos: 3 });
    expect(result.rows.slice(1).map((r) => [r.row, r.invalid])).toEqual([
      [3, true],
      [5, true],
    ]);
    expect(result.problems.map((p) => [p.row, p.column, p.messageKey])).toEqual([
      [3, "品名", "imports.errors.required"],
      [3, "kg", "imports.errors.tooLong"],
      [5, "货号", "imports.errors.duplicateCode"],
    ]);
    expect(result.problems.at(-1)!.params).toEqual({ value: "APPLE", row: 2 });
  });

  it("gets the dry run: the kind's own counts and changes, its problems merged by row, its parameters", async () => {
    const file = { kind: "fruit", fileName: "fruit.csv", params: { season: " 2026-07 ", other: "dropped" } };
    const result = await planImport(
      noDb,
      { ...file, bytes: csv(["编码,品名,重量", "APPLE,苹果,1", "DURIAN,榴莲,2", "KIWI,猕猴桃,9", "FIG,无花果,", "DURIAN,,x"]) },
      { today: "2026-07-01" },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.summary).toMatchObject({
      kind: "fruit",
      params: { season: "2026-07" },
      counts: { rows: 5, create: 1, ripe: 1, unchanged: 1, errors: 5 },
      layout: { format: "csv", encoding: "utf-8", headerRow: 1, headers: ["编码", "品名", "重量"] },
      changes: [
        { row: 4, key: "KIWI", action: "ripe" },
        { row: 5, key: "FIG", action: "create" },
      ],
    });
    // Row 6 has problems of its own and the database's: all of them, in one pass, with the values.
    expect(result.summary.errors.map((p) => [p.row, p.column, p.messageKey, p.value])).toEqual([
      [3, "编码", "imports.errors.unitNotFound", "DURIAN"],
      [6, "品名", "imports.errors.required", undefined],
      [6, "重量", "imports.errors.tooLong", "x"],
      [6, "编码", "imports.errors.duplicateCode", "DURIAN"],
      [6, "编码", "imports.errors.unitNotFound", "DURIAN"],
    ]);
    expect(planned.at(-1)).toEqual({ params: { season: "2026-07" }, today: "2026-07-01", rows: 5 });
  });

  it("refuses an upload without a required parameter, and a file whose headers do not fit, as a whole", async () => {
    const missing = await planImport(noDb, { kind: "fruit", fileName: "f.csv", bytes: csv(["编码,品名", "A,甲"]) });
    expect(missing).toEqual({
      ok: false,
      problems: [{ row: null, column: null, messageKey: "imports.errors.paramMissing", params: { name: "season" } }],
      ignoredColumns: [],
      layout: {},
    });
    const headers = await planImport(noDb, {
      kind: "fruit",
      fileName: "f.csv",
      params: { season: "s" },
      bytes: csv(["标题", "编码", "A"]),
    });
    // What was taken as the header is said with the problem.
    expect(headers.ok === false && headers.problems.map((p) => [p.row, p.column, p.messageKey, p.params])).toEqual([
      [2, "品名", "imports.errors.missingHeader", { header: "品名 / name" }],
      [null, null, "imports.errors.headerRead", { row: 2, headers: "编码" }],
    ]);
    const unknown = await planImport(noDb, { kind: "nope", fileName: "f.csv", bytes: csv(["a", "1"]) });
    expect(unknown.ok === false && unknown.problems[0]!.messageKey).toBe("imports.errors.kind");
  });

  it("gets the command line: parameters by position or by name, counts in its own order, usage", async () => {
    const file = writeTemp("fruit.csv", "编码,品名,重量\r\nKIWI,猕猴桃,9\r\nFIG,无花果,\r\n");
    const byPosition = await cli(["fruit", "2026-08", file, "--dry-run"]);
    // The same change list as the preview page, what was read first.
    expect(byPosition).toMatchObject({
      code: 0,
      out: [
        "CSV 文本，UTF-8 编码，第 1 行为表头",
        "数据行 2：新建 1，更新 1，未变 0，问题 0",
        "  第 2 行 ripe KIWI 猕猴桃",
        "  第 3 行 新建 FIG 无花果",
        "试运行：未写入任何数据。",
      ],
    });
    expect(planned.at(-1)!.params).toEqual({ season: "2026-08" });
    expect((await cli(["fruit", "season=2026-09", file, "--dry-run"])).code).toBe(0);
    expect(planned.at(-1)!.params).toEqual({ season: "2026-09" });

    const noParam = await cli(["fruit", file, "--dry-run"]);
    expect(noParam.code).toBe(2);
    expect(noParam.err).toEqual([
      "缺少参数：season",
      "用法：npm run luoshi -- import <导入内容> [参数…] 文件 [--dry-run] [--sheet 工作表] [--errors 标注文件.xlsx]",
      "  fruit <season> 文件  test.fruit",
      "      npm run luoshi -- import template <导入内容> [--format csv] [输出文件]  下载模板",
    ]);
    expect((await cli(["fruit", "a", "b", file])).err[0]).toBe("多余的参数：b");
    const unknown = await cli(["vegetables", file]);
    expect(unknown.code).toBe(2);
    // Every registered kind is listed (capabilities add their own), the test's own among them.
    const listed = unknown.err.map((l) => l.trim().split(" ")[0]);
    expect(listed[0]).toBe("用法：npm");
    expect(listed).toEqual(expect.arrayContaining(["units", "cadres", "fruit"]));
  });

  it("is offered to the roles it names only, and describes itself to the pages as plain data", () => {
    expect(importKindsFor({ roles: ["venue_staff"] }).map((k) => k.kind)).toContain("fruit");
    const forAdmins = importKindsFor({ roles: ["org_admin"] }).map((k) => k.kind);
    expect(forAdmins.slice(0, 2)).toEqual(["units", "cadres"]);
    expect(forAdmins).not.toContain("fruit");
    const view = describeImportKind(fruitImport);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(view).toMatchObject({ kind: "fruit", keyLabelKey: "imports.key", params: [{ name: "season", required: true }] });
  });

  it("refuses a second kind with the same id, or a definition that does not add up", () => {
    expect(() => registerImportKind(fruitImport)).toThrow(/twice/);
    expect(() => registerImportKind({ ...fruitImport, kind: "Fruit Salad" })).toThrow(/lower-case/);
    expect(() => registerImportKind({ ...fruitImport, kind: "fruit-2", keyField: "sku" })).toThrow(/keyField/);
  });
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(args, { db: noDb, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

let tempDir: string | undefined;
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});
function writeTemp(name: string, content: string) {
  tempDir ??= mkdtempSync(path.join(os.tmpdir(), "luoshi-import-kind-"));
  const file = path.join(tempDir, name);
  writeFileSync(file, content);
  return file;
}
