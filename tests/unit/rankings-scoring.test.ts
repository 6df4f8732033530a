import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL, ModelSpecSchema, readModelSpec } from "~/modules/rankings/model";
import { agendaSlots, inTopPercent } from "~/modules/rankings/rules";
import {
  attendancePart,
  type CadreInput,
  combine,
  compareCodes,
  compareForRank,
  type IndicatorPart,
  isBottom,
  isTop,
  minMax,
  rankChange,
  roundHalfUp,
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
  ])("refuses $name", ({ change, message }) => {
    const result = ModelSpecSchema.safeParse({ ...DEFAULT_MODEL, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toContain(message);
  });

  it("reads a stored model that lacks newer parameters with the defaults filled in", () => {
    const spec = readModelSpec({ cadreWeights: { attendance: 1 }, unitWeights: {}, params: { gradeValues: { good: 0.9 } } });
    expect(spec.cadreWeights).toEqual({ ...DEFAULT_MODEL.cadreWeights, attendance: 1 });
    expect(spec.params.gradeValues.good).toBe(0.9);
    expect(spec.params.agendaSize).toBe(3);
  });
});
