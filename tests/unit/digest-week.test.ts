import { describe, expect, it } from "vitest";
import {
  compareWeeks,
  formatIsoWeek,
  isoWeekOf,
  isoWeekOfDate,
  parseIsoWeek,
  shiftWeek,
  weekBounds,
  weekMonday,
  weeksInYear,
} from "~/utils/dates";

describe("ISO weeks in Asia/Shanghai", () => {
  it.each([
    ["2026-11-16", "2026-W47"],
    ["2026-11-22", "2026-W47"],
    ["2026-11-23", "2026-W48"],
    // 1 January 2026 is a Thursday: week 1 starts on Monday 29 December 2025.
    ["2025-12-29", "2026-W01"],
    ["2026-01-01", "2026-W01"],
    ["2025-12-28", "2025-W52"],
    // 2026 has 53 weeks: its last runs into 2027.
    ["2026-12-28", "2026-W53"],
    ["2027-01-03", "2026-W53"],
    ["2027-01-04", "2027-W01"],
    // 1 January 2027 is a Friday, so it belongs to the last week of 2026.
    ["2027-01-01", "2026-W53"],
    ["2021-01-03", "2020-W53"],
    ["2024-12-30", "2025-W01"],
  ])("%s is in %s", (date, week) => {
    expect(formatIsoWeek(isoWeekOfDate(date))).toBe(week);
  });

  it("knows which years have a 53rd week", () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 });
    expect(parseIsoWeek("2027-W53")).toBeNull();
  });

  it("parses what people type and refuses what is not a week", () => {
    expect(parseIsoWeek("2026-W47")).toEqual({ year: 2026, week: 47 });
    expect(parseIsoWeek(" 2026w47 ")).toEqual({ year: 2026, week: 47 });
    for (const bad of ["2026-W00", "2026-W54", "2026-47", "2026-W7", "W47", "", "1999-W10", "2026-W47x", undefined, 47]) {
      expect(parseIsoWeek(bad)).toBeNull();
    }
    expect(formatIsoWeek({ year: 2027, week: 1 })).toBe("2027-W01");
  });

  it("bounds a week by Monday 00:00 +08:00, the next Monday excluded", () => {
    const w47 = weekBounds({ year: 2026, week: 47 });
    expect(w47.firstDay).toBe("2026-11-16");
    expect(w47.lastDay).toBe("2026-11-22");
    expect(w47.start.toISOString()).toBe("2026-11-15T16:00:00.000Z");
    expect(w47.end.toISOString()).toBe("2026-11-22T16:00:00.000Z");
    expect(weekMonday({ year: 2026, week: 1 })).toBe("2025-12-29");
    expect(weekMonday({ year: 2026, week: 53 })).toBe("2026-12-28");
    expect(weekMonday({ year: 2027, week: 1 })).toBe("2027-01-04");
  });

  it("takes the week of an instant on the Shanghai calendar, whatever the server's zone", () => {
    // Sunday 23:59:59 in Shanghai is still week 46; Monday 00:00 in Shanghai (Sunday 16:00 UTC) is week 47.
    expect(formatIsoWeek(isoWeekOf(new Date("2026-11-15T15:59:59Z")))).toBe("2026-W46");
    expect(formatIsoWeek(isoWeekOf(new Date("2026-11-15T16:00:00Z")))).toBe("2026-W47");
    // The Monday job at 08:00 Shanghai.
    expect(formatIsoWeek(isoWeekOf(new Date("2026-11-16T00:00:00Z")))).toBe("2026-W47");
    expect(formatIsoWeek(isoWeekOf(new Date("2027-01-03T16:00:00Z")))).toBe("2027-W01");
  });

  it("steps across year ends and compares", () => {
    expect(formatIsoWeek(shiftWeek({ year: 2027, week: 1 }, -1))).toBe("2026-W53");
    expect(formatIsoWeek(shiftWeek({ year: 2026, week: 53 }, 1))).toBe("2027-W01");
    expect(formatIsoWeek(shiftWeek({ year: 2026, week: 1 }, -1))).toBe("2025-W52");
    expect(formatIsoWeek(shiftWeek({ year: 2026, week: 47 }, -1))).toBe("2026-W46");
    expect(compareWeeks({ year: 2026, week: 53 }, { year: 2027, week: 1 })).toBeLessThan(0);
    expect(compareWeeks({ year: 2026, week: 47 }, { year: 2026, week: 47 })).toBe(0);
    expect(compareWeeks({ year: 2026, week: 48 }, { year: 2026, week: 47 })).toBeGreaterThan(0);
  });
});
