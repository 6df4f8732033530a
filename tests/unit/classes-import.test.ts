import { describe, expect, it } from "vitest";
import { sessionWhen } from "~/modules/classes/format";
import { parseImportStatus, parseWallClock } from "~/modules/classes/import-kinds";
import { parseShanghaiLocal } from "~/utils/dates";

describe("the lecture plan's cells", () => {
  it.each([
    ["2026-07-08 19:30", "2026-07-08 19:30"],
    ["2026/7/8 9:05", "2026-07-08 09:05"],
    ["2026年7月8日 19：30", "2026-07-08 19:30"],
    ["2026-02-30 19:30", null],
    ["2026-07-08 24:00", null],
    ["2026-07-08", null],
    ["19:30", null],
    ["", null],
  ])("%s reads as %s", (text, expected) => {
    expect(parseWallClock(text)).toBe(expected);
  });

  it("an XLSX date cell is the sheet's wall clock, whatever the server's time zone", () => {
    expect(parseWallClock(new Date("2026-07-08T19:30:00Z"))).toBe("2026-07-08 19:30");
    expect(parseWallClock(new Date(Number.NaN))).toBeNull();
  });

  it("wall-clock times are Asia/Shanghai", () => {
    expect(parseShanghaiLocal("2026-07-08 19:30").toISOString()).toBe("2026-07-08T11:30:00.000Z");
  });

  it.each([
    ["草稿", "draft"],
    ["发布", "published"],
    ["已发布", "published"],
    ["已结束", "closed"],
    ["Published", "published"],
    [" closed ", "closed"],
    ["已取消", null],
    ["进行中", null],
  ])("status %s is %s", (text, expected) => {
    expect(parseImportStatus(text)).toBe(expected);
  });
});

describe("how a session's time reads", () => {
  it("in Chinese and English, in Asia/Shanghai", () => {
    expect(sessionWhen("2026-11-25T11:30:00Z", "2026-11-25T13:00:00Z", "zh-CN")).toBe("2026/11/25（周三）19:30–21:00");
    expect(sessionWhen("2026-11-25T11:30:00Z", "2026-11-25T13:00:00Z", "en")).toBe("Wed 25/11/2026, 19:30–21:00");
  });

  it("names the end's date when it falls on another day", () => {
    expect(sessionWhen("2026-11-25T15:00:00Z", "2026-11-25T17:00:00Z", "zh-CN")).toBe("2026/11/25（周三）23:00–2026-11-26 01:00");
  });
});
