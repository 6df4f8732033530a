import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import { CADRE_COLUMNS } from "~/modules/imports/cadres";
import { EXAMPLE_MARK, findHeaderRow, rowRole } from "~/modules/imports/reader/layout";
import { READ_LIMITS } from "~/modules/imports/reader/limits";
import { formatFixed, numberFormat, serialToDate } from "~/modules/imports/reader/number-formats";
import { type OpenResult, openSheet } from "~/modules/imports/reader/open.server";
import type { SheetRow } from "~/modules/imports/reader/rows";
import { delimitedRows, detectDelimiter } from "~/modules/imports/reader/text.server";
import { writeZipBomb } from "../../bench/_zip-bomb";

const dir = mkdtempSync(path.join(os.tmpdir(), "luoshi-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const corpus = (name: string) => fileURLToPathSafe(new URL(`../fixtures/imports/corpus/${name}`, import.meta.url));
function fileURLToPathSafe(url: URL) {
  return decodeURIComponent(url.pathname);
}
let n = 0;
function temp(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, `${++n}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

async function read(filePath: string, fileName = path.basename(filePath), options: { sheet?: string } = {}) {
  const opened = await openSheet({ path: filePath, fileName, columns: CADRE_COLUMNS, keyField: "staffNo", ...options });
  if (!opened.ok) return { opened, rows: [] as SheetRow[] };
  const rows: SheetRow[] = [];
  try {
    for await (const r of opened.rows) rows.push(r);
  } finally {
    await opened.close();
  }
  return { opened, rows };
}
const ok = (o: OpenResult) => {
  if (!o.ok) throw new Error(JSON.stringify(o.problems));
  return o;
};

describe("text files as Excel and WPS save them", () => {
  it("reads Excel's Unicode text: UTF-16 with a BOM, tab-separated, under a title, without its footers", async () => {
    const { opened, rows } = await read(corpus("roster-unicode-text.txt"));
    const sheet = ok(opened);
    expect(sheet.layout).toMatchObject({ format: "tsv", encoding: "utf-16le", sheet: null, headerRow: 3 });
    expect(sheet.layout.headers.slice(0, 4)).toEqual(["序号", "工号", "姓名", "单位编码"]);
    expect(rows.map((r) => r.row)).toEqual([4, 5, 6]);
    expect(rows[1]!.cells.slice(1, 4)).toEqual(["CP1002", "钱晓燕", "CP-ORG"]);
    expect(sheet.skipped).toEqual([
      { row: 1, reason: "beforeHeader", text: "示范市干部花名册" },
      { row: 7, reason: "footer", text: "合计：3人" },
      { row: 8, reason: "footer", text: "制表人：组织科 审核人：李某" },
    ]);
  });

  it("reads GB18030 with title and note rows above the header and a 总计 footer", async () => {
    const { opened, rows } = await read(corpus("roster-gb18030-title.csv"));
    expect(ok(opened).layout).toMatchObject({ format: "csv", encoding: "gb18030", headerRow: 3 });
    expect(rows.map((r) => r.cells[1])).toEqual(["李秋实", "周  敏"]);
    expect(ok(opened).skipped.map((s) => [s.row, s.reason])).toEqual([
      [1, "beforeHeader"],
      [2, "beforeHeader"],
      [6, "footer"],
    ]);
  });

  it("finds full-width headers with notes and marks, and keeps what cells hold", async () => {
    const { opened, rows } = await read(corpus("roster-fullwidth-headers.csv"));
    expect(ok(opened).layout).toMatchObject({ encoding: "utf-8-bom", headerRow: 1 });
    expect(rows[0]!.cells).toEqual([
      "CP3001",
      "吴海峰",
      "CP-TOWN",
      "正科级",
      "街道党工委书记",
      "46086",
      "1976年3月",
      "1998.07",
      "wuhf@cp.example.cn",
    ]);
  });

  it("reads UTF-8 tab-separated text with quoted tabs and line breaks", async () => {
    const { opened, rows } = await read(corpus("roster-utf8.tsv"));
    expect(ok(opened).layout).toMatchObject({ format: "tsv", encoding: "utf-8" });
    expect(rows[0]!.cells.slice(4)).toEqual(["副部长\t（兼）", "山东\n青岛"]);
    // A record with a line break in a quoted cell is one row, as Excel shows it.
    expect(rows[1]!.row).toBe(3);
  });

  it("picks the separator most lines agree on, a title line aside", () => {
    expect(detectDelimiter("花名册，2026年\n工号,姓名,职级\nA,甲,科员\n")).toBe(",");
    expect(detectDelimiter("花名册，2026年\n工号\t姓名\t职级\nA\t甲,乙\t科员\n")).toBe("\t");
    expect(detectDelimiter("工号;姓名;职级\nA;甲;科员\n")).toBe(";");
  });

  it("splits rows the same however the text arrives in chunks", async () => {
    const text = 'a,"b ""quoted""\r\nline",c\r\n\r\nd,e,"f,g"\r\n"h\r\n';
    const whole = await collect(delimitedRows(chunks([text]), ",")).catch((e) => e);
    expect(whole).toMatchObject({ messageKey: "imports.errors.csvQuotes", params: { row: 4 } });
    const good = text.slice(0, -4);
    const expected = await collect(delimitedRows(chunks([good]), ","));
    expect(expected).toEqual([
      { row: 1, cells: ["a", 'b "quoted"\r\nline', "c"] },
      { row: 3, cells: ["d", "e", "f,g"] },
    ]);
    for (let size = 1; size < good.length; size++) {
      const parts = Array.from({ length: Math.ceil(good.length / size) }, (_, i) => good.slice(i * size, (i + 1) * size));
      expect(await collect(delimitedRows(chunks(parts), ","))).toEqual(expected);
    }
  });
});

describe("workbooks", () => {
  it("chooses the sheet by its headers, past an instructions sheet and a hidden one, and reads as Excel shows", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("填写说明").addRow(["请在“花名册”工作表中填写，工号必填。"]);
    wb.addWorksheet("选项", { state: "hidden" }).addRows([["工号", "姓名", "单位编码", "职级", "职务"]]);
    const sheet = wb.addWorksheet("花名册");
    sheet.addRow(["示范市干部花名册"]);
    sheet.mergeCells("A1:H1");
    sheet.addRow(["（截至2026年3月）"]);
    sheet.mergeCells("A2:H2");
    sheet.addRow(["工号", "姓名", "单位编码", "职级", "职务", "出生年月", "任职日期", "身份证号后四位"]);
    sheet.addRow([1234, "张三", "U1", "科员", "科员", 1975.1, 46086, "0012"]);
    sheet.addRow([1235, "李四", null, "科员", "科员", new Date(Date.UTC(1980, 4, 1)), null, null]);
    sheet.addRow([1236, { richText: [{ text: "王" }, { text: "五" }] }, null, "科员", { formula: "E4", result: "科员" }, null, null, null]);
    sheet.mergeCells("C4:C6");
    sheet.getColumn(1).numFmt = "000000";
    sheet.getCell("F4").numFmt = "0.00";
    sheet.addRow([]);
    sheet.addRow(["合计", null, null, "3人"]);
    const { opened, rows } = await read(temp("花名册.xlsx", new Uint8Array(await wb.xlsx.writeBuffer())));
    const read_ = ok(opened);
    expect(read_.layout).toMatchObject({ format: "xlsx", sheet: "花名册", sheets: ["填写说明", "花名册"], headerRow: 3 });
    expect(rows.map((r) => r.row)).toEqual([4, 5, 6]);
    // A code shown with leading zeros stays a code; 1975.10 stays .10; a merged unit reads down.
    expect(rows[0]!.cells.slice(0, 7)).toEqual(["001234", "张三", "U1", "科员", "科员", "1975.10", 46086]);
    expect(rows[1]!.cells[2]).toBe("U1");
    expect((rows[1]!.cells[5] as Date).toISOString()).toBe("1980-05-01T00:00:00.000Z");
    expect(rows[2]!.cells.slice(0, 5)).toEqual(["001236", "王五", "U1", "科员", "科员"]);
    expect(read_.skipped.map((s) => [s.row, s.reason, s.text])).toEqual([
      [1, "beforeHeader", "示范市干部花名册"],
      [2, "beforeHeader", "（截至2026年3月）"],
      [8, "footer", "合计 3人"],
    ]);
  });

  it("reads the sheet it is told to, and names the sheets there are when there is none of that name", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("一季度").addRows([
      ["工号", "姓名", "单位编码", "职级", "职务"],
      ["A", "甲", "U", "科员", ""],
    ]);
    wb.addWorksheet("二季度").addRows([
      ["工号", "姓名", "单位编码", "职级", "职务"],
      ["B", "乙", "U", "科员", ""],
    ]);
    const file = temp("两季度.xlsx", new Uint8Array(await wb.xlsx.writeBuffer()));
    expect((await read(file)).rows[0]!.cells[0]).toBe("A");
    expect((await read(file, undefined, { sheet: "二季度" })).rows[0]!.cells[0]).toBe("B");
    const missing = await read(file, undefined, { sheet: "三季度" });
    expect(missing.opened).toMatchObject({
      ok: false,
      problems: [{ messageKey: "imports.errors.noSuchSheet", params: { sheet: "三季度", sheets: "一季度、二季度" } }],
    });
  });

  it("reads a workbook written part by part: inline strings, phonetic guides, the 1904 calendar, ISO dates", async () => {
    const zip = new JSZip();
    zip.file("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file(
      "xl/workbook.xml",
      '<workbook xmlns:r="r"><workbookPr date1904="1"/><sheets><sheet name="名册 &amp; 备注" sheetId="1" r:id="rId7"/></sheets></workbook>',
    );
    zip.file(
      "xl/_rels/workbook.xml.rels",
      '<Relationships><Relationship Id="rId7" Target="/xl/worksheets/s.xml" Type="worksheet"/></Relationships>',
    );
    zip.file(
      "xl/sharedStrings.xml",
      '<sst><si><r><t>工</t></r><r><t xml:space="preserve">号</t></r></si><si><t>姓名</t><rPh sb="0" eb="2"><t>せいめい</t></rPh></si></sst>',
    );
    zip.file("xl/styles.xml", '<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>');
    zip.file(
      "xl/worksheets/s.xml",
      `<worksheet><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>任职日期</t></is></c><c r="D1" t="inlineStr"><is><t>出生年月</t></is></c></row>
        <row r="3"><c r="A3" t="inlineStr"><is><t>X9</t></is></c><c r="B3" t="str"><f>1+1</f><v>张&lt;三&gt;</v></c><c r="C3" s="1"><v>0</v></c><c r="D3" t="d"><v>1975-03-01T00:00:00</v></c></row>
      </sheetData></worksheet>`,
    );
    const { opened, rows } = await read(temp("parts.xlsx", await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" })));
    expect(ok(opened).layout).toMatchObject({ sheet: "名册 & 备注", headers: ["工号", "姓名", "任职日期", "出生年月"] });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells.slice(0, 2)).toEqual(["X9", "张<三>"]);
    expect((rows[0]!.cells[2] as Date).toISOString()).toBe("1904-01-01T00:00:00.000Z");
    expect((rows[0]!.cells[3] as Date).toISOString()).toBe("1975-03-01T00:00:00.000Z");
  });
});

describe("workbooks from other tools", () => {
  it("finds the parts through the relationships: another workbook name, SharedStrings capitalised, prefixed tags, no cell references", async () => {
    // As the OpenXML SDK and some WPS and online-office exports write them: the workbook is not at
    // xl/workbook.xml, part names differ in case from the relationships, every tag carries a prefix,
    // and cells and rows have no references (they count from the left and from the top).
    const zip = new JSZip();
    zip.file("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file(
      "_rels/.rels",
      '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/wb.xml"/></Relationships>',
    );
    zip.file(
      "book/wb.xml",
      '<x:workbook xmlns:x="main" xmlns:r="r"><x:sheets><x:sheet name="说明" sheetId="1" r:id="a"/><x:sheet name="花名册" sheetId="2" r:id="b"/></x:sheets></x:workbook>',
    );
    zip.file(
      "book/_rels/wb.xml.rels",
      `<Relationships>
        <Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/one.xml"/>
        <Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="./sheets/two.xml"/>
        <Relationship Id="c" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="SharedStrings.xml"/>
        <Relationship Id="d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="../book/Styles.xml"/>
        <Relationship Id="e" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.com" TargetMode="External"/>
      </Relationships>`,
    );
    zip.file(
      "book/sharedstrings.xml",
      "<x:sst><x:si><x:t>工号</x:t></x:si><x:si><x:t>姓名</x:t></x:si><x:si><x:t>填表说明：每人一行</x:t></x:si></x:sst>",
    );
    zip.file("book/styles.xml", '<x:styleSheet><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>');
    zip.file("book/sheets/one.xml", '<x:worksheet><x:sheetData><x:row><x:c t="s"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>');
    zip.file(
      "book/sheets/two.xml",
      `<x:worksheet><x:sheetData>
        <x:row><x:c t="inlineStr"><x:is><x:t>示范市干部花名册</x:t></x:is></x:c></x:row>
        <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:t>出生年月</x:t></x:is></x:c></x:row>
        <x:row><x:c t="inlineStr"><x:is><x:t>W1</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>王五</x:t></x:is></x:c><x:c s="1"><x:v>27820</x:v></x:c></x:row>
      </x:sheetData><x:mergeCells><x:mergeCell ref="A1:C1"/></x:mergeCells></x:worksheet>`,
    );
    const { opened, rows } = await read(temp("sdk.xlsx", await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" })));
    expect(ok(opened).layout).toMatchObject({
      sheet: "花名册",
      headerRow: 2,
      headers: ["工号", "姓名", "出生年月"],
      sheets: ["说明", "花名册"],
    });
    expect(rows.map((r) => r.row)).toEqual([3]);
    expect(rows[0]!.cells.slice(0, 2)).toEqual(["W1", "王五"]);
    expect((rows[0]!.cells[2] as Date).toISOString()).toBe("1976-03-01T00:00:00.000Z");
  });
});

describe("what is refused, and why", () => {
  it("says what to do with an old .xls, and refuses a file in disguise", async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    for (const name of ["花名册.xls", "花名册.et", "花名册.xlsx", "花名册.csv"]) {
      expect((await read(temp(name, ole), name)).opened).toMatchObject({
        ok: false,
        problems: [{ messageKey: "imports.errors.xlsFormat" }],
      });
    }
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("s").addRow(["工号"]);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    expect((await read(temp("名单.csv", xlsx))).opened).toMatchObject({ problems: [{ messageKey: "imports.errors.xlsxNamedCsv" }] });
    expect((await read(temp("名单.xlsx", "工号\n1\n"))).opened).toMatchObject({ problems: [{ messageKey: "imports.errors.unreadable" }] });
    expect((await read(temp("名单.xlsx", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])))).opened).toMatchObject({
      problems: [{ messageKey: "imports.errors.unreadable" }],
    });
    expect((await read(temp("名单.csv", ""))).opened).toMatchObject({ problems: [{ messageKey: "imports.errors.emptyFile" }] });
    expect((await read(temp("名单.csv", "\r\n\r\n"))).opened).toMatchObject({ problems: [{ messageKey: "imports.errors.emptyFile" }] });
    expect((await read(temp("名单.pdf", "x"))).opened).toMatchObject({ problems: [{ messageKey: "imports.errors.fileType" }] });
  });

  it("says when no row looks like the header, quoting the first", async () => {
    const { opened } = await read(temp("x.csv", "示范市花名册\n甲,乙,丙\n"));
    expect(opened).toMatchObject({
      ok: false,
      problems: [{ messageKey: "imports.errors.noHeader", params: { rows: READ_LIMITS.headerScanRows, first: "示范市花名册" } }],
    });
  });

  it("refuses a zip bomb from its unpacked size, before parsing it", async () => {
    const file = await writeZipBomb(path.join(dir, "bomb.xlsx"), 228 * 1024 * 1024);
    const { opened } = await read(file);
    expect(opened).toMatchObject({ ok: false, problems: [{ messageKey: "imports.errors.unpackedTooLarge", params: { mb: 128 } }] });
    // Writing the 228 MB bomb takes most of the time; how fast it is refused is bench:import-bomb's to say.
  }, 30_000);

  it("refuses too many rows, too many columns, a row without end", async () => {
    const many = `工号,姓名,单位编码,职级,职务\n${"A,甲,U,科员,\n".repeat(READ_LIMITS.rows + READ_LIMITS.headerScanRows + 1)}`;
    expect(await refusal(temp("多.csv", many))).toBe("imports.errors.tooManyRows");
    const wide = `工号,姓名,单位编码,职级,职务\n${"x,".repeat(READ_LIMITS.columns + 5)}\n`;
    expect(await refusal(temp("宽.csv", wide))).toBe("imports.errors.tooManyColumns");
    const long = `工号,姓名\n"${"长".repeat(READ_LIMITS.cellChars + 1)}`;
    expect(await refusal(temp("长.csv", long))).toBe("imports.errors.csvQuotes");
    // 200,000 rows read through: seconds on a busy machine, more than the unit suite's default allows.
  }, 30_000);
});

