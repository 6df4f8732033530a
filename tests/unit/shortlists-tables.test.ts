import { describe, expect, it } from "vitest";
import { renderEmail } from "~/modules/email/render.server";
import { tableCsv } from "~/modules/rankings/tables";
import type { Evaluation, VersionEntry } from "~/modules/shortlists/rules";
import { evidenceTable, listTable, ruleFigure, ruleLabel, rulesOf } from "~/modules/shortlists/tables";
import { translator } from "~/utils/i18n";
import { EMAIL_TEMPLATES } from "~emails/index";

const zh = translator("zh-CN");
const en = translator("en");

const evaluation: Evaluation = {
  cadreId: 7,
  asOf: "2026-11-21",
  eligible: false,
  results: [
    { rule: "minRank", pass: true, rank: "section", minRank: "deputy_section" },
    { rule: "frontline", pass: false, days: 89, minDays: 90, asOf: "2026-11-21" },
    {
      rule: "attendance",
      pass: true,
      minRate: 0.875,
      quarters: ["2026Q3", "2026Q2"],
      rate: 0.875,
      enrolled: 9,
      present: 7,
      late: 1,
      excused: 1,
      absent: 0,
    },
    { rule: "trainingHours", pass: false, year: 2026, earned: 31.5, required: 90 },
    {
      rule: "topPercent",
      pass: false,
      percent: 30,
      quarters: 3,
      rankings: [
        { quarter: "2026Q3", rankingId: 4, version: 1, band: "section", rank: 12, bandSize: 120 },
        { quarter: "2026Q2", rankingId: 3, version: 1, band: null, rank: null, bandSize: null },
      ],
    },
    { rule: "noOpenFlag", pass: false, flags: [{ flagId: 1, unitId: 3, unitName: "市档案馆", quarter: "2026Q3" }] },
  ],
};

describe("the figures behind each rule", () => {
  it("read as the organization department writes them", () => {
    expect(evaluation.results.map((r) => ruleFigure(r, zh))).toEqual([
      "正科级",
      "89 天（需 90 天）",
      "87.5%（应到 8 次）",
      "31.5 / 90 学时",
      "2026Q3 第 12/120 名；2026Q2 未参与排名；已发布排名仅 2 期（需 3 期）",
      "市档案馆（2026Q3）有约谈提示",
    ]);
    expect(ruleFigure(evaluation.results[1]!, en)).toBe("89 days (needs 90)");
    expect(
      ruleFigure(
        {
          rule: "attendance",
          pass: false,
          minRate: 0.8,
          quarters: ["2026Q3"],
          rate: null,
          enrolled: 0,
          present: 0,
          late: 0,
          excused: 0,
          absent: 0,
        },
        zh,
      ),
    ).toBe("无应到记录");
  });

  it("head each column with the rule and its parameters, from the round or from a frozen evaluation", () => {
    const rules = rulesOf(evaluation);
    expect(rules).toEqual({
      minRank: "deputy_section",
      frontline: true,
      attendance: { minRate: 0.875, quarters: 2 },
      trainingHours: { year: 2026 },
      topPercent: { percent: 30, quarters: 3 },
    });
    // A version frozen before accountability records keeps its flag results (and their column), but
    // "no open flag" is no longer a rule a round can state: rounds now apply noAccountability.
    expect(rulesOf({ results: [{ rule: "noAccountability", pass: true, asOf: "2026-11-21", records: [] }] })).toEqual({
      noAccountability: true,
    });
    expect(evaluation.results.map((r) => ruleLabel(r.rule, rules, zh))).toEqual([
      "职级≥副科级",
      "一线经历",
      "出勤率≥87.5%（近2个季度）",
      "2026年学时达标",
      "排名前30%（近3期）",
      "无约谈提示",
    ]);
    expect(ruleLabel("attendance", { attendance: { minRate: 0.8, quarters: 4 } }, en)).toBe("Attendance ≥ 80% (last 4 quarters)");
  });
});

