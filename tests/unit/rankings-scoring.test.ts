import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL, ModelSpecSchema, readModelSpec, rescaledWeights, weightSum } from "~/modules/rankings/model";
import { agendaRole, agendaSlots, inTopPercent, isBottom, isTop, topPercentCutoff } from "~/modules/rankings/rules";
import {
  assignRanks,
  attendancePart,
  type CadreInput,
  combine,
  compareCodes,
  compareForRank,
  type IndicatorPart,
  minMax,
  rankChange,
  roundHalfUp,
  type Scored,
  scoreCadres,
  scoreUnits,
  type UnitInput,
} from "~/modules/rankings/scoring-oracle";

const part = (value: number | null): IndicatorPart => ({ num: null, den: null, value, weight: null, contribution: null });

describe("rounding half-up at 4 decimals", () => {
  it.each([
    [0.78125, 0.7813],
    [87.12345, 87.1235],
    [1.00005, 1.0001],
    [60.181818, 60.1818],
    [66.666666, 66.6667],
    [0.00004, 0],
    [100, 100],
    [34.5, 34.5],
  ])("%s → %s", (x, expected) => {
    expect(roundHalfUp(x, 4)).toBe(expected);
  });
});

describe("combining indicator values into a score", () => {
  const weights = { a: 0.4, b: 0.2, c: 0.3, d: 0.1 };
  it.each([
    { name: "all four apply", values: { a: 0.5, b: 3 / 27.5, c: 14 / 15, d: 1 }, score: 60.1818, used: { a: 0.4, b: 0.2, c: 0.3, d: 0.1 } },
    {
      name: "two without data: 0.2 and 0.3 become 0.4 and 0.6",
      values: { a: null, b: 0, c: 1, d: null },
      score: 60,
      used: { a: null, b: 0.4, c: 0.6, d: null },
    },
    { name: "only the assessment", values: { a: null, b: null, c: null, d: 0.5 }, score: 50, used: { a: null, b: null, c: null, d: 1 } },
    {
      name: "nothing applies: not ranked",
      values: { a: null, b: null, c: null, d: null },
      score: null,
      used: { a: null, b: null, c: null, d: null },
    },
  ])("$name", ({ values, score, used }) => {
    const parts = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, part(v)])) as Record<keyof typeof weights, IndicatorPart>;
    expect(combine(parts, weights)).toBe(score);
    expect(Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p.weight === null ? null : Number(p.weight.toFixed(6))]))).toEqual(
      used,
    );
    if (score !== null) {
      const sum = Object.values(parts).reduce((s, p) => s + (p.contribution ?? 0), 0);
      expect(roundHalfUp(sum, 4)).toBe(score);
    }
  });

  it("applicable values with no weight leave the subject unranked", () => {
    const parts = { a: part(0.9), b: part(null) };
    expect(combine(parts, { a: 0, b: 1 })).toBeNull();
  });

  it("attendance counts late arrivals with the late weight and leaves out the excused", () => {
    expect(attendancePart({ enrolled: 8, present: 4, late: 1, excused: 1 }, 0.5)).toMatchObject({ num: 4.5, den: 7, value: 4.5 / 7 });
    expect(attendancePart({ enrolled: 1, present: 0, late: 0, excused: 1 }, 0.5).value).toBeNull();
    expect(attendancePart({ enrolled: 0, present: 0, late: 0, excused: 0 }, 0.5).value).toBeNull();
  });
});

describe("min–max normalisation within a peer group", () => {
  it.each([
    { name: "spread", values: [11, 9, 5], expected: [1, 4 / 6, 0] },
    { name: "all equal: 1 for all", values: [3, 3, 3], expected: [1, 1, 1] },
    { name: "one unit: 1", values: [0], expected: [1] },
    { name: "not applicable stays so, and is not a bound", values: [null, 2, 4], expected: [null, 0, 1] },
    { name: "none applicable", values: [null, null], expected: [null, null] },
  ])("$name", ({ values, expected }) => {
    expect(minMax(values).normalised).toEqual(expected);
  });
});

