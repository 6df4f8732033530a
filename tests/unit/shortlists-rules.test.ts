import { describe, expect, it } from "vitest";
import {
  appliedRules,
  attendanceWindow,
  canonicalJson,
  completeQuartersBefore,
  decisionChanges,
  evaluationDate,
  evidenceLinks,
  isEligibleOverall,
  mayPublish,
  meetsAttendance,
  meetsFrontline,
  meetsMinRank,
  meetsNoAccountability,
  meetsTopPercent,
  meetsTrainingHours,
  nominationsCloseAt,
  nominationWindow,
  orderEntries,
  quotaAllows,
  type RuleResult,
} from "~/modules/shortlists/rules";

describe("minimum rank", () => {
  it.each([
    ["section", "section", true],
    ["deputy_section", "section", false],
    ["county", "section", true],
    ["staff", "staff", true],
    ["bureau", "deputy_bureau", true],
    ["deputy_county", "county", false],
  ] as const)("%s against at least %s → %s", (rank, min, pass) => {
    expect(meetsMinRank(rank, min)).toBe(pass);
  });
});

describe("frontline experience", () => {
  it.each([
    [90, 90, true],
    [89, 90, false],
    [91, 90, true],
    [0, 90, false],
    [0, 1, false],
  ])("%i days against %i → %s", (days, min, pass) => {
    expect(meetsFrontline(days, min)).toBe(pass);
  });
});

describe("attendance rate", () => {
  it("passes exactly at the minimum, computed as the platform computes it", () => {
    // (16 present + 1 late × 0.5 … ) 17 / 20 = 0.85 exactly at 85%.
    expect(meetsAttendance(17 / 20, 0.85)).toBe(true);
    expect(meetsAttendance((16 + 0.5 * 2) / 20, 0.85)).toBe(true);
    expect(meetsAttendance((7 + 0.5 * 1) / 10, 0.75)).toBe(true);
  });

  it("fails just below the minimum", () => {
    expect(meetsAttendance(16 / 20, 0.85)).toBe(false);
    expect(meetsAttendance(0.8499, 0.85)).toBe(false);
    expect(meetsAttendance(84 / 99, 0.85)).toBe(false);
  });

  it("fails without any expected attendance (missing data)", () => {
    expect(meetsAttendance(null, 0.01)).toBe(false);
  });

  it("a full record passes a 100% minimum", () => {
    expect(meetsAttendance(1, 1)).toBe(true);
  });
});

describe("training hours", () => {
  it.each([
    [90, 90, true],
    [89.5, 90, false],
    [110, 90, true],
    [0, 0, true],
    [0, 90, false],
    [0.1 + 0.2, 0.3, true],
  ])("%d earned against %d required → %s", (earned, required, pass) => {
    expect(meetsTrainingHours(earned, required)).toBe(pass);
  });
});

describe("top P% of the band in the last Q published rankings", () => {
  // ⌈P·n/100⌉: the top 10% of 25 are the first 3.
  it("passes at the last place inside the top P% in every ranking", () => {
    expect(
      meetsTopPercent(
        [
          { rank: 3, bandSize: 25 },
          { rank: 3, bandSize: 25 },
        ],
        10,
        2,
      ),
    ).toBe(true);
    expect(meetsTopPercent([{ rank: 10, bandSize: 100 }], 10, 1)).toBe(true);
  });

  it("fails one place below in any of them", () => {
    expect(
      meetsTopPercent(
        [
          { rank: 3, bandSize: 25 },
          { rank: 4, bandSize: 25 },
        ],
        10,
        2,
      ),
    ).toBe(false);
    expect(meetsTopPercent([{ rank: 11, bandSize: 100 }], 10, 1)).toBe(false);
  });

  it("fails when not ranked in one of them, or when fewer than Q rankings are published", () => {
    expect(
      meetsTopPercent(
        [
          { rank: 1, bandSize: 25 },
          { rank: null, bandSize: 25 },
        ],
        10,
        2,
      ),
    ).toBe(false);
    expect(meetsTopPercent([{ rank: 1, bandSize: null }], 10, 1)).toBe(false);
    expect(meetsTopPercent([{ rank: 1, bandSize: 25 }], 10, 2)).toBe(false);
    expect(meetsTopPercent([], 10, 1)).toBe(false);
  });

  it("looks only at the Q latest when given more", () => {
    expect(
      meetsTopPercent(
        [
          { rank: 1, bandSize: 10 },
          { rank: 9, bandSize: 10 },
        ],
        10,
        1,
      ),
    ).toBe(true);
  });

  it("100% passes every ranked cadre", () => {
    expect(meetsTopPercent([{ rank: 25, bandSize: 25 }], 100, 1)).toBe(true);
  });
});

