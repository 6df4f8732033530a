import { describe, expect, it } from "vitest";
import {
  parseDegree,
  parseEducation,
  parseEducationDegree,
  parseEthnicity,
  parseGender,
  parsePoliticalStatus,
  resumeRows,
  yearMonth,
  yearsBefore,
  yearsSince,
} from "~/modules/organization/roster";

describe("roster values as departments write them", () => {
  it.each([
    ["男", "male"],
    ["女", "female"],
    [" Female ", "female"],
    ["M", "male"],
    ["男性", null],
  ] as const)("性别 %j → %j", (text, code) => expect(parseGender(text)).toBe(code));

  it.each([
    ["汉族", "01"],
    ["汉", "01"],
    ["蒙古族", "02"],
    ["蒙古", "02"],
    ["维吾尔族", "05"],
    ["01", "01"],
    ["1", "01"],
    ["Hui", "03"],
    ["穿青人", null],
  ] as const)("民族 %j → %j", (text, code) => expect(parseEthnicity(text)).toBe(code));

  it.each([
    ["中共党员", "01"],
    ["中国共产党党员", "01"],
    ["党员", "01"],
    ["中共预备党员", "02"],
    ["共青团员", "03"],
    ["团员", "03"],
    ["民盟盟员", "05"],
    ["九三学社社员", "10"],
    ["无党派人士", "12"],
    ["群众", "13"],
    ["13", "13"],
    ["党外人士", null],
  ] as const)("政治面貌 %j → %j", (text, code) => expect(parsePoliticalStatus(text)).toBe(code));

  it.each([
    ["研究生", "10"],
    ["博士研究生", "10"],
    ["中央党校研究生", "10"],
    ["大学本科", "20"],
    ["本科", "20"],
    ["大学", "20"],
    ["省委党校大学", "20"],
    ["大学专科", "30"],
    ["大专", "30"],
    ["中专", "40"],
    ["高中", "60"],
    ["初中", "70"],
    ["小学", "80"],
    ["博士后", null],
  ] as const)("学历 %j → %j", (text, code) => expect(parseEducation(text)).toBe(code));

  it.each([
    ["博士", "doctor"],
    ["法学博士", "doctor"],
    ["管理学硕士学位", "master"],
    ["学士", "bachelor"],
    ["无", null],
    ["", null],
    ["副博士", "doctor"],
    ["肄业", undefined],
  ] as const)("学位 %j → %j", (text, degree) => expect(parseDegree(text)).toBe(degree));

  it.each([
    ["大学本科 管理学学士", { education: "20", degree: "bachelor" }],
    ["研究生/法学硕士", { education: "10", degree: "master" }],
    ["硕士研究生", { education: "10", degree: null }],
    ["大专", { education: "30", degree: null }],
    ["本科、学士", { education: "20", degree: "bachelor" }],
    ["很高", null],
  ] as const)("学历学位 %j → %j", (text, both) => expect(parseEducationDegree(text)).toEqual(both));
});

describe("dates of the roster", () => {
  it("prints year and month, and counts whole years", () => {
    expect(yearMonth("1975-03-01")).toBe("1975.03");
    expect(yearMonth(null)).toBe("");
    expect(yearsSince("1980-05-20", "2026-05-19")).toBe(45);
    expect(yearsSince("1980-05-20", "2026-05-20")).toBe(46);
    expect(yearsBefore("2026-05-20", 46)).toBe("1980-05-20");
    expect(yearsBefore("2024-02-29", 1)).toBe("2023-02-28");
  });
});

describe("the résumé of the appointment form", () => {
  it("joins units and posts into stretches, oldest first, merging what did not change", () => {
    const memberships = [
      { unitName: "市财政局", startDate: null, endDate: "2019-03-01" },
      { unitName: "市教育局", startDate: "2019-03-01", endDate: null },
    ];
    const posts = [
      { title: "科长", startDate: null, endDate: "2017-06-01" },
      { title: "副局长", startDate: "2017-06-01", endDate: "2021-09-01" },
      { title: "局长", startDate: "2021-09-01", endDate: null },
    ];
    expect(resumeRows(memberships, posts)).toEqual([
      { from: null, to: "2017-06-01", unit: "市财政局", title: "科长" },
      { from: "2017-06-01", to: "2019-03-01", unit: "市财政局", title: "副局长" },
      { from: "2019-03-01", to: "2021-09-01", unit: "市教育局", title: "副局长" },
      { from: "2021-09-01", to: null, unit: "市教育局", title: "局长" },
    ]);
  });

  it("starts from the first known date when nothing is known before it", () => {
    expect(
      resumeRows(
        [{ unitName: "甲单位", startDate: "2020-01-01", endDate: null }],
        [{ title: "科员", startDate: "2020-01-01", endDate: null }],
      ),
    ).toEqual([{ from: "2020-01-01", to: null, unit: "甲单位", title: "科员" }]);
  });
});