describe("the order of a peer group", () => {
  const row = (score: number | null, attendance: number | null, code: string) => ({ score, attendance, code });
  it.each([
    { name: "higher score first", a: row(70, 0.1, "B"), b: row(60, 1, "A"), first: "a" },
    { name: "equal scores: higher attendance first", a: row(50, 0.8, "Z"), b: row(50, 0.9, "A"), first: "b" },
    { name: "equal scores: attendance not applicable counts lowest", a: row(50, null, "A"), b: row(50, 0, "Z"), first: "b" },
    { name: "equal scores and attendance: code ascending", a: row(50, null, "K01"), b: row(50, null, "J09"), first: "b" },
    { name: "codes compare by bytes, as PostgreSQL's C collation", a: row(1, 1, "A9"), b: row(1, 1, "A10"), first: "b" },
    { name: "not ranked comes last", a: row(null, 1, "A"), b: row(0, null, "Z"), first: "b" },
  ])("$name", ({ a, b, first }) => {
    expect(Math.sign(compareForRank(a, b))).toBe(first === "a" ? -1 : 1);
  });

  it("compares codes by code point (UTF-8 byte order), not UTF-16 units", () => {
    expect(compareCodes("a", "b")).toBeLessThan(0);
    expect(compareCodes("\uFFFF", "\u{1F600}")).toBeLessThan(0);
  });
});

describe("agenda slots and the bottom K", () => {
  it.each([
    [0, 3, 0, 0],
    [1, 3, 1, 0],
    [2, 3, 1, 1],
    [4, 3, 2, 2],
    [5, 3, 3, 2],
    [6, 3, 3, 3],
    [67, 3, 3, 3],
    [10, 1, 1, 1],
  ])("a group of %i with K=%i: top %i, bottom %i", (n, k, top, bottom) => {
    expect(agendaSlots(n, k)).toEqual({ top, bottom });
  });

  it("marks ranks as top or bottom, never both", () => {
    for (const n of [1, 2, 3, 5, 8]) {
      for (let rank = 1; rank <= n; rank++) expect(isTop(rank, n, 3) && isBottom(rank, n, 3)).toBe(false);
    }
    expect([1, 2, 3, 4, 5, 6].map((r) => isBottom(r, 6, 3))).toEqual([false, false, false, true, true, true]);
  });

  it.each([
    [3, 25, 10, true],
    [4, 25, 10, false],
    [1, 1, 10, true],
    [1, 0, 10, false],
    [10, 100, 10, true],
    [11, 100, 10, false],
  ])("rank %i of %i is in the top %i%%: %s", (rank, n, percent, expected) => {
    expect(inTopPercent(rank, n, percent)).toBe(expected);
  });

  it("states the change in rank as places gained", () => {
    expect([rankChange(5, 2), rankChange(2, 5), rankChange(3, 3), rankChange(null, 1)]).toEqual([3, -3, 0, null]);
  });
});

const cadre = (c: Partial<CadreInput> & Pick<CadreInput, "cadreId" | "staffNo">): CadreInput => ({
  unitId: 1,
  rank: "deputy_section",
  band: "section",
  enrolled: 0,
  present: 0,
  late: 0,
  excused: 0,
  hoursEarned: 0,
  hoursRequired: 22.5,
  frontlineDays: 0,
  frontlineQuota: 0,
  grade: null,
  ...c,
});

