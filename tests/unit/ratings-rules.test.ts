import { describe, expect, it } from "vitest";
import { isBurst, maskPhone, normalisePhone, PublicRatingSchema, satisfiedShare, tenWorst } from "~/modules/ratings/rules";
import { parseForm } from "~/utils/forms";

describe("phones", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["138 0013 8000", "13800138000"],
    ["+86 138-0013-8000", "13800138000"],
    ["0971-1234567", "09711234567"],
    ["(010)12345678", "01012345678"],
    ["12345", null],
    ["23800138000", null],
    ["1380013800", null],
  ])("%s → %s", (input, expected) => expect(normalisePhone(input)).toBe(expected));

  it("are masked in lists", () => {
    expect(maskPhone("13800138000")).toBe("138****8000");
    expect(maskPhone(null)).toBeNull();
  });
});

describe("the public form", () => {
  const parse = (form: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) params.append(k, one);
    return parseForm(PublicRatingSchema, params);
  };
  it("drops reasons, text and phone from a 满意", () => {
    expect(parse({ choice: "satisfied", reasons: "fees", phone: "abc" })).toEqual({
      ok: true,
      data: { satisfied: true, reasons: [], comment: null, phone: null },
    });
  });
  it("takes a 不满意 with reasons (once each), a text and a normalised phone", () => {
    expect(parse({ choice: "unsatisfied", reasons: ["fees", "other", "fees"], comment: "  多收了费  ", phone: "138 0013 8000" })).toEqual({
      ok: true,
      data: { satisfied: false, reasons: ["fees", "other"], comment: "多收了费", phone: "13800138000" },
    });
  });
  it.each([
    [{ choice: "unsatisfied" }, { reasons: ["ratings.public.errors.reason"] }],
    [{ choice: "unsatisfied", reasons: "bribery" }, { reasons: ["ratings.public.errors.reason"] }],
    [{ choice: "unsatisfied", reasons: "fees", phone: "110" }, { phone: ["ratings.public.errors.phone"] }],
    [{ choice: "unsatisfied", reasons: "fees", comment: "长".repeat(501) }, { comment: ["ratings.public.errors.commentTooLong"] }],
    [{ choice: "meh" }, { choice: ["ratings.public.errors.choice"] }],
    [{}, { choice: ["ratings.public.errors.choice"] }],
  ])("refuses %j beside the field", (form, errors) => {
    const result = parse(form as Record<string, string>);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toMatchObject(errors);
  });
});

describe("bursts", () => {
  it.each([
    [29, 0, false], // below the minimum, however quiet the point
    [30, 0, true],
    [30, 6, true], // 5 × 6 = 30
    [30, 6.2, false],
    [200, 50, false], // a busy hall on a busy day
  ])("%i ratings against %d a day usually: %s", (ratings, usual, burst) => expect(isBurst(ratings, usual)).toBe(burst));
});

describe("the 十差 cut", () => {
  const unit = (code: string, confirmed: number) => ({ unitId: code.charCodeAt(0), code, confirmed });
  it("ranks by confirmed cases and keeps every unit tied at the boundary", () => {
    const list = tenWorst([unit("A", 5), unit("B", 3), unit("C", 3), unit("D", 2), unit("E", 0)], 2);
    expect(list.map((e) => [e.code, e.rank, e.tied])).toEqual([
      ["A", 1, false],
      ["B", 2, true],
      ["C", 2, true],
    ]);
  });
  it("never lists a unit without a confirmed case", () => {
    expect(tenWorst([unit("A", 0)], 10)).toEqual([]);
  });
  it("shares", () => {
    expect(satisfiedShare(3, 4)).toBe(0.75);
    expect(satisfiedShare(0, 0)).toBeNull();
  });
});
