import { describe, expect, it } from "vitest";
import { headerKey } from "~/modules/imports/columns";
import { mapHeaders, normaliseRows, templateCsv } from "~/modules/imports/kinds.server";
import { cellText, parseDate, parseRank, parseUnitKind, parseYesNo } from "~/modules/imports/values";

describe("header mapping", () => {
  it.each([
    ["units", ["单位编码", "单位名称", "上级单位编码", "单位类别"]],
    ["units", ["code", "name", "parent_code", "kind"]],
    ["units", ["\uFEFF单位编码", " 单位名称 ", "Parent Code", "KIND"]],
    ["cadres", ["工号", "姓名", "单位编码", "职级", "职务", "邮箱", "手机", "单位负责人", "任职日期"]],
    ["cadres", ["staff_no", "name", "unit_code", "rank", "title", "email", "phone", "is_head", "since"]],
    ["cadres", ["\uFEFF*工号", "姓名", "Unit Code", "职级", "职务", "电子邮箱", "手机号码", "是否单位负责人", "任职日期（选填）"]],
  ] as const)("maps %s headers %j", (kind, headers) => {
    const map = mapHeaders(kind, [...headers]);
    expect(map.problems).toEqual([]);
    expect(Object.keys(map.index)).toHaveLength(headers.length);
    expect(map.ignored).toEqual([]);
  });

  it("keeps the header as written, for messages", () => {
    const map = mapHeaders("cadres", ["\uFEFF工号", "Name", "unit_code", "职级", "职务", "邮箱", "单位负责人"]);
    expect(map.header).toMatchObject({ staffNo: "工号", name: "Name", unitCode: "unit_code" });
    expect(map.index).toMatchObject({ staffNo: 0, name: 1, unitCode: 2 });
  });

  it("reports every missing required header by its Chinese name, and not the optional ones", () => {
    const map = mapHeaders("cadres", ["工号", "姓名", "职务"]);
    expect(map.problems.map((p) => p.column)).toEqual(["单位编码", "职级", "邮箱", "单位负责人"]);
    expect(map.problems.every((p) => p.row === 1 && p.messageKey === "imports.errors.missingHeader")).toBe(true);
  });

  it("ignores unknown columns and lists them; refuses the same column twice", () => {
    const map = mapHeaders("units", ["单位编码", "code", "单位名称", "单位类别", "备注", ""]);
    expect(map.ignored).toEqual(["备注"]);
    expect(map.problems).toEqual([
      { row: 1, column: "code", messageKey: "imports.errors.duplicateHeader", params: { header: "单位编码" } },
    ]);
  });

  it("normalises header spellings", () => {
    expect(headerKey("\uFEFF Staff_No ")).toBe("staffno");
    expect(headerKey("任职日期(YYYY-MM-DD)")).toBe("任职日期");
    expect(headerKey("＊工号")).toBe("工号");
  });

  it("writes templates with a BOM and the Chinese headers", () => {
    expect(templateCsv("cadres")).toBe("\uFEFF工号,姓名,单位编码,职级,职务,邮箱,手机,单位负责人,任职日期\r\n");
    expect(templateCsv("units")).toBe("\uFEFF单位编码,单位名称,上级单位编码,单位类别\r\n");
  });
});

describe("value mapping", () => {
  it.each([
    ["部门", "department"],
    ["镇街", "town"],
    ["街道", "town"],
    ["园区", "park"],
    ["国企", "enterprise"],
    ["其他", "other"],
    ["Enterprise", "enterprise"],
    [" department ", "department"],
    ["学校", null],
  ])("unit kind %j → %j", (text, kind) => expect(parseUnitKind(text)).toBe(kind));

  it.each([
    ["科员", "staff"],
    ["科员及以下", "staff"],
    ["副科级", "deputy_section"],
    ["正科级", "section"],
    ["副县级", "deputy_county"],
    ["副处级", "deputy_county"],
    ["正县级", "county"],
    ["副厅级", "deputy_bureau"],
    ["正厅级", "bureau"],
    ["deputy_county", "deputy_county"],
    ["Deputy Section", "deputy_section"],
    ["部长", null],
  ])("rank %j → %j", (text, rank) => expect(parseRank(text)).toBe(rank));

  it.each([
    ["是", true],
    ["否", false],
    ["Y", true],
    ["n", false],
    ["TRUE", true],
    ["false", false],
    ["1", true],
    ["0", false],
    [1, true],
    [0, false],
    [true, true],
    ["", false],
    [null, false],
    ["也许", null],
  ] as const)("是/否 %j → %j", (cell, value) => expect(parseYesNo(cell)).toBe(value));

  it("turns numbers from spreadsheets into the text people typed", () => {
    expect(cellText(1001)).toBe("1001");
    expect(cellText(13800138000)).toBe("13800138000");
    expect(cellText(1.5)).toBe("1.5");
    expect(cellText("  A01\u00A0")).toBe("A01");
    expect(cellText(null)).toBe("");
  });
});

