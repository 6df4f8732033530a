import { describe, expect, it } from "vitest";
import { formatRate, rateTone } from "~/modules/attendance/format";
import { logInstant, parseLogTime } from "~/modules/attendance/import-kinds";
import { resolvePeriod } from "~/modules/attendance/period";
import {
  attendanceRate,
  checkInProblem,
  classifyArrival,
  classifyViewing,
  DEFAULT_ATTENDANCE_RULES,
  isLowAttendance,
  requiredHours,
  sumViewing,
} from "~/modules/attendance/rules";

const start = new Date("2026-11-25T11:30:00Z"); // 19:30 Shanghai
const end = new Date("2026-11-25T13:00:00Z"); // 21:00, 90 minutes
const at = (minutes: number, seconds = 0) => new Date(start.getTime() + minutes * 60_000 + seconds * 1000);

describe("present or late", () => {
  it.each([
    ["half an hour early", -30, 0, "present"],
    ["at the start", 0, 0, "present"],
    ["a second before the grace ends", 9, 59, "present"],
    ["exactly at start + grace", 10, 0, "present"],
    ["a second after start + grace", 10, 1, "late"],
    ["an hour in", 60, 0, "late"],
  ] as const)("%s is %s", (_label, minutes, seconds, expected) => {
    expect(classifyArrival(at(minutes, seconds), start, 10)).toBe(expected);
  });

  it("moves with the grace period", () => {
    expect(classifyArrival(at(3), start, 0)).toBe("late");
    expect(classifyArrival(at(14), start, 15)).toBe("present");
  });
});

describe("when check-in is possible", () => {
  const session = { status: "published" as const, startsAt: start, endsAt: end };
  it.each([
    ["before the doors open", at(-61), "attendance.errors.tooEarly"],
    ["when the doors open", at(-60), null],
    ["during the session", at(45), null],
    ["at the end", end, null],
    ["after the end", new Date(end.getTime() + 1000), "attendance.errors.ended"],
  ] as const)("%s: %s", (_label, when, expected) => {
    expect(checkInProblem(session, when, 60)).toBe(expected);
  });

  it.each([
    ["draft", "attendance.errors.notOpen"],
    ["closed", "attendance.errors.closed"],
    ["cancelled", "attendance.errors.cancelled"],
  ] as const)("never for a %s session", (status, expected) => {
    expect(checkInProblem({ ...session, status }, at(5), 60)).toBe(expected);
  });
});

describe("online viewing", () => {
  const times = { startsAt: start, endsAt: end };
  const interval = (from: number, to: number) => ({ joinAt: at(from), leaveAt: at(to), minutes: null });
  const loose = (minutes: number) => ({ joinAt: null, leaveAt: null, minutes });

  it.each([
    ["one interval", [interval(0, 90)], 90],
    ["two rows added", [interval(0, 30), interval(40, 70)], 60],
    ["overlapping devices counted once", [interval(0, 50), interval(30, 80)], 80],
    ["clipped to the session", [interval(-20, 20), interval(80, 120)], 30],
    ["minutes only", [loose(45), loose(20)], 65],
    ["never more than the session", [interval(0, 90), loose(30)], 90],
    ["before the start counts nothing", [interval(-40, -10)], 0],
  ])("%s", (_label, rows, minutes) => {
    expect(sumViewing(rows, times).minutes).toBe(minutes);
  });

  it("remembers the first join", () => {
    expect(sumViewing([interval(20, 90), interval(5, 10)], times).firstJoinAt).toEqual(at(5));
    expect(sumViewing([loose(80)], times).firstJoinAt).toBeNull();
  });

  const rules = { onlineShare: 0.8, graceMinutes: 10 };
  it.each([
    ["exactly 80 % (72 of 90 minutes)", 72, at(0), "present"],
    ["just under 80 %", 71.99, at(0), "absent"],
    ["all of it, joining on time", 90, at(10), "present"],
    ["enough, but joining after the grace", 80, at(11), "late"],
    ["too little, whenever joined", 30, at(0), "absent"],
    ["enough from minutes only", 85, null, "present"],
  ] as const)("%s: %s", (_label, minutes, firstJoinAt, expected) => {
    expect(classifyViewing({ minutes, firstJoinAt }, times, rules)).toBe(expected);
  });
});

