import { describe, expect, it } from "vitest";
import { assessmentWindow, windowOpen } from "~/modules/rankings/assessments.server";
import { parseGrade, parseQuarterCell } from "~/modules/rankings/import-kinds";
import {
  nextQuarter,
  normaliseQuarter,
  parseQuarter,
  previousQuarter,
  quarterEnded,
  quarterLabel,
  quarterOf,
  quarterPeriod,
  quarterRange,
} from "~/modules/rankings/quarter";
import { MeetingSchema, parseGradeSheet } from "~/modules/rankings/schema";
import { changeText, machineCsv, type RowLike, rankingTable } from "~/modules/rankings/tables";

describe("quarters", () => {
  it.each([
    ["2026Q3", "2026Q3"],
    [" 2026 q3 ", "2026Q3"],
    ["2026Q5", null],
    ["26Q1", null],
    ["", null],
  ])("%j → %j", (text, expected) => {
    expect(normaliseQuarter(text)).toBe(expected);
  });

  it.each([
    ["2026Q1", { from: "2026-01-01", to: "2026-04-01", lastDay: "2026-03-31" }],
    ["2025Q4", { from: "2025-10-01", to: "2026-01-01", lastDay: "2025-12-31" }],
    ["2024Q1", { from: "2024-01-01", to: "2024-04-01", lastDay: "2024-03-31" }],
  ])("%s covers %j", (quarter, period) => {
    expect(quarterPeriod(quarter)).toEqual(period);
  });

  it("steps across years and tells which quarter a day falls in", () => {
    expect([previousQuarter("2026Q1"), nextQuarter("2025Q4"), quarterOf("2026-09-30"), quarterOf("2026-10-01")]).toEqual([
      "2025Q4",
      "2026Q1",
      "2026Q3",
      "2026Q4",
    ]);
    expect(quarterRange("2025Q4", "2026Q3")).toEqual(["2025Q4", "2026Q1", "2026Q2", "2026Q3"]);
    expect(parseQuarter("2026Q2")).toEqual({ year: 2026, q: 2 });
  });

  it("is over from the day after its last day (Shanghai calendar dates)", () => {
    expect([quarterEnded("2026Q3", "2026-09-30"), quarterEnded("2026Q3", "2026-10-01")]).toEqual([false, true]);
  });

  it("reads as people write it", () => {
    expect(quarterLabel("2026Q3", "zh-CN")).toBe("2026年第三季度");
    expect(quarterLabel("2026Q3", "en")).toBe("2026 Q3");
  });
});

describe("the assessment window", () => {
  it("opens with the quarter and closes the given days after it", () => {
    const w = assessmentWindow("2026Q3", 15, "2026-08-10");
    expect(w).toEqual({ opensOn: "2026-07-01", closesOn: "2026-10-15", referenceDay: "2026-08-10" });
    expect([windowOpen(w, "2026-06-30"), windowOpen(w, "2026-10-15"), windowOpen(w, "2026-10-16")]).toEqual([false, true, false]);
    expect(assessmentWindow("2026Q3", 15, "2026-11-01").referenceDay).toBe("2026-09-30");
  });
});

describe("import values", () => {
  it.each([
    ["好", "good"],
    ["较好", "fairly_good"],
    ["一般", "average"],
    ["较差", "poor"],
    ["Fairly Good", "fairly_good"],
    ["poor", "poor"],
    ["优", null],
  ])("grade %j → %j", (text, grade) => {
    expect(parseGrade(text)).toBe(grade);
  });

  it.each([
    ["2026Q3", "2026Q3"],
    ["2026-Q3", "2026Q3"],
    ["2026年第三季度", "2026Q3"],
    ["2026年3季度", "2026Q3"],
    ["2026年第五季度", null],
    ["Q3", null],
  ])("quarter %j → %j", (text, quarter) => {
    expect(parseQuarterCell(text)).toBe(quarter);
  });
});