describe("tables", () => {
  const row = { cadreId: 7, staffNo: "SF007", name: "王晓明", unitName: "市教育和体育局", rank: "section", evaluation, nomination: null };

  it("the eligibility table: one column per applied rule with pass/fail and the figures, then eligibility and nomination", () => {
    const table = evidenceTable(
      [row, { ...row, cadreId: 8, name: "李四", nomination: { withdrawn: true } }],
      rulesOf(evaluation),
      ["minRank", "frontline"],
      zh,
      {
        cadre: (r) => `/shortlists/1/cadres/${r.cadreId}`,
        rule: () => "/frontline/cadres/7",
      },
    );
    expect(table.columns.map((c) => c.label)).toEqual(["工号", "姓名", "单位", "职级", "职级≥副科级", "一线经历", "资格", "推荐"]);
    expect(table.rows[0]!.map((c) => c.value)).toEqual([
      "SF007",
      "王晓明",
      "市教育和体育局",
      "正科级",
      "通过 · 正科级",
      "未通过 · 89 天（需 90 天）",
      "不符合",
      "未推荐",
    ]);
    expect(table.rows[0]![5]).toMatchObject({ tone: "danger", href: "/frontline/cadres/7" });
    expect(table.rows[1]![7]!.value).toBe("已撤回");
    // The CSV is the page's table, BOM first, formulas defused.
    expect(tableCsv(table).startsWith("\uFEFF工号,姓名,单位,职级,职级≥副科级,一线经历,资格,推荐\r\nSF007,王晓明")).toBe(true);
  });

  it("the published list: decision first, the frozen figures, then the reasons in full", () => {
    const entry: VersionEntry = {
      nominationId: 1,
      cadreId: 7,
      staffNo: "SF007",
      name: "王晓明",
      unitId: 3,
      unitCode: "U03",
      unitName: "市教育和体育局",
      rank: "section",
      title: "副局长",
      decision: "deferred",
      decisionReason: "一线经历差 1 天，补足后再议",
      recommendation: "=SUM(A1)",
      overrideReason: "驻项目现场，下月补足",
      eligible: false,
      eligibleAtNomination: false,
      evaluation: { ...evaluation, results: evaluation.results.slice(0, 2) },
      nominatedByName: "刘局长",
      decidedByName: "组织部",
      decidedAt: "2026-11-20T07:00:00.000Z",
    };
    const table = listTable([entry], zh);
    expect(table.columns.map((c) => c.key)).toEqual([
      "n",
      "decision",
      "staffNo",
      "name",
      "unit",
      "rank",
      "title",
      "eligible",
      "minRank",
      "frontline",
      "decisionReason",
      "recommendation",
      "overrideReason",
    ]);
    expect(table.rows[0]!.map((c) => c.value)).toEqual([
      1,
      "暂缓",
      "SF007",
      "王晓明",
      "市教育和体育局",
      "正科级",
      "副局长",
      "不符合",
      "通过 · 正科级",
      "未通过 · 89 天（需 90 天）",
      "一线经历差 1 天，补足后再议",
      "=SUM(A1)",
      "驻项目现场，下月补足",
    ]);
    expect(tableCsv(table)).toContain(",'=SUM(A1),");
    expect(listTable([], en).rows).toEqual([]);
  });
});

describe("the publication emails", () => {
  it("tell the department who is on the list, and a head only their own cadres' outcomes", async () => {
    const summary = await renderEmail("shortlist-summary", EMAIL_TEMPLATES["shortlist-summary"].previewProps);
    expect(summary.subject).toBe("2026 换届 敢担当善作为名单已发布");
    expect(summary.text).toContain("列入 3 人（名额 12 人），暂缓 1 人，不予列入 1 人");
    expect(summary.text).toContain("1. 王建华，市发展和改革局，正县级");
    expect(summary.text).toContain("其中 1 人为破格推荐");
    const v2 = await renderEmail("shortlist-summary", {
      ...EMAIL_TEMPLATES["shortlist-summary"].previewProps,
      version: 2,
      reason: "一人核查后暂缓",
    });
    expect(v2.subject).toBe("2026 换届 敢担当善作为名单第 2 版已发布");
    expect(v2.text).toContain("更正原因：一人核查后暂缓");

    const outcome = await renderEmail("shortlist-outcome", EMAIL_TEMPLATES["shortlist-outcome"].previewProps);
    expect(outcome.subject).toBe("2026 换届 敢担当善作为：本单位干部的结果");
    expect(outcome.text).toContain("本单位推荐的 2 名干部中，1 人列入名单");
    expect(outcome.text).toContain("李晓燕（市教育和体育局）：列入名单");
    expect(outcome.text).toContain("理由：一线经历天数尚差 12 天，待补足后再议。");
    const none = await renderEmail("shortlist-outcome", {
      ...EMAIL_TEMPLATES["shortlist-outcome"].previewProps,
      entries: EMAIL_TEMPLATES["shortlist-outcome"].previewProps.entries.filter((e) => e.decision !== "shortlisted"),
    });
    expect(none.text).toContain("本单位推荐的干部（1 人）此次未列入名单");
    expect(none.text).not.toContain("0 人列入名单");
    const english = await renderEmail("shortlist-outcome", { ...EMAIL_TEMPLATES["shortlist-outcome"].previewProps, locale: "en" });
    expect(english.text).toContain("李晓燕 (市教育和体育局): Shortlisted");
  });
});
