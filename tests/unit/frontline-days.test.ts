import { describe, expect, it } from "vitest";
import {
  addMonths,
  type DateInterval,
  intervalDays,
  mergeIntervals,
  monthInterval,
  monthsBetween,
  newDays,
  overlapDays,
  overlapsWith,
  unionDays,
  unionDaysByMonth,
} from "~/modules/frontline/days";

const iv = (start: string, end: string): DateInterval => ({ start, end });

describe("union of frontline days", () => {
  it.each([
    ["nothing", [], 0],
    ["a single day", [iv("2026-03-05", "2026-03-05")], 1],
    ["one week", [iv("2026-03-02", "2026-03-08")], 7],
    ["two apart", [iv("2026-03-01", "2026-03-03"), iv("2026-03-10", "2026-03-11")], 5],
    ["overlap counted once", [iv("2026-03-01", "2026-03-05"), iv("2026-03-04", "2026-03-08")], 8],
    ["containment", [iv("2026-03-01", "2026-03-31"), iv("2026-03-10", "2026-03-12")], 31],
    ["identical records", [iv("2026-03-01", "2026-03-03"), iv("2026-03-01", "2026-03-03")], 3],
    ["adjacent records", [iv("2026-03-01", "2026-03-03"), iv("2026-03-04", "2026-03-06")], 6],
    ["a single day inside another", [iv("2026-03-01", "2026-03-03"), iv("2026-03-02", "2026-03-02")], 3],
    ["unsorted input", [iv("2026-03-20", "2026-03-21"), iv("2026-03-01", "2026-03-02"), iv("2026-03-02", "2026-03-04")], 6],
    ["a chain of overlaps", [iv("2026-03-01", "2026-03-03"), iv("2026-03-03", "2026-03-06"), iv("2026-03-06", "2026-03-09")], 9],
    ["across a leap day", [iv("2024-02-27", "2024-03-02")], 5],
    ["across the year end", [iv("2025-12-30", "2026-01-02")], 4],
    ["an interval ending before it starts is ignored", [iv("2026-03-05", "2026-03-01")], 0],
  ])("%s", (_, intervals, days) => {
    expect(unionDays(intervals)).toBe(days);
  });

  it("merges touching and overlapping intervals into sorted, disjoint ones", () => {
    expect(
      mergeIntervals([
        iv("2026-03-10", "2026-03-12"),
        iv("2026-03-01", "2026-03-03"),
        iv("2026-03-04", "2026-03-05"),
        iv("2026-03-11", "2026-03-15"),
      ]),
    ).toEqual([iv("2026-03-01", "2026-03-05"), iv("2026-03-10", "2026-03-15")]);
  });

  it.each([
    ["inside the period", iv("2026-03-01", "2026-03-31"), 8],
    ["cut at the start", iv("2026-03-05", "2026-03-31"), 4],
    ["cut at the end", iv("2026-03-01", "2026-03-02"), 2],
    ["outside", iv("2026-04-01", "2026-04-30"), 0],
  ])("counts only days %s", (_, within, days) => {
    expect(unionDays([iv("2026-03-01", "2026-03-05"), iv("2026-03-04", "2026-03-08")], within)).toBe(days);
  });
});

describe("days by month", () => {
  it.each([
    ["a week inside a month", [iv("2026-03-09", "2026-03-15")], { "2026-03": 7 }],
    ["a record across a month end splits its days", [iv("2026-03-28", "2026-04-03")], { "2026-03": 4, "2026-04": 3 }],
    ["across February of a leap year", [iv("2024-01-30", "2024-03-01")], { "2024-01": 2, "2024-02": 29, "2024-03": 1 }],
    ["across the year end", [iv("2025-12-31", "2026-01-01")], { "2025-12": 1, "2026-01": 1 }],
    [
      "overlaps across the boundary counted once",
      [iv("2026-03-30", "2026-04-02"), iv("2026-03-31", "2026-04-05")],
      { "2026-03": 2, "2026-04": 5 },
    ],
    ["a three-month posting", [iv("2026-01-15", "2026-04-14")], { "2026-01": 17, "2026-02": 28, "2026-03": 31, "2026-04": 14 }],
  ])("%s", (_, intervals, expected) => {
    expect(Object.fromEntries(unionDaysByMonth(intervals))).toEqual(expected);
  });

  it("the months add up to the total", () => {
    const intervals = [iv("2026-01-20", "2026-02-10"), iv("2026-02-05", "2026-03-02"), iv("2026-05-01", "2026-05-01")];
    const months = [...unionDaysByMonth(intervals).values()].reduce((a, b) => a + b, 0);
    expect(months).toBe(unionDays(intervals));
  });

  it("month helpers", () => {
    expect(monthInterval("2026-02")).toEqual(iv("2026-02-01", "2026-02-28"));
    expect(monthInterval("2024-02")).toEqual(iv("2024-02-01", "2024-02-29"));
    expect(monthInterval("2026-12")).toEqual(iv("2026-12-01", "2026-12-31"));
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2025-11", 14)).toBe("2027-01");
    expect(monthsBetween("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });
});

describe("overlaps", () => {
  it.each([
    [iv("2026-03-01", "2026-03-05"), iv("2026-03-04", "2026-03-08"), 2],
    [iv("2026-03-01", "2026-03-05"), iv("2026-03-06", "2026-03-08"), 0],
    [iv("2026-03-01", "2026-03-31"), iv("2026-03-10", "2026-03-10"), 1],
    [iv("2026-03-05", "2026-03-05"), iv("2026-03-05", "2026-03-05"), 1],
  ])("%o and %o share %i days", (a, b, days) => {
    expect(overlapDays(a, b)).toBe(days);
    expect(overlapDays(b, a)).toBe(days);
  });

  it("lists the other records that share days, and what a record would add", () => {
    const record = { id: 1, ...iv("2026-04-13", "2026-04-19") };
    const others = [
      { id: 1, ...iv("2026-04-13", "2026-04-19") },
      { id: 2, ...iv("2026-04-10", "2026-04-14") },
      { id: 3, ...iv("2026-04-25", "2026-04-26") },
    ];
    expect(overlapsWith(record, others)).toEqual([{ record: others[1], days: 2, shared: iv("2026-04-13", "2026-04-14") }]);
    expect(newDays(record, [others[1]!, others[2]!])).toBe(5);
    expect(intervalDays(record)).toBe(7);
  });
});