describe("date parsing", () => {
  it.each([
    ["2024-03-01", "2024-03-01"],
    ["2024/3/1", "2024-03-01"],
    ["2024.03.01", "2024-03-01"],
    ["2024年3月1日", "2024-03-01"],
    [" 2024-12-31 ", "2024-12-31"],
    ["2024-02-29", "2024-02-29"],
    ["2023-02-29", null],
    ["2024-13-01", null],
    ["01/03/2024", null],
    ["明年", null],
    [45352, null],
  ] as const)("%j → %j", (cell, date) => expect(parseDate(cell)).toBe(date));

  it("reads XLSX date cells on the Asia/Shanghai calendar", () => {
    // Midnight in Shanghai is 16:00 UTC the day before.
    expect(parseDate(new Date("2024-02-29T16:00:00Z"))).toBe("2024-03-01");
    // exceljs gives a date-only cell as UTC midnight: still the same day in Shanghai.
    expect(parseDate(new Date("2024-03-01T00:00:00Z"))).toBe("2024-03-01");
    expect(parseDate(new Date("invalid"))).toBeNull();
  });
});

describe("row checks", () => {
  const cadreHeaders = ["工号", "姓名", "单位编码", "职级", "职务", "邮箱", "单位负责人", "任职日期", "备注"];

  it("normalises good rows and names every problem by row and column as written", () => {
    const result = normaliseRows("cadres", {
      headers: cadreHeaders,
      rows: [
        { row: 2, cells: [1001, "张三", "U1", "副科级", "科长", "ZS@Example.cn", "是", new Date("2024-02-29T16:00:00Z"), "x"] },
        { row: 3, cells: ["A2", "", "U1", "部长", "", "not-an-email", "也许", "2024-02-30", ""] },
        { row: 5, cells: ["1001", "李四", "U1", "科员", "", "zs@example.cn", "是", "", ""] },
      ],
    });
    expect(result.rows).toEqual([
      {
        row: 2,
        staffNo: "1001",
        name: "张三",
        unitCode: "U1",
        rank: "deputy_section",
        title: "科长",
        email: "zs@example.cn",
        isHead: true,
        since: "2024-03-01",
      },
    ]);
    expect(result.problems.map((p) => [p.row, p.column, p.messageKey])).toEqual([
      [3, "姓名", "imports.errors.required"],
      [3, "职级", "imports.errors.unknownRank"],
      [3, "邮箱", "imports.errors.email"],
      [3, "单位负责人", "imports.errors.yesNo"],
      [3, "任职日期", "imports.errors.date"],
      [5, "工号", "imports.errors.duplicateStaffNo"],
      [5, "邮箱", "imports.errors.duplicateEmail"],
      [5, "单位负责人", "imports.errors.twoHeads"],
    ]);
    expect(result.problems.find((p) => p.messageKey === "imports.errors.duplicateStaffNo")!.params).toEqual({ value: "1001", row: 2 });
    expect(result.ignoredColumns).toEqual(["备注"]);
  });

  it("leaves the phone alone when the file has no phone column, and clears it when the cell is empty", () => {
    const without = normaliseRows("cadres", {
      headers: cadreHeaders,
      rows: [{ row: 2, cells: ["A", "甲", "U", "科员", "", "", "否", "", ""] }],
    });
    expect(without.rows[0]).not.toHaveProperty("phone");
    const withPhone = normaliseRows("cadres", {
      headers: [...cadreHeaders, "手机"],
      rows: [{ row: 2, cells: ["A", "甲", "U", "科员", "", "", "否", "", "", ""] }],
    });
    expect(withPhone.rows[0]!.phone).toBeNull();
  });

  it("checks unit rows: kind, own parent, duplicate codes", () => {
    const result = normaliseRows("units", {
      headers: ["code", "name", "parent_code", "kind"],
      rows: [
        { row: 2, cells: ["A", "甲", "", "部门"] },
        { row: 3, cells: ["B", "乙", "B", "镇街"] },
        { row: 4, cells: ["A", "丙", "", "学校"] },
      ],
    });
    expect(result.rows).toEqual([{ row: 2, code: "A", name: "甲", kind: "department", parentCode: null }]);
    expect(result.problems.map((p) => [p.row, p.column, p.messageKey])).toEqual([
      [3, "parent_code", "imports.errors.ownParent"],
      [4, "kind", "imports.errors.unknownKind"],
      [4, "code", "imports.errors.duplicateCode"],
    ]);
    expect(result.skippedCodes).toEqual(["B", "A"]);
  });

  it("a file with headers only has no rows to import", () => {
    const result = normaliseRows("units", { headers: ["code", "name", "kind"], rows: [] });
    expect(result.problems).toEqual([{ row: null, column: null, messageKey: "imports.errors.noRows" }]);
  });
});