describe("no accountability record", () => {
  it("passes without records standing on the evaluation date, fails with one", () => {
    expect(meetsNoAccountability([])).toBe(true);
    expect(
      meetsNoAccountability([
        {
          recordId: 1,
          kind: "admonition",
          unitId: 2,
          unitName: "甲局",
          heldOn: "2026-06-01",
          effectUntil: "2026-11-30",
          reason: "inEffect",
        },
      ]),
    ).toBe(false);
  });
});

describe("the rules a round applies", () => {
  it("keeps a fixed order and leaves out absent rules", () => {
    expect(appliedRules({})).toEqual([]);
    expect(appliedRules({ noAccountability: true, minRank: "section" })).toEqual(["minRank", "noAccountability"]);
    expect(
      appliedRules({
        topPercent: { percent: 30, quarters: 2 },
        trainingHours: { year: 2026 },
        attendance: { minRate: 0.85, quarters: 2 },
        frontline: true,
        minRank: "deputy_section",
        noAccountability: true,
      }),
    ).toEqual(["minRank", "frontline", "attendance", "trainingHours", "topPercent", "noAccountability"]);
  });

  it("makes everyone eligible when no rule applies, and needs every applied rule to pass", () => {
    expect(isEligibleOverall([])).toBe(true);
    expect(isEligibleOverall([{ pass: true }, { pass: true }])).toBe(true);
    expect(isEligibleOverall([{ pass: true }, { pass: false }])).toBe(false);
  });
});

describe("windows", () => {
  it("evaluates as of today until the deadline, then as of the deadline's date (Asia/Shanghai)", () => {
    const deadline = new Date("2026-12-20T18:00:00+08:00");
    expect(evaluationDate({ deadline }, new Date("2026-11-21T10:00:00+08:00"))).toBe("2026-11-21");
    expect(evaluationDate({ deadline }, new Date("2027-01-05T10:00:00+08:00"))).toBe("2026-12-20");
    // 23:30 UTC on the 20th is already the 21st in Shanghai.
    expect(evaluationDate({ deadline: new Date("2026-12-20T23:30:00Z") }, new Date("2027-01-05T00:00:00Z"))).toBe("2026-12-21");
    // Closed early on 1 December: the table stops moving then.
    const closed = { deadline, nominationsClosedAt: new Date("2026-12-01T09:00:00+08:00") };
    expect(evaluationDate(closed, new Date("2026-12-05T10:00:00+08:00"))).toBe("2026-12-01");
  });

  it("takes nominations until the deadline unless closed early; publishing waits for them to close", () => {
    const deadline = new Date("2026-12-20T18:00:00+08:00");
    const before = new Date("2026-12-10T10:00:00+08:00");
    const after = new Date("2026-12-21T10:00:00+08:00");
    expect(nominationWindow({ status: "open", deadline }, before)).toBe("open");
    expect(mayPublish({ status: "open", deadline }, before)).toBe(false);
    expect(nominationWindow({ status: "open", deadline }, after)).toBe("deadlinePassed");
    expect(mayPublish({ status: "open", deadline }, after)).toBe(true);
    const early = { status: "open" as const, deadline, nominationsClosedAt: new Date("2026-12-09T09:00:00+08:00") };
    expect(nominationWindow(early, before)).toBe("closedEarly");
    expect(mayPublish(early, before)).toBe(true);
    expect(nominationsCloseAt(early)).toEqual(early.nominationsClosedAt);
    expect(nominationWindow({ status: "published", deadline }, before)).toBe("published");
  });

  it("takes the Q most recent complete quarters before the evaluation date", () => {
    expect(completeQuartersBefore("2026-11-21", 2)).toEqual(["2026Q3", "2026Q2"]);
    expect(completeQuartersBefore("2026-10-01", 1)).toEqual(["2026Q3"]);
    expect(completeQuartersBefore("2026-09-30", 1)).toEqual(["2026Q2"]);
    expect(completeQuartersBefore("2026-02-01", 3)).toEqual(["2025Q4", "2025Q3", "2025Q2"]);
  });

  it("turns them into one attendance period, end exclusive", () => {
    expect(attendanceWindow("2026-11-21", 2)).toEqual({ quarters: ["2026Q3", "2026Q2"], from: "2026-04-01", to: "2026-10-01" });
    expect(attendanceWindow("2026-01-15", 1)).toEqual({ quarters: ["2025Q4"], from: "2025-10-01", to: "2026-01-01" });
  });
});

