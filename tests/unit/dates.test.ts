import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, shanghaiMidnight, todayInShanghai } from "~/utils/dates";

describe("Asia/Shanghai dates", () => {
  it("shows instants in Shanghai time whatever the server's zone", () => {
    expect(formatDateTime(new Date("2026-11-20T11:02:00Z"), "zh-CN")).toBe("2026/11/20 19:02");
    expect(formatDateTime(new Date("2026-11-20T16:30:00Z"), "en")).toBe("21/11/2026, 00:30");
  });

  it("leaves calendar dates alone", () => {
    expect(formatDate("2026-01-31", "zh-CN")).toBe("2026-01-31");
  });

  it("knows which day it is in Shanghai", () => {
    expect(todayInShanghai(new Date("2026-11-20T15:59:59Z"))).toBe("2026-11-20");
    expect(todayInShanghai(new Date("2026-11-20T16:00:00Z"))).toBe("2026-11-21");
    expect(shanghaiMidnight("2026-11-21").toISOString()).toBe("2026-11-20T16:00:00.000Z");
  });
});
