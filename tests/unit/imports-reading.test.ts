import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { decodeText } from "~/modules/imports/decode";
import { readCsv, readSheet, readXlsx } from "~/modules/imports/read.server";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("decoding CSV text", () => {
  it("reads UTF-8 with and without a BOM", () => {
    expect(decodeText(utf8("\uFEFF工号,姓名"))).toEqual({ text: "工号,姓名", encoding: "utf-8" });
    expect(decodeText(utf8("工号,姓名"))).toEqual({ text: "工号,姓名", encoding: "utf-8" });
  });

  it("falls back to GB18030, which Excel in China writes", () => {
    // 工号 in GBK.
    expect(decodeText(new Uint8Array([0xb9, 0xa4, 0xba, 0xc5]))).toEqual({ text: "工号", encoding: "gb18030" });
    const bytes = fixture("cadres-gb18030.csv");
    expect([...bytes.slice(0, 4)]).toEqual([0xb9, 0xa4, 0xba, 0xc5]);
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe("gb18030");
    expect(text.split("\r\n")[0]).toBe("工号,姓名,单位编码,职级,职务,邮箱,手机,单位负责人,任职日期");
    expect(text).toContain("管委会副主任");
  });
});

describe("reading CSV", () => {
  it("numbers rows as the spreadsheet does and drops blank ones, trailing included", () => {
    const result = readCsv(utf8('\uFEFFcode,name,kind\r\nA,甲,部门\r\n,,\r\nB,"乙,\n分",镇街\r\n\r\n\r\n'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.headers).toEqual(["code", "name", "kind"]);
    expect(result.table.rows).toEqual([
      { row: 2, cells: ["A", "甲", "部门"] },
      { row: 4, cells: ["B", "乙,\n分", "镇街"] },
    ]);
  });

  it("reads the GB18030 fixture", () => {
    const result = readCsv(fixture("cadres-gb18030.csv"));
    expect(result.ok && result.table.rows.map((r) => r.cells[1])).toEqual(["赵磊", "孙悦"]);
  });

  it("reports unbalanced quotes by row", () => {
    const result = readCsv(utf8('code,name,kind\nA,"甲,部门\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ messageKey: "imports.errors.csvQuotes" });
  });
});

async function workbook(rows: unknown[][], extra?: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("干部");
  for (const r of rows) sheet.addRow(r);
  extra?.(sheet);
  wb.addWorksheet("说明").addRow(["这张表不会被读取"]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("reading XLSX", () => {
  it("reads the first worksheet: numbers, dates, rich text, links and formulas as they show", async () => {
    const bytes = await workbook(
      [
        ["工号", "姓名", "手机", "任职日期", "邮箱", "单位负责人"],
        [1001, "张三", 13800138000, new Date("2024-02-29T16:00:00Z"), "zs@example.cn", true],
        [],
        [
          1002,
          { richText: [{ text: "李" }, { text: "四" }] },
          null,
          null,
          { text: "ls@example.cn", hyperlink: "mailto:ls@example.cn" },
          "否",
        ],
      ],
      (sheet) => {
        sheet.getCell("A6").value = { formula: "A2+2", result: 1003 } as ExcelJS.CellFormulaValue;
        sheet.getCell("B6").value = "王五";
      },
    );
    const result = await readXlsx(bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.headers).toEqual(["工号", "姓名", "手机", "任职日期", "邮箱", "单位负责人"]);
    expect(result.table.rows.map((r) => r.row)).toEqual([2, 4, 6]);
    const [first, second, third] = result.table.rows;
    expect(first!.cells[0]).toBe(1001);
    expect(first!.cells[2]).toBe(13800138000);
    expect((first!.cells[3] as Date).toISOString()).toBe("2024-02-29T16:00:00.000Z");
    expect(first!.cells[5]).toBe(true);
    expect(second!.cells[1]).toBe("李四");
    expect(second!.cells[4]).toBe("ls@example.cn");
    expect(third!.cells.slice(0, 2)).toEqual([1003, "王五"]);
  });

  it("refuses what is not a spreadsheet", async () => {
    expect(await readSheet("名单.xlsx", utf8("工号,姓名\n1,张三\n"))).toMatchObject({
      ok: false,
      problems: [{ row: null, messageKey: "imports.errors.unreadable" }],
    });
    expect(await readSheet("名单.xlsx", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).toMatchObject({
      ok: false,
      problems: [{ messageKey: "imports.errors.unreadable" }],
    });
    const xlsx = await workbook([["工号"], [1]]);
    expect(await readSheet("名单.csv", xlsx)).toMatchObject({ ok: false, problems: [{ messageKey: "imports.errors.xlsxNamedCsv" }] });
    expect(await readSheet("名单.xls", xlsx)).toMatchObject({ ok: false, problems: [{ messageKey: "imports.errors.fileType" }] });
    expect(await readSheet("名单.csv", new Uint8Array())).toMatchObject({
      ok: false,
      problems: [{ messageKey: "imports.errors.emptyFile" }],
    });
    expect(await readSheet("名单.csv", utf8("\r\n\r\n"))).toMatchObject({
      ok: false,
      problems: [{ messageKey: "imports.errors.emptyFile" }],
    });
  });

  it("reads an .xlsx by its extension, case aside", async () => {
    const result = await readSheet("名单.XLSX", await workbook([["工号"], ["A1"]]));
    expect(result.ok && result.table.rows).toEqual([{ row: 2, cells: ["A1"] }]);
  });
});