describe("where the table is", () => {
  const rows = (...lines: (string | number | null)[][]): SheetRow[] => lines.map((cells, i) => ({ row: i + 1, cells }));

  it.each([
    ["the first row", rows(["工号", "姓名", "单位编码"]), 0],
    ["under a title and a blank-ish note", rows(["干部花名册"], ["说明：工号必填"], ["工号", "姓名", "职级"]), 2],
    ["the row naming most columns", rows(["工号"], ["工号", "姓名", "职级", "职务"]), 1],
    ["English headers", rows(["roster"], ["staff_no", "name", "unit_code"]), 1],
    ["none", rows(["花名册"], ["甲", "乙"]), null],
  ] as const)("finds the header: %s", (_, given, index) => {
    expect(findHeaderRow(CADRE_COLUMNS, given)?.index ?? null).toBe(index);
  });

  const context = { keyIndex: 0, header: ["工号", "姓名", "职级"] };
  it.each([
    [["A1", "张三", "科员"], "data"],
    [["合计：3人", null, null], "footer"],
    [["", "合 计", "3"], "footer"],
    [["制表人：王某", "", "审核人：李某"], "footer"],
    [["（单位盖章）"], "footer"],
    [["注：以上数据截至3月底"], "footer"],
    [["A2", "合计", "科员"], "data"],
    [["工号", "姓名", "职级"], "repeatedHeader"],
    [["A0001", "张三", "科员", EXAMPLE_MARK], "example"],
  ] as const)("%j is %s", (cells, role) => {
    expect(rowRole([...cells], context)).toBe(role);
  });
});