describe("forms", () => {
  it("takes the grading sheet's rows and refuses a comment without a grade", () => {
    const form = new FormData();
    form.set("grade.7", "good");
    form.set("comment.7", " 担当作为 ");
    form.set("grade.8", "");
    const ok = parseGradeSheet(form);
    expect(ok).toEqual({
      ok: true,
      entries: [
        { cadreId: 7, grade: "good", comment: "担当作为" },
        { cadreId: 8, grade: null, comment: "" },
      ],
    });
    form.set("comment.8", "没有等次");
    expect(parseGradeSheet(form)).toEqual({ ok: false, errors: { "grade.8": ["rankings.validation.gradeForComment"] } });
    form.set("grade.8", "excellent");
    expect(parseGradeSheet(form)).toEqual({ ok: false, errors: { "grade.8": ["validation.invalid"] } });
  });

  it("reads a meeting's time in Shanghai and refuses an end before the start", () => {
    const ok = MeetingSchema.safeParse({ date: "2026-10-16", startTime: "09:30", endTime: "12:00", place: "市委党校", agendaSize: "3" });
    expect(ok.success && ok.data.startsAt.toISOString()).toBe("2026-10-16T01:30:00.000Z");
    const bad = MeetingSchema.safeParse({ date: "2026-10-16", startTime: "12:00", endTime: "09:30", place: "x", agendaSize: "3" });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["endTime", "rankings.validation.endsBeforeStart"],
    ]);
  });
});

describe("tables and exports", () => {
  const rows: RowLike[] = [
    {
      id: 1,
      code: "SF001",
      name: "甲局",
      group: "department",
      score: 81.5,
      rank: 1,
      values: { attendance: 0.95, training: 0.5, frontline: 1, satisfaction: 0.9 },
      change: 2,
      top: true,
      canOpen: true,
    },
    {
      id: 2,
      code: "SF002",
      name: "乙局, 分局",
      group: "department",
      score: null,
      rank: null,
      values: { attendance: null, training: null, frontline: null, satisfaction: null },
      change: null,
    },
  ];
  const t = (key: string) => key.split(".").pop()!;

  it("writes the command line's CSV header and values in the model's order", () => {
    const csv = machineCsv("units", rows);
    expect(csv.split("\n")[0]).toBe("peer_group,rank,id,name,score,attendance_value,training_value,frontline_value,satisfaction_value");
    expect(csv.split("\n")[1]).toBe("department,1,SF001,甲局,81.5000,0.950000,0.500000,1.000000,0.900000");
    expect(csv.split("\n")[2]).toBe('department,,SF002,"乙局, 分局",,,,,');
  });

  it("builds the page's table with a link only where the reader may open the row", () => {
    const table = rankingTable("units", "2026Q3", rows, t, (r) => `/u/${r.id}`);
    expect(table.columns.map((c) => c.key)).toEqual([
      "rank",
      "code",
      "name",
      "score",
      "attendance",
      "training",
      "frontline",
      "satisfaction",
      "change",
      "note",
    ]);
    expect(table.rows[0]![2]).toEqual({ value: "甲局", href: "/u/1" });
    expect(table.rows[1]![2]).toEqual({ value: "乙局, 分局", href: undefined });
    expect(table.rows[1]![0]!.value).toBe("—");
    expect(table.rows[0]![9]!.value).toContain("top");
  });

  it("shows the change in rank with arrows", () => {
    expect([changeText(3), changeText(-2), changeText(0), changeText(null)]).toEqual(["▲3", "▼2", "—", ""]);
  });
});

describe("the demo's quarters", () => {
  it("move with the date, like the rest of the demo: the four before the quarter under way", async () => {
    const { demoQuarters } = await import("~db/seed/rankings");
    expect(demoQuarters("2026-12-07")).toEqual(["2025Q4", "2026Q1", "2026Q2", "2026Q3"]);
    expect(demoQuarters("2027-01-01")).toEqual(["2026Q1", "2026Q2", "2026Q3", "2026Q4"]);
    expect(demoQuarters("2030-06-30")).toEqual(["2029Q2", "2029Q3", "2029Q4", "2030Q1"]);
  });
});
