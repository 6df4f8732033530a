import { describe, expect, it } from "vitest";
import { addMonths, intervalDays, monthOf, overlapDays, unionDaysByMonth } from "~/modules/frontline/days";
import { RANKS } from "~db/schema/enums";
import { MAX_RECORD_DAYS } from "~db/schema/frontline";
import { demoCity } from "~db/seed/demo-city";
import { demoCadreRecords, demoFrontline } from "~db/seed/frontline";

describe("the demo city's frontline records", () => {
  const city = demoCity();
  const today = "2026-05-20";
  const records = demoFrontline(city, today);
  const unitOf = new Map(city.cadres.map((c) => [c.staffNo, c.unitCode]));
  const education = city.units.find((u) => u.name === "市教育和体育局")!;
  const educationUnits = new Set([education.code, ...city.units.filter((u) => u.parentCode === education.code).map((u) => u.code)]);
  const demoCadre = city.cadres.find((c) => c.unitCode === education.code && !c.isHead && c.rank === "deputy_section")!;

  it("are the same on every machine for a given day", () => {
    expect(JSON.stringify(demoFrontline(city, today))).toBe(JSON.stringify(records));
  });

  it("cover a year, every category and every status, within the database's rules", () => {
    expect(records.length).toBeGreaterThan(1000);
    expect(new Set(records.map((r) => r.category)).size).toBe(8);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(["draft", "submitted", "verified", "returned"]));
    const first = `${addMonths(monthOf(today), -11)}-01`;
    for (const r of records) {
      expect(r.startDate >= addMonths(first, -1) || r.startDate >= "2025-04-01").toBe(true);
      expect(r.endDate <= today).toBe(true);
      expect(r.startDate <= r.endDate).toBe(true);
      expect(intervalDays({ start: r.startDate, end: r.endDate })).toBeLessThanOrEqual(MAX_RECORD_DAYS);
    }
    const keys = records.map((r) => [r.staffNo, r.category, r.startDate, r.endDate, r.place].join("|"));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("leave the education bureau's head a queue, one record overlapping another of the same cadre", () => {
    const waiting = records.filter((r) => r.status === "submitted" && educationUnits.has(unitOf.get(r.staffNo)!));
    expect(waiting.length).toBeGreaterThanOrEqual(4);
    const overlapping = waiting.filter((w) =>
      records.some(
        (o) =>
          o !== w &&
          o.staffNo === w.staffNo &&
          o.status !== "draft" &&
          overlapDays({ start: w.startDate, end: w.endDate }, { start: o.startDate, end: o.endDate }) > 0,
      ),
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(1);
    expect(records.some((r) => r.status === "returned" && educationUnits.has(unitOf.get(r.staffNo)!))).toBe(true);
  });

  it("give a few leaders a month short of the five-day quota", () => {
    const leaders = city.cadres.filter((c) => RANKS.indexOf(c.rank) >= RANKS.indexOf("deputy_county"));
    const lastMonth = addMonths(monthOf(today), -1);
    const shortLeaders = leaders.filter((l) => {
      const mine = records
        .filter((r) => r.staffNo === l.staffNo && r.status === "verified")
        .map((r) => ({ start: r.startDate, end: r.endDate }));
      const byMonth = unionDaysByMonth(mine);
      return [...Array(11).keys()].some((i) => (byMonth.get(addMonths(lastMonth, -i)) ?? 0) < 5);
    });
    expect(shortLeaders.length).toBeGreaterThanOrEqual(2);
    expect(shortLeaders.length).toBeLessThan(leaders.length / 2);
  });

  it("give the demo cadre exactly their fixed records", () => {
    const mine = records.filter((r) => r.staffNo === demoCadre.staffNo);
    expect(mine.map(({ staffNo: _, ...r }) => r)).toEqual(demoCadreRecords(today));
  });
});