describe("the default model on hand-worked rows", () => {
  it("scores and ranks cadres", () => {
    const rows = scoreCadres(
      [
        cadre({
          cadreId: 1,
          staffNo: "A01",
          rank: "deputy_county",
          band: "leading",
          enrolled: 3,
          present: 1,
          late: 1,
          hoursEarned: 3,
          hoursRequired: 27.5,
          frontlineDays: 14,
          frontlineQuota: 15,
          grade: "good",
        }),
        cadre({
          cadreId: 2,
          staffNo: "C01",
          rank: "deputy_county",
          band: "leading",
          enrolled: 3,
          present: 3,
          hoursEarned: 5,
          hoursRequired: 27.5,
          frontlineDays: 9,
          frontlineQuota: 15,
          grade: "poor",
        }),
        cadre({
          cadreId: 3,
          staffNo: "G01",
          rank: "deputy_county",
          band: "leading",
          enrolled: 1,
          excused: 1,
          hoursRequired: 27.5,
          frontlineDays: 20,
          frontlineQuota: 15,
        }),
        cadre({
          cadreId: 4,
          staffNo: "B01",
          rank: "section",
          enrolled: 3,
          present: 2,
          excused: 1,
          hoursEarned: 5,
          frontlineDays: 3,
          grade: "fairly_good",
        }),
      ],
      DEFAULT_MODEL,
    );
    const by = Object.fromEntries(rows.map((r) => [r.code, [r.score, r.rank]]));
    expect(by).toEqual({ C01: [61.6364, 1], A01: [60.1818, 2], G01: [60, 3], B01: [74.2063, 1] });
  });

  it("scores units over their members, with min–max frontline in the group", () => {
    const units: UnitInput[] = [
      {
        unitId: 1,
        code: "D1",
        kind: "department",
        enrolled: 8,
        present: 4,
        late: 1,
        excused: 1,
        frontlineDays: 22,
        satisfied: 80,
        unsatisfied: 20,
      },
      {
        unitId: 2,
        code: "D3",
        kind: "department",
        enrolled: 1,
        present: 1,
        late: 0,
        excused: 0,
        frontlineDays: 5,
        satisfied: 30,
        unsatisfied: 10,
      },
      {
        unitId: 3,
        code: "E1",
        kind: "enterprise",
        enrolled: 0,
        present: 0,
        late: 0,
        excused: 0,
        frontlineDays: 0,
        satisfied: 0,
        unsatisfied: 0,
      },
    ];
    const members = [
      cadre({ cadreId: 1, staffNo: "A01", unitId: 1, rank: "deputy_county", band: "leading", hoursEarned: 3, hoursRequired: 27.5 }),
      cadre({ cadreId: 2, staffNo: "B01", unitId: 1, rank: "section", hoursEarned: 5 }),
      cadre({ cadreId: 3, staffNo: "E01", unitId: 2, hoursEarned: 3.5 }),
    ];
    const rows = scoreUnits(units, members, DEFAULT_MODEL);
    const d1 = rows.find((r) => r.code === "D1")!;
    expect(d1).toMatchObject({ members: 2, membersSectionUp: 2, frontlineRaw: 11, frontlineMin: 5, frontlineMax: 11, rank: 1 });
    expect(d1.parts.frontline.value).toBe(1);
    expect(rows.find((r) => r.code === "D3")!.parts.frontline.value).toBe(0);
    expect(rows.find((r) => r.code === "E1")).toMatchObject({ score: null, rank: null, members: 0 });
  });
});