describe("nominations and the quota", () => {
  const deadline = new Date("2026-12-20T18:00:00+08:00");
  it("are taken until the deadline, not at it, and never after publication", () => {
    expect(nominationWindow({ status: "open", deadline }, new Date("2026-12-20T17:59:59+08:00"))).toBe("open");
    expect(nominationWindow({ status: "open", deadline }, deadline)).toBe("deadlinePassed");
    expect(nominationWindow({ status: "published", deadline }, new Date("2026-11-01T00:00:00+08:00"))).toBe("published");
  });

  it("lets one more in only while others are fewer than the quota", () => {
    expect(quotaAllows(0, 1)).toBe(true);
    expect(quotaAllows(11, 12)).toBe(true);
    expect(quotaAllows(12, 12)).toBe(false);
    expect(quotaAllows(13, 12)).toBe(false);
  });
});

describe("publication", () => {
  it("orders the list shortlisted, deferred, rejected, then by unit code and staff number", () => {
    const e = (decision: "shortlisted" | "deferred" | "rejected", unitCode: string, staffNo: string) => ({ decision, unitCode, staffNo });
    expect(
      orderEntries([
        e("rejected", "A", "1"),
        e("shortlisted", "B", "2"),
        e("deferred", "A", "3"),
        e("shortlisted", "A", "9"),
        e("shortlisted", "A", "10"),
      ]),
    ).toEqual([
      e("shortlisted", "A", "10"),
      e("shortlisted", "A", "9"),
      e("shortlisted", "B", "2"),
      e("deferred", "A", "3"),
      e("rejected", "A", "1"),
    ]);
  });

  it("hashes the same entries the same whatever the key order (as jsonb stores them)", () => {
    expect(canonicalJson({ b: 1, a: [{ y: null, x: "文" }], c: undefined })).toBe('{"a":[{"x":"文","y":null}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("finds what changed since a version: decisions, reasons, added and dropped cadres", () => {
    const published = [
      { cadreId: 1, decision: "shortlisted" as const, decisionReason: "好" },
      { cadreId: 2, decision: "deferred" as const, decisionReason: "等" },
      { cadreId: 3, decision: "rejected" as const, decisionReason: "否" },
    ];
    expect(
      decisionChanges(
        published,
        published.map((p) => ({ ...p })),
      ),
    ).toEqual([]);
    expect(
      decisionChanges(published, [
        { cadreId: 1, decision: "shortlisted", decisionReason: "很好" },
        { cadreId: 2, decision: "shortlisted", decisionReason: "等" },
        { cadreId: 4, decision: "deferred", decisionReason: "新" },
      ]),
    ).toEqual([
      { cadreId: 1, before: "shortlisted", after: "shortlisted", reasonChanged: true },
      { cadreId: 2, before: "deferred", after: "shortlisted", reasonChanged: false },
      { cadreId: 3, before: "rejected", after: null, reasonChanged: true },
      { cadreId: 4, before: null, after: "deferred", reasonChanged: true },
    ]);
  });
});

describe("evidence links", () => {
  const admin = { admin: true, rankingCadres: true, unitIds: [] };
  const head = { admin: false, rankingCadres: false, unitIds: [7] };
  const top: RuleResult = {
    rule: "topPercent",
    pass: false,
    percent: 30,
    quarters: 2,
    rankings: [
      { quarter: "2026Q3", rankingId: 12, version: 2, band: "section", rank: 3, bandSize: 40 },
      { quarter: "2026Q2", rankingId: 9, version: 1, band: null, rank: null, bandSize: null },
    ],
  };
  const flags: RuleResult = {
    rule: "noOpenFlag",
    pass: false,
    flags: [
      { flagId: 1, unitId: 7, unitName: "甲局", quarter: "2026Q3" },
      { flagId: 2, unitId: 8, unitName: "乙局", quarter: "2026Q3" },
    ],
  };

  it("point at the pages that show the rows behind each figure", () => {
    expect(
      evidenceLinks(5, { rule: "frontline", pass: true, days: 95, minDays: 90, asOf: "2026-11-21" }, admin).map((l) => l.href),
    ).toEqual(["/frontline/cadres/5"]);
    expect(
      evidenceLinks(
        5,
        {
          rule: "attendance",
          pass: true,
          minRate: 0.8,
          quarters: ["2026Q1", "2025Q4"],
          rate: 0.9,
          enrolled: 10,
          present: 9,
          late: 0,
          excused: 0,
          absent: 1,
        },
        admin,
      ).map((l) => l.href),
    ).toEqual(["/attendance/cadres/5?year=2025", "/attendance/cadres/5?year=2026"]);
    expect(
      evidenceLinks(5, { rule: "trainingHours", pass: false, year: 2026, earned: 30, required: 90 }, admin).map((l) => l.href),
    ).toEqual(["/attendance/cadres/5?year=2026"]);
    expect(evidenceLinks(5, top, admin).map((l) => l.href)).toEqual(["/rankings/2026Q3/cadres/5?version=2"]);
    expect(evidenceLinks(5, flags, admin).map((l) => l.href)).toEqual([
      "/rankings/flags",
      "/rankings/2026Q3/units/7",
      "/rankings/2026Q3/units/8",
    ]);
  });

  it("point at the accountability records behind the rule, for those who may read them", () => {
    const records: RuleResult = {
      rule: "noAccountability",
      pass: false,
      asOf: "2026-11-21",
      records: [
        {
          recordId: 31,
          kind: "admonition",
          unitId: 7,
          unitName: "甲局",
          heldOn: "2026-06-01",
          effectUntil: "2026-11-30",
          reason: "inEffect",
        },
        { recordId: 32, kind: "admonishment_talk", unitId: 8, unitName: "乙局", heldOn: "2026-10-20", effectUntil: null, reason: "open" },
      ],
    };
    expect(evidenceLinks(5, records, admin).map((l) => l.href)).toEqual(["/accountability/31", "/accountability/32"]);
    expect(evidenceLinks(5, records, head).map((l) => l.href)).toEqual(["/accountability/31"]);
  });

  it("leave out what the reader may not open", () => {
    expect(evidenceLinks(5, top, head)).toEqual([]);
    expect(evidenceLinks(5, flags, head).map((l) => l.href)).toEqual(["/rankings/2026Q3/units/7"]);
  });
});
