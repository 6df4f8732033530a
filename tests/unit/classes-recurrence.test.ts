import { describe, expect, it } from "vitest";
import { MAX_OCCURRENCES, nthWeekdayOfMonth, occurrences } from "~/modules/classes/recurrence";
import { isoWeekday, shanghaiInstant } from "~/utils/dates";
import type { Recurrence } from "~db/schema/classes";

const WED = 3;
const secondAndFourthWednesday: Recurrence = { kind: "monthly", weekday: WED, weeks: [2, 4] };

describe("series recurrence", () => {
  it("2026, the 2nd and 4th Wednesday: 24 evenings, two a month", () => {
    const dates = occurrences(secondAndFourthWednesday, "2026-01-01", "2026-12-31");
    expect(dates).toHaveLength(24);
    expect(dates.slice(0, 6)).toEqual(["2026-01-14", "2026-01-28", "2026-02-11", "2026-02-25", "2026-03-11", "2026-03-25"]);
    expect(dates.slice(-2)).toEqual(["2026-12-09", "2026-12-23"]);
    expect(dates.every((d) => isoWeekday(d) === WED)).toBe(true);
  });

  it.each<[string, Recurrence, string, string, string[]]>([
    // A month starting on a Wednesday: the 1st is the first Wednesday.
    ["2nd/4th Wed when the 1st is a Wednesday", secondAndFourthWednesday, "2026-04-01", "2026-04-30", ["2026-04-08", "2026-04-22"]],
    // The range cuts a month: only dates inside it.
    ["range starts mid-month", secondAndFourthWednesday, "2026-01-20", "2026-02-20", ["2026-01-28", "2026-02-11"]],
    ["end date is inclusive", secondAndFourthWednesday, "2026-01-01", "2026-01-14", ["2026-01-14"]],
    // Month ends: the 5th Wednesday exists only in some months; "last" always does.
    ["5th Wednesday only where it exists", { kind: "monthly", weekday: WED, weeks: [5] }, "2026-01-01", "2026-06-30", ["2026-04-29"]],
    [
      "last Wednesday of each month",
      { kind: "monthly", weekday: WED, weeks: [-1] },
      "2026-01-01",
      "2026-04-30",
      ["2026-01-28", "2026-02-25", "2026-03-25", "2026-04-29"],
    ],
    [
      "4th and last coincide once, listed once",
      { kind: "monthly", weekday: WED, weeks: [4, -1] },
      "2026-02-01",
      "2026-02-28",
      ["2026-02-25"],
    ],
    ["leap year: last Thursday of February 2024", { kind: "monthly", weekday: 4, weeks: [-1] }, "2024-02-01", "2024-02-29", ["2024-02-29"]],
    ["across the year end", secondAndFourthWednesday, "2026-12-01", "2027-01-31", ["2026-12-09", "2026-12-23", "2027-01-13", "2027-01-27"]],
    [
      "every week on Wednesday",
      { kind: "weekly", intervalWeeks: 1, weekdays: [WED] },
      "2026-02-01",
      "2026-02-28",
      ["2026-02-04", "2026-02-11", "2026-02-18", "2026-02-25"],
    ],
    // Weeks count from the Monday of the start date's week (2025-12-29), so the week of 1 January is week 0.
    [
      "every 2 weeks on Wednesday from a Thursday",
      { kind: "weekly", intervalWeeks: 2, weekdays: [WED] },
      "2026-01-01",
      "2026-02-01",
      ["2026-01-14", "2026-01-28"],
    ],
    [
      "every 2 weeks, Monday and Thursday together",
      { kind: "weekly", intervalWeeks: 2, weekdays: [1, 4] },
      "2026-01-05",
      "2026-01-25",
      ["2026-01-05", "2026-01-08", "2026-01-19", "2026-01-22"],
    ],
    [
      "weekly across a month end",
      { kind: "weekly", intervalWeeks: 1, weekdays: [5] },
      "2026-01-25",
      "2026-02-08",
      ["2026-01-30", "2026-02-06"],
    ],
    ["an empty range", secondAndFourthWednesday, "2026-03-01", "2026-02-01", []],
  ])("%s", (_, rule, from, to, expected) => {
    expect(occurrences(rule, from, to)).toEqual(expected);
  });

  it("skips the dates given as holidays", () => {
    expect(occurrences(secondAndFourthWednesday, "2026-10-01", "2026-10-31", ["2026-10-14"])).toEqual(["2026-10-28"]);
  });

  it("stops at a sane number of dates whatever the range", () => {
    expect(occurrences({ kind: "weekly", intervalWeeks: 1, weekdays: [1, 2, 3, 4, 5, 6, 7] }, "2020-01-01", "2030-12-31")).toHaveLength(
      MAX_OCCURRENCES,
    );
  });

  it.each([
    [2026, 1, WED, 1, "2026-01-07"],
    [2026, 1, WED, 4, "2026-01-28"],
    [2026, 1, WED, 5, null],
    [2026, 12, WED, 5, "2026-12-30"],
    [2026, 2, 7, -1, "2026-02-22"],
  ] as const)("the %s-%s weekday %s number %s is %s", (y, m, weekday, n, expected) => {
    expect(nthWeekdayOfMonth(y, m, weekday, n)).toBe(expected);
  });

  it("places wall-clock times in Asia/Shanghai", () => {
    expect(shanghaiInstant("2026-01-14", "19:30").toISOString()).toBe("2026-01-14T11:30:00.000Z");
    expect(shanghaiInstant("2026-01-01", "07:00").toISOString()).toBe("2025-12-31T23:00:00.000Z");
  });
});