describe("the scoring model", () => {
  it("is the issue's default", () => {
    expect(DEFAULT_MODEL.cadreWeights).toEqual({ attendance: 0.4, training: 0.2, frontline: 0.3, assessment: 0.1 });
    expect(DEFAULT_MODEL.unitWeights).toEqual({ attendance: 0.4, training: 0.15, frontline: 0.3, satisfaction: 0.15 });
    expect(DEFAULT_MODEL.params.gradeValues).toEqual({ good: 1, fairly_good: 0.75, average: 0.5, poor: 0 });
    expect(ModelSpecSchema.safeParse(DEFAULT_MODEL).success).toBe(true);
  });

  it.each([
    {
      name: "negative weight",
      change: { cadreWeights: { ...DEFAULT_MODEL.cadreWeights, attendance: -1 } },
      message: "rankings.validation.weight",
    },
    {
      name: "five decimals",
      change: { unitWeights: { ...DEFAULT_MODEL.unitWeights, training: 0.12345 } },
      message: "rankings.validation.decimals",
    },
    {
      name: "all zero",
      change: { unitWeights: { attendance: 0, training: 0, frontline: 0, satisfaction: 0 } },
      message: "rankings.validation.allZero",
    },
    {
      name: "late weight above 1",
      change: { params: { ...DEFAULT_MODEL.params, lateWeight: 1.5 } },
      message: "rankings.validation.unitValue",
    },
    { name: "K of 0", change: { params: { ...DEFAULT_MODEL.params, agendaSize: 0 } }, message: "rankings.validation.agendaSize" },
    {
      name: "cadre weights adding up to 1.1",
      change: { cadreWeights: { attendance: 0.4, training: 0.2, frontline: 0.3, assessment: 0.2 } },
      message: "rankings.validation.weightSum",
    },
    {
      name: "unit weights adding up to 0.9999",
      change: { unitWeights: { attendance: 0.4, training: 0.15, frontline: 0.3, satisfaction: 0.1499 } },
      message: "rankings.validation.weightSum",
    },
    {
      name: "a weight above 1",
      change: { cadreWeights: { attendance: 2, training: 0, frontline: 0, assessment: 0 } },
      message: "rankings.validation.weight",
    },
  ])("refuses $name", ({ change, message }) => {
    const result = ModelSpecSchema.safeParse({ ...DEFAULT_MODEL, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toContain(message);
  });

  it("adds weights exactly in ten-thousandths: 0.1 + 0.2 + 0.3 + 0.4 is 1", () => {
    expect(weightSum({ a: 0.1, b: 0.2, c: 0.3, d: 0.4 })).toBe(1);
    expect(
      ModelSpecSchema.safeParse({ ...DEFAULT_MODEL, cadreWeights: { attendance: 0.1, training: 0.2, frontline: 0.3, assessment: 0.4 } })
        .success,
    ).toBe(true);
  });

  it("states the weights that apply when indicators are left out", () => {
    const w = rescaledWeights(DEFAULT_MODEL.cadreWeights, ["frontline"]);
    expect(w.frontline).toBeNull();
    expect([w.attendance, w.training, w.assessment].map((x) => Number(x!.toFixed(4)))).toEqual([0.5714, 0.2857, 0.1429]);
  });

  it("reads a model stored before weights had to add up to 1 as it was stored, never as the default", () => {
    const spec = readModelSpec({ cadreWeights: { attendance: 4, training: 2, frontline: 3, assessment: 2 }, unitWeights: {}, params: {} });
    expect(spec.cadreWeights).toEqual({ attendance: 4, training: 2, frontline: 3, assessment: 2 });
  });

  it("reads a stored model that lacks newer parameters with the defaults filled in", () => {
    const spec = readModelSpec({ cadreWeights: { attendance: 1 }, unitWeights: {}, params: { gradeValues: { good: 0.9 } } });
    expect(spec.cadreWeights).toEqual({ ...DEFAULT_MODEL.cadreWeights, attendance: 1 });
    expect(spec.params.gradeValues.good).toBe(0.9);
    expect(spec.params.agendaSize).toBe(3);
  });
});

describe("tied ranks (并列): competition ranking 1, 2, 2, 4", () => {
  /** Rows of one group from [code, score, attendance]; returns code → [rank, tieSize]. */
  const rank = (rows: [string, number | null, number | null][]) => {
    const scored: Scored<"attendance">[] = rows.map(([code, score, attendance], i) => ({
      id: i + 1,
      group: "g",
      code,
      score,
      rank: null,
      tieSize: null,
      parts: { attendance: part(attendance) },
    }));
    assignRanks(scored, (r) => r.parts.attendance.value);
    return Object.fromEntries(scored.map((r) => [r.code, [r.rank, r.tieSize]]));
  };

  it("rows equal on score and attendance share the rank; the next rank skips", () => {
    expect(
      rank([
        ["A", 90, 1],
        ["Z", 80, 0.5],
        ["B", 80, 0.5],
        ["C", 70, 1],
      ]),
    ).toEqual({ A: [1, 1], B: [2, 2], Z: [2, 2], C: [4, 1] });
  });

  it("an equal score with a higher attendance is not a tie; attendance not applicable ties only with itself", () => {
    expect(
      rank([
        ["A", 80, 0.9],
        ["B", 80, 0.8],
        ["C", 80, null],
        ["D", 80, null],
        ["E", 80, 0],
      ]),
    ).toEqual({ A: [1, 1], B: [2, 1], E: [3, 1], C: [4, 2], D: [4, 2] });
  });

  it("the staff number never decides a rank, whatever the input order", () => {
    const forward = rank([
      ["K01", 79.2857, 0.75],
      ["J09", 79.2857, 0.75],
      ["A00", 79.2857, 0.75],
    ]);
    expect(forward).toEqual({ K01: [1, 3], J09: [1, 3], A00: [1, 3] });
  });

  it("rows without a score stay unranked and out of every tie", () => {
    expect(
      rank([
        ["A", null, 1],
        ["B", null, 1],
        ["C", 50, 1],
      ]),
    ).toEqual({ A: [null, null], B: [null, null], C: [1, 1] });
  });

  it("scores cadres with shared ranks through the whole model", () => {
    const same = { enrolled: 4, present: 3, late: 1, hoursEarned: 10, grade: "good" as const };
    const rows = scoreCadres(
      [
        cadre({ cadreId: 1, staffNo: "S03", ...same }),
        cadre({ cadreId: 2, staffNo: "S01", ...same }),
        cadre({ cadreId: 3, staffNo: "S02" }),
      ],
      DEFAULT_MODEL,
    );
    expect(Object.fromEntries(rows.map((r) => [r.code, [r.rank, r.tieSize]]))).toEqual({ S01: [1, 2], S03: [1, 2], S02: [3, 1] });
  });
});

describe("top P% with ties: rank ≤ ⌈P × n ÷ 100⌉, a tie passes or fails whole", () => {
  it.each([
    [10, 30, 3],
    [25, 10, 3],
    [1000, 30, 300],
    [7, 50, 4],
    [0, 30, 0],
  ])("n = %i, P = %i: cut-off %i", (n, percent, cutoff) => {
    expect(topPercentCutoff(n, percent)).toBe(cutoff);
  });

  // Ten in the group, top 30% → cut-off 3. Each case: the tie's shared rank and size, and whether every
  // row of it passes. The rows of a tie share one rank, so they can only pass or fail together.
  it.each([
    { name: "tie ends at the cut-off (ranks 2–3)", rank: 2, size: 2, pass: true },
    { name: "tie starts at the cut-off (3–5)", rank: 3, size: 3, pass: true },
    { name: "tie straddles the cut-off (2–6)", rank: 2, size: 5, pass: true },
    { name: "tie starts just after the cut-off (4–5)", rank: 4, size: 2, pass: false },
    { name: "tie for first covering all (1–10)", rank: 1, size: 10, pass: true },
  ])("$name", ({ rank, size }) => {
    const passes = Array.from({ length: size }, () => inTopPercent(rank, 10, 30));
    expect(new Set(passes).size).toBe(1);
  });

  it("the demo's case: 208 section cadres tied at 225 of 1,000 all pass a 30% cut-off of 300", () => {
    expect(inTopPercent(225, 1000, 30)).toBe(true);
    // Before, they held 225–432 one by one and the cut fell inside them.
    expect([388, 389].map((place) => inTopPercent(place, 1000, 30))).toEqual([false, false]);
  });
});

describe("top and bottom K with ties: every row tied at a boundary is in", () => {
  // A group of 10 with K = 3: experience takes positions 1–3, commitments 8–10.
  it.each([
    { name: "a tie at the top boundary (3–4) presents whole", rank: 3, size: 2, role: "experience" },
    { name: "a tie inside the top (1–2)", rank: 1, size: 2, role: "experience" },
    { name: "a tie just below the top (4–5) does not", rank: 4, size: 2, role: null },
    { name: "a tie at the bottom boundary (7–8) commits whole", rank: 7, size: 2, role: "commitment" },
    { name: "a tie just above the bottom (6–7) does not", rank: 6, size: 2, role: null },
    { name: "a tie at the very bottom (9–10)", rank: 9, size: 2, role: "commitment" },
    { name: "a tie across the middle (2–8), nearer the top", rank: 2, size: 7, role: "experience" },
    { name: "a tie across the middle (4–9), nearer the bottom", rank: 4, size: 6, role: "commitment" },
    { name: "a tie across the middle (2–9), exactly in the middle: neither", rank: 2, size: 8, role: null },
  ])("$name", ({ rank, size, role }) => {
    expect(agendaRole(rank, size, 10, 3)).toBe(role);
    expect(isTop(rank, 10, 3, size)).toBe(role === "experience");
    expect(isBottom(rank, 10, 3, size)).toBe(role === "commitment");
  });

  it.each([
    {
      name: "1, 1, 1, 4: the tie for first presents, the last commits",
      ranks: [1, 1, 1, 4],
      roles: ["experience", "experience", "experience", "commitment"],
    },
    {
      name: "1, 2, 2, 2: the first presents, the tie for last commits",
      ranks: [1, 2, 2, 2],
      roles: ["experience", "commitment", "commitment", "commitment"],
    },
    { name: "all four tied: nobody is better or worse", ranks: [1, 1, 1, 1], roles: [null, null, null, null] },
    { name: "1, 2, 2 in three: the tie for last commits", ranks: [1, 2, 2], roles: ["experience", "commitment", "commitment"] },
  ])("small groups: $name", ({ ranks, roles }) => {
    const size = (r: number) => ranks.filter((x) => x === r).length;
    expect(ranks.map((r) => agendaRole(r, size(r), ranks.length, 3))).toEqual(roles);
  });

  it("without ties the slots are the old ones", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => agendaRole(r, 1, 7, 3))).toEqual([
      "experience",
      "experience",
      "experience",
      null,
      "commitment",
      "commitment",
      "commitment",
    ]);
  });
});
