import { describe, expect, it } from "vitest";
import { headerKey } from "~/modules/imports/columns";
import { importKind, mapHeaders, normaliseRows } from "~/modules/imports/kinds.server";
import { templateCsv } from "~/modules/imports/templates.server";
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

  it("reports every missing required header by its Chinese name, on the header's row, and not the optional ones", () => {
    const map = mapHeaders("cadres", ["工号", "姓名", "职务"], 3);
    expect(map.problems.map((p) => [p.column, p.messageKey])).toEqual([
      ["单位编码", "imports.errors.missingHeaderOr"],
      ["职级", "imports.errors.missingHeader"],
    ]);
    expect(map.problems.every((p) => p.row === 3)).toBe(true);
    expect(map.problems[0]!.params).toEqual({ header: "单位编码 / unit_code", alternative: "单位" });
  });

  it("takes a unit's name for its code, and a roster without addresses or heads", () => {
    expect(mapHeaders("cadres", ["工号", "姓名", "单位", "职级", "职务"]).problems).toEqual([]);
  });

  it("ignores unknown columns and lists them, 序号 and 备注 quietly; refuses the same column twice", () => {
    const map = mapHeaders("units", ["序号", "单位编码", "code", "单位名称", "单位类别", "备注", "负责人电话", ""]);
    expect(map.ignored).toEqual(["负责人电话"]);
    expect(map.problems).toEqual([
      { row: 1, column: "code", messageKey: "imports.errors.duplicateHeader", params: { header: "单位编码" } },
    ]);
  });

  it("normalises header spellings, full-width ones included", () => {
    expect(headerKey("\uFEFF Staff_No ")).toBe("staffno");
    expect(headerKey("任职日期(YYYY-MM-DD)")).toBe("任职日期");
    expect(headerKey("＊工号")).toBe("工号");
    expect(headerKey("任职日期（ＹＹＹＹ－ＭＭ－ＤＤ）")).toBe("任职日期");
    expect(headerKey("ｓｔａｆｆ＿ｎｏ")).toBe("staffno");
    expect(headerKey("单位编码\u3000")).toBe("单位编码");
  });

  it("writes CSV templates with a BOM and the Chinese headers", () => {
    expect(templateCsv(importKind("units"))).toBe("\uFEFF单位编码,单位名称,上级单位编码,单位类别\r\n");
    expect(templateCsv(importKind("cadres")).split(",").slice(0, 9)).toEqual([
      "\uFEFF工号",
      "姓名",
      "单位编码",
      "单位",
      "职级",
      "职务",
      "邮箱",
      "手机",
      "单位负责人",
    ]);
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
    ["20240301", "2024-03-01"],
    ["２０２４年３月１日", "2024-03-01"],
    // An Excel day count from a cell left in General format, as a number or as text.
    [45352, "2024-03-01"],
    ["46086", "2026-03-05"],
    [46086.75, "2026-03-05"],
    [1234, null],
    ["1975.03", null],
  ] as const)("%j → %j", (cell, date) => expect(parseDate(cell)).toBe(date));

  it.each([
    ["1975.03", "1975-03-01"],
    ["1975.3", "1975-03-01"],
    ["1975年3月", "1975-03-01"],
    ["197503", "1975-03-01"],
    ["1975-03-12", "1975-03-12"],
    ["1975.13", null],
    ["1975", null],
  ] as const)("a year and month where rosters write one: %j → %j", (cell, date) => expect(parseDate(cell, { month: true })).toBe(date));

  it("reads date cells as the sheet shows them: their wall clock, not converted", () => {
    expect(parseDate(new Date("2024-03-01T00:00:00Z"))).toBe("2024-03-01");
    expect(parseDate(new Date("2024-02-29T20:00:00Z"))).toBe("2024-02-29");
    expect(parseDate(new Date("invalid"))).toBeNull();
  });
});

