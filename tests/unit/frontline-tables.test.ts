import { describe, expect, it } from "vitest";
import { tableCsv } from "~/modules/frontline/export.server";
import type { UnitReport } from "~/modules/frontline/reports.server";
import { unitCadresTable, unitMonthsTable } from "~/modules/frontline/tables";
import { translator } from "~/utils/i18n";

const t = translator("zh-CN");
const report: Pick<UnitReport, "unit" | "months" | "cadres"> = {
  unit: { id: 1, name: "市教育局", code: "A" },
  months: [
    { month: "2026-03", ongoing: false, days: 12, activeCadres: 3, quotaHolders: 2, required: 10, shortCadres: 1, shortfallDays: 2 },
    { month: "2026-04", ongoing: true, days: 4, activeCadres: 1, quotaHolders: 2, required: 10, shortCadres: 2, shortfallDays: 6 },
  ],
  cadres: [
    {
      cadreId: 7,
      staffNo: "SF1",
      name: "王伟",
      rank: "deputy_county",
      unitName: "市教育局",
      quota: 5,
      days: { "2026-03": 3, "2026-04": 4 },
      shortfall: { "2026-03": 2, "2026-04": 1 },
      total: 7,
    },
    {
      cadreId: 8,
      staffNo: "=cmd",
      name: '张"三',
      rank: "section",
      unitName: "一中,东校区",
      quota: 0,
      days: { "2026-03": 9 },
      shortfall: {},
      total: 9,
    },
  ],
};

describe("report tables", () => {
  it("mark finished months that fell short in red and the month under way in amber", () => {
    const table = unitCadresTable(report, t);
    expect(table.columns.map((c) => c.label)).toEqual([
      "工号",
      "姓名",
      "单位",
      "职级",
      "每月定额",
      "2026-03",
      "2026-04",
      "合计",
      "未达标月数",
      "缺口天数",
    ]);
    const [wang] = table.rows;
    expect(wang!.map((c) => c.value)).toEqual(["SF1", "王伟", "市教育局", "副县级", 5, 3, 4, 7, 1, 2]);
    expect(wang![5]!.tone).toBe("danger");
    expect(wang![6]!.tone).toBe("warn");
    expect(wang![1]!.href).toBe("/frontline/cadres/7");
    expect(unitMonthsTable(report, t).rows[1]![0]!.value).toBe("2026-04（进行中）");
  });

  it("export as CSV with a BOM, quoting where needed and defusing formulas", () => {
    const csv = tableCsv(unitCadresTable(report, t));
    expect(csv.startsWith("\uFEFF工号,姓名,")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(`'=cmd,"张""三","一中,东校区",正科级,—,9,0,9,0,0`);
  });
});