describe("the attendance rate", () => {
  it.each([
    ["all present", { enrolled: 10, present: 10, late: 0, excused: 0 }, 1],
    ["late counts half", { enrolled: 10, present: 6, late: 4, excused: 0 }, 0.8],
    ["excused leave the denominator", { enrolled: 10, present: 6, late: 2, excused: 2 }, 0.875],
    ["absences count against", { enrolled: 4, present: 1, late: 0, excused: 0 }, 0.25],
    ["nobody expected", { enrolled: 3, present: 0, late: 0, excused: 3 }, null],
    ["nothing at all", { enrolled: 0, present: 0, late: 0, excused: 0 }, null],
  ])("%s", (_label, counts, expected) => {
    expect(attendanceRate(counts, 0.5)).toBe(expected);
  });

  it("uses the late weight it is given", () => {
    expect(attendanceRate({ enrolled: 2, present: 1, late: 1, excused: 0 }, 1)).toBe(1);
    expect(attendanceRate({ enrolled: 2, present: 1, late: 1, excused: 0 }, 0)).toBe(0.5);
  });

  it("reads as a percentage with one decimal, and takes the warning tones", () => {
    expect(formatRate(0.875)).toBe("87.5%");
    expect(formatRate(2 / 3)).toBe("66.7%");
    expect(formatRate(null)).toBe("—");
    expect([rateTone(0.69, 0.7), rateTone(0.7, 0.7), rateTone(0.8, 0.7), rateTone(null, 0.7)]).toEqual(["danger", "warn", "ok", undefined]);
  });
});

describe("the yearly requirement and low attendance", () => {
  it.each([
    ["staff", 90],
    ["deputy_section", 90],
    ["section", 90],
    ["deputy_county", 110],
    ["county", 110],
    ["bureau", 110],
  ] as const)("%s: %i hours", (rank, hours) => {
    expect(requiredHours(rank, DEFAULT_ATTENDANCE_RULES)).toBe(hours);
  });

  it.each([
    ["below the threshold over a full window", 0.6, 5, true],
    ["at the threshold", 0.7, 5, false],
    ["below, but too few sessions yet", 0.2, 4, false],
    ["no rate (all excused)", null, 5, false],
  ] as const)("%s", (_label, rate, sessions, expected) => {
    expect(isLowAttendance(rate, sessions, DEFAULT_ATTENDANCE_RULES)).toBe(expected);
  });
});

describe("report periods", () => {
  it.each([
    ["the year so far by default", {}, "2026-01-01", "2026-11-21", "2026-11-22"],
    ["as typed", { from: "2026-04-01", to: "2026-06-30" }, "2026-04-01", "2026-06-30", "2026-07-01"],
    ["reversed ends swapped", { from: "2026-06-30", to: "2026-04-01" }, "2026-04-01", "2026-06-30", "2026-07-01"],
    ["nonsense ignored", { from: "2026-02-30", to: "yesterday" }, "2026-01-01", "2026-11-21", "2026-11-22"],
  ])("%s", (_label, input, from, to, queryTo) => {
    expect(resolvePeriod(input, "2026-11-21")).toEqual({ from, to, query: { from, to: queryTo } });
  });
});

describe("viewing-log times", () => {
  it.each([
    ["2026-11-25 19:31", "2026-11-25 19:31:00"],
    ["2026/11/25 19:31:05", "2026-11-25 19:31:05"],
    ["2026年11月25日 19:31", "2026-11-25 19:31:00"],
    ["19:31", "19:31:00"],
    ["", null],
    ["25 Nov", undefined],
    ["2026-02-30 19:00", undefined],
    ["24:10", undefined],
  ])("%j", (text, expected) => {
    expect(parseLogTime(text)).toBe(expected);
  });

  it("reads XLSX date cells as wall-clock time, and time-only cells as times", () => {
    expect(parseLogTime(new Date(Date.UTC(2026, 10, 25, 19, 31, 0)))).toBe("2026-11-25 19:31:00");
    expect(parseLogTime(new Date(Date.UTC(1899, 11, 30, 19, 31, 0)))).toBe("19:31:00");
  });

  it("puts times in Asia/Shanghai, a bare time on the session's day", () => {
    expect(logInstant("2026-11-25 19:31:00", "2026-11-25")).toEqual(new Date("2026-11-25T11:31:00Z"));
    expect(logInstant("19:31:00", "2026-11-25")).toEqual(new Date("2026-11-25T11:31:00Z"));
    expect(logInstant(null, "2026-11-25")).toBeNull();
  });
});