describe("number formats", () => {
  it.each([
    [14, undefined, "date"],
    [31, undefined, "date"],
    [0, undefined, "general"],
    [176, "yyyy/m/d", "date"],
    [177, '[$-804]yyyy"年"m"月"', "date"],
    [178, "000000", "fixed"],
    [2, undefined, "fixed"],
    [179, "0.00_);[Red]\\(0.00\\)", "fixed"],
    [180, "General", "general"],
    [181, "0%", "general"],
  ] as const)("format %i %j is %s", (id, code, kind) => expect(numberFormat(id, code).kind).toBe(kind));

  it("writes fixed formats as Excel shows them, and day counts as dates", () => {
    expect(formatFixed(1234, { integerDigits: 6, decimals: 0 })).toBe("001234");
    expect(formatFixed(1975.1, { integerDigits: 1, decimals: 2 })).toBe("1975.10");
    expect(serialToDate(46086)?.toISOString()).toBe("2026-03-05T00:00:00.000Z");
    expect(serialToDate(1)?.toISOString()).toBe("1900-01-01T00:00:00.000Z");
    expect(serialToDate(0.8125)?.toISOString()).toBe("1899-12-30T19:30:00.000Z");
    expect(serialToDate(-1)).toBeNull();
  });
});

/** The reader refuses early (opening) or while streaming; either way, with one message. */
async function refusal(file: string): Promise<string | undefined> {
  try {
    const { opened } = await read(file);
    return opened.ok ? undefined : opened.problems[0]?.messageKey;
  } catch (error) {
    return (error as { messageKey?: string }).messageKey;
  }
}

async function* chunks(parts: string[]) {
  for (const p of parts) yield p;
}
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}
