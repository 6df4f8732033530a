import { describe, expect, it } from "vitest";
import { RANKS } from "~db/schema/enums";
import { demoCity } from "~db/seed/demo-city";

describe("the demo city", () => {
  const city = demoCity();

  it("is the same on every machine", () => {
    expect(JSON.stringify(demoCity())).toBe(JSON.stringify(city));
  });

  it("has the size the design asks for", () => {
    expect(city.units.length).toBeGreaterThanOrEqual(110);
    expect(city.units.length).toBeLessThanOrEqual(130);
    expect(city.cadres.length).toBeGreaterThanOrEqual(1250);
    expect(city.cadres.length).toBeLessThanOrEqual(1400);
    const leading = city.cadres.filter((c) => RANKS.indexOf(c.rank) >= RANKS.indexOf("deputy_section"));
    expect(leading.length).toBeGreaterThanOrEqual(1200);
  });

  it("has units of every kind, each with exactly one head, and unique codes and staff numbers", () => {
    expect(new Set(city.units.map((u) => u.kind))).toEqual(new Set(["department", "town", "park", "enterprise", "other"]));
    for (const unit of city.units) expect(city.cadres.filter((c) => c.unitCode === unit.code && c.isHead)).toHaveLength(1);
    expect(new Set(city.units.map((u) => u.code)).size).toBe(city.units.length);
    expect(new Set(city.cadres.map((c) => c.staffNo)).size).toBe(city.cadres.length);
    const codes = new Set(city.units.map((u) => u.code));
    for (const unit of city.units) if (unit.parentCode) expect(codes.has(unit.parentCode)).toBe(true);
  });
});