describe("row checks", () => {
  const cadreHeaders = ["工号", "姓名", "单位编码", "职级", "职务", "邮箱", "单位负责人", "任职日期", "备注"];

  it("normalises rows and names every problem by row, column and value; a row with problems is still handed on", () => {
    const result = normaliseRows("cadres", {
      headers: cadreHeaders,
      rows: [
        { row: 2, cells: [1001, "张三", "U1", "副科级", "科长", "ZS@Example.cn", "是", new Date("2024-03-01T00:00:00Z"), "x"] },
        { row: 3, cells: ["A2", "", "U1", "部长", "", "not-an-email", "也许", "2024-02-30", ""] },
        { row: 5, cells: ["1001", "李四", "U1", "科员", "", "zs@example.cn", "是", "", ""] },
      ],
    });
    expect(result.rows[0]).toEqual({
      row: 2,
      staffNo: "1001",
      name: "张三",
      unitCode: "U1",
      rank: "deputy_section",
      title: "科长",
      email: "zs@example.cn",
      isHead: true,
      since: "2024-03-01",
    });
    expect(result.rows.map((r) => [r.row, r.invalid ?? false])).toEqual([
      [2, false],
      [3, true],
      [5, true],
    ]);
    // The unit code of a row with other problems is still there for the database check.
    expect(result.rows[1]!.unitCode).toBe("U1");
    expect(result.problems.map((p) => [p.row, p.column, p.messageKey, p.value])).toEqual([
      [3, "姓名", "imports.errors.required", undefined],
      [3, "职级", "imports.errors.unknownRank", "部长"],
      [3, "邮箱", "imports.errors.email", "not-an-email"],
      [3, "单位负责人", "imports.errors.yesNo", "也许"],
      [3, "任职日期", "imports.errors.date", "2024-02-30"],
      [5, "工号", "imports.errors.duplicateStaffNo", "1001"],
      [5, "邮箱", "imports.errors.duplicateEmail", "zs@example.cn"],
      [5, "单位负责人", "imports.errors.twoHeads", "是"],
    ]);
    expect(result.problems.find((p) => p.messageKey === "imports.errors.duplicateStaffNo")!.params).toEqual({ value: "1001", row: 2 });
    expect(result.ignoredColumns).toEqual([]);
  });

  it("reads the roster fields as the standards code them", () => {
    const result = normaliseRows("cadres", {
      headers: ["工号", "姓名", "单位", "职级", "职务", "性别", "民族", "出生年月", "政治面貌", "学历学位", "参加工作时间", "任现职级时间"],
      rows: [
        {
          row: 2,
          cells: ["A1", "甲", "市教育局", "正科级", "科长", "女", "回", "1980.05", "中共党员", "研究生 法学硕士", "2003年7月", 43617],
        },
        { row: 3, cells: ["A2", "乙", "市教育局", "科员", "科员", "男的", "火星族", "1980.13", "党员", "大学", "", ""] },
      ],
    });
    expect(result.rows[0]).toMatchObject({
      unitCode: "",
      unitName: "市教育局",
      gender: "female",
      ethnicity: "03",
      birthDate: "1980-05-01",
      politicalStatus: "01",
      education: "10",
      degree: "master",
      workStartDate: "2003-07-01",
      rankSince: "2019-06-01",
    });
    expect(result.problems.map((p) => [p.row, p.column, p.messageKey])).toEqual([
      [3, "性别", "imports.errors.gender"],
      [3, "民族", "imports.errors.ethnicity"],
      [3, "出生年月", "imports.errors.month"],
    ]);
    expect(result.rows[1]).toMatchObject({ politicalStatus: "01", education: "20", degree: null, workStartDate: null });
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
    expect(result.rows[0]).toEqual({ row: 2, code: "A", name: "甲", kind: "department", parentCode: null });
    expect(result.rows.filter((r) => r.invalid).map((r) => r.code)).toEqual(["B", "A"]);
    expect(result.problems.map((p) => [p.row, p.column, p.messageKey])).toEqual([
      [3, "parent_code", "imports.errors.ownParent"],
      [4, "kind", "imports.errors.unknownKind"],
      [4, "code", "imports.errors.duplicateCode"],
    ]);
  });
});
