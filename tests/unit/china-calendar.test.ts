import { describe, expect, it } from "vitest";
import { addWorkingDays, calendarCovers, dayInfo, isWorkingDay, workingDaysBetween } from "~/utils/china-calendar";

describe("China's working-day calendar", () => {
  it.each([
    ["2026-09-30", true, null, false], // a Wednesday
    ["2026-10-01", false, "国庆节", false], // National Day
    ["2026-10-07", false, "国庆节", false],
    ["2026-10-10", true, null, true], // a Saturday worked in lieu (调休)
    ["2026-10-11", false, null, false], // a plain Sunday
    ["2026-02-14", true, null, true], // Saturday before the Spring Festival, worked
    ["2026-02-16", false, "春节", false], // a Monday of the Spring Festival
  ])("%s: working %s, holiday %s, adjusted %s", (date, working, holiday, adjusted) => {
    expect(dayInfo(date)).toEqual({ date, working, holiday, adjustedWorkday: adjusted });
    expect(isWorkingDay(date)).toBe(working);
  });

  it.each([
    ["2026-09-30", 3, "2026-10-10"], // across National Day, landing on the adjusted Saturday
    ["2026-09-30", 1, "2026-10-08"],
    ["2026-12-04", 3, "2026-12-09"], // a Friday: the weekend does not count
    ["2026-12-05", 3, "2026-12-09"], // a Saturday rating: Monday is the first
    ["2026-02-13", 3, "2026-02-25"], // before the Spring Festival: the 14th (worked) counts, the holiday not
  ])("%s + %i working days = %s", (date, n, due) => {
    expect(addWorkingDays(date, n)).toBe(due);
  });

  it("counts working days between two dates", () => {
    expect(workingDaysBetween("2026-09-30", "2026-10-10")).toBe(3);
    expect(workingDaysBetween("2026-10-10", "2026-10-09")).toBe(0);
  });

  it("falls back to weekdays for a year whose schedule is not in the package, and says so", () => {
    const future = 2099;
    expect(calendarCovers(future)).toBe(false);
    expect(calendarCovers(2026)).toBe(true);
    expect(dayInfo("2099-01-01")).toEqual({ date: "2099-01-01", working: true, holiday: null, adjustedWorkday: false });
    expect(isWorkingDay("2099-01-03")).toBe(false); // a Saturday
  });

  it("refuses what is not a date or a positive count", () => {
    expect(() => dayInfo("2026-13-45")).toThrow();
    expect(() => addWorkingDays("2026-10-01", 0)).toThrow();
  });
});
