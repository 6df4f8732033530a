import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { clipInterval, type DateInterval, monthInterval, monthsBetween, unionDays, unionDaysByMonth } from "~/modules/frontline/days";
import {
  daysByCadre,
  daysByCadreAndCategory,
  daysByCadreAndMonth,
  daysByUnitAndCategory,
  daysByUnitAndMonth,
  daysByUnitCadreAndMonth,
  frontlineEligibility,
  quotaStanding,
} from "~/modules/frontline/days.server";
import { DEFAULT_FRONTLINE_RULES, type FrontlineRules } from "~/modules/frontline/rules";
import { addDays, dateOfDayNumber, dayNumber } from "~/utils/dates";
import { cadres, type FrontlineCategory, type FrontlineStatus, unitMemberships } from "~db/schema";
import { FRONTLINE_CATEGORIES, QUALIFYING_CATEGORIES } from "~db/schema/frontline";
import { prng } from "~db/seed/demo-city";
import { createCadre, createUnit } from "~db/seed/factories";
import { createFrontlineRecord } from "~db/seed/frontline";
import { testDatabase } from "../setup/db";

/**
 * The set-based SQL against the pure interval rules, on random records with overlaps, containment,
 * adjacency, month-spanning postings, statuses that do not count, and a transfer in the middle.
 */
const conn = await testDatabase();
const db = conn.db;

const FROM = "2025-06-01";
const TO = "2026-05-31";
const TRANSFER = "2026-03-15";
interface Rec {
  cadreId: number;
  category: FrontlineCategory;
  status: FrontlineStatus;
  start: string;
  end: string;
}
const records: Rec[] = [];
let unitX: number;
let unitY: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  unitX = (await createUnit(db, { code: "DX", name: "甲单位" })).id;
  unitY = (await createUnit(db, { code: "DY", name: "乙单位" })).id;
  const ranks = ["deputy_county", "county", "section", "deputy_section", "staff", "deputy_county"] as const;
  for (const [i, rank] of ranks.entries()) {
    ids[`c${i}`] = (await createCadre(db, { unitId: unitX, rank, staffNo: `D${i}`, since: "2024-01-01" })).id;
  }
  // c5 moves from X to Y on TRANSFER (end date exclusive), as a transfer writes it.
  await db
    .update(unitMemberships)
    .set({ endDate: TRANSFER })
    .where(and(eq(unitMemberships.cadreId, ids.c5!), isNull(unitMemberships.endDate)));
  await db.insert(unitMemberships).values({ cadreId: ids.c5!, unitId: unitY, startDate: TRANSFER });
  await db.update(cadres).set({ unitId: unitY }).where(eq(cadres.id, ids.c5!));

  const random = prng(42);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const places = new Set<string>();
  for (const cadreId of Object.values(ids)) {
    for (let i = 0; i < 40; i++) {
      const start = dateOfDayNumber(int(dayNumber("2025-05-01"), dayNumber("2026-06-10")));
      const long = random() < 0.08;
      const end = addDays(start, long ? int(20, 80) : int(0, 6));
      const r = random();
      const status: FrontlineStatus = r < 0.75 ? "verified" : r < 0.85 ? "submitted" : r < 0.95 ? "returned" : "draft";
      const category = FRONTLINE_CATEGORIES[int(0, 7)]!;
      let place = `地点${int(1, 1000)}`;
      while (places.has(`${cadreId}${place}`)) place += "+";
      places.add(`${cadreId}${place}`);
      records.push({ cadreId, category, status, start, end });
      await createFrontlineRecord(db, { cadreId, category, place, startDate: start, endDate: end, status });
    }
  }
  // The cases that are easy to get wrong, on c0: a duplicate, containment, touching records, a single day.
  const fixed: Omit<Rec, "cadreId">[] = [
    { category: "petition", status: "verified", start: "2026-01-05", end: "2026-01-09" },
    { category: "petition", status: "verified", start: "2026-01-05", end: "2026-01-09" },
    { category: "stability", status: "verified", start: "2026-01-01", end: "2026-01-31" },
    { category: "pairing", status: "verified", start: "2026-02-01", end: "2026-02-01" },
    { category: "pairing", status: "verified", start: "2026-02-02", end: "2026-02-03" },
  ];
  for (const [i, f] of fixed.entries()) {
    records.push({ cadreId: ids.c0!, ...f });
    await createFrontlineRecord(db, {
      cadreId: ids.c0!,
      category: f.category,
      place: `固定${i}`,
      startDate: f.start,
      endDate: f.end,
      status: f.status,
    });
  }
});

const verified = (cadreId: number, categories: readonly string[] = FRONTLINE_CATEGORIES) =>
  records
    .filter((r) => r.cadreId === cadreId && r.status === "verified" && categories.includes(r.category))
    .map((r) => ({ start: r.start, end: r.end }));
const period = { start: FROM, end: TO };

describe("frontline days in SQL equal the pure interval union", () => {
  it("per cadre and month, splitting records that span months and counting overlaps once", async () => {
    const rows = await daysByCadreAndMonth(db, { from: FROM, to: TO });
    for (const cadreId of Object.values(ids)) {
      const expected = Object.fromEntries(unionDaysByMonth(verified(cadreId), period));
      const actual = Object.fromEntries(rows.filter((r) => r.cadreId === cadreId).map((r) => [r.month, r.days]));
      expect(actual).toEqual(expected);
    }
  });

  it("per cadre for any period, including one that cuts records in half", async () => {
    for (const [from, to] of [
      [FROM, TO],
      ["2026-01-04", "2026-02-02"],
      ["2025-12-31", "2025-12-31"],
    ] as const) {
      const actual = await daysByCadre(db, { from, to });
      for (const cadreId of Object.values(ids)) {
        expect(actual.get(cadreId) ?? 0).toBe(unionDays(verified(cadreId), { start: from, end: to }));
      }
    }
    // The hand-made cases on their own: January is one 31-day month, February 1–3 three days.
    expect(
      (await daysByCadre(db, { from: "2026-01-01", to: "2026-01-31", cadreIds: [ids.c0!], categories: ["petition", "stability"] })).get(
        ids.c0!,
      ),
    ).toBe(31);
  });

  it("per category, each merged on its own", async () => {
    const rows = await daysByCadreAndCategory(db, { from: FROM, to: TO });
    for (const cadreId of Object.values(ids)) {
      for (const category of FRONTLINE_CATEGORIES) {
        const expected = unionDays(verified(cadreId, [category]), period);
        const actual = rows.find((r) => r.cadreId === cadreId && r.category === category)?.days ?? 0;
        expect(actual, `${cadreId} ${category}`).toBe(expected);
      }
    }
  });

  it("per unit and month, each day credited to the unit of that date", async () => {
    const membership: Record<number, { unitId: number; range: DateInterval }[]> = {};
    for (const cadreId of Object.values(ids)) membership[cadreId] = [{ unitId: unitX, range: { start: "2024-01-01", end: "2099-12-31" } }];
    membership[ids.c5!] = [
      { unitId: unitX, range: { start: "2024-01-01", end: addDays(TRANSFER, -1) } },
      { unitId: unitY, range: { start: TRANSFER, end: "2099-12-31" } },
    ];
    const expected = new Map<string, number>();
    const expectedByCadre = new Map<string, number>();
    for (const cadreId of Object.values(ids)) {
      for (const m of membership[cadreId]!) {
        const within = clipInterval(period, m.range)!;
        for (const [month, days] of unionDaysByMonth(verified(cadreId), within)) {
          expected.set(`${m.unitId}/${month}`, (expected.get(`${m.unitId}/${month}`) ?? 0) + days);
          expectedByCadre.set(`${m.unitId}/${cadreId}/${month}`, days);
        }
      }
    }
    const rows = await daysByUnitAndMonth(db, { from: FROM, to: TO, unitIds: [unitX, unitY] });
    expect(Object.fromEntries(rows.map((r) => [`${r.unitId}/${r.month}`, r.days]))).toEqual(Object.fromEntries(expected));
    const fine = await daysByUnitCadreAndMonth(db, { from: FROM, to: TO, unitIds: [unitX, unitY] });
    expect(Object.fromEntries(fine.map((r) => [`${r.unitId}/${r.cadreId}/${r.month}`, r.days]))).toEqual(
      Object.fromEntries(expectedByCadre),
    );
    // c5's March is split: before the 15th for X, from the 15th for Y.
    expect(fine.some((r) => r.cadreId === ids.c5 && r.unitId === unitY && r.month < "2026-03")).toBe(false);
    expect(fine.some((r) => r.cadreId === ids.c5 && r.unitId === unitX && r.month > "2026-03")).toBe(false);

    const byCategory = await daysByUnitAndCategory(db, { from: FROM, to: TO, unitIds: [unitX, unitY] });
    const totalX = byCategory.total.find((r) => r.unitId === unitX)!.days;
    expect(totalX).toBe([...expected].filter(([k]) => k.startsWith(`${unitX}/`)).reduce((n, [, d]) => n + d, 0));
  });

  it("the monthly quota: each cadre with a quota, their days and shortfall, in the unit of the month's end", async () => {
    const rules: FrontlineRules = { ...DEFAULT_FRONTLINE_RULES, monthlyQuota: { leading: 5, section: 2, staff: 0 } };
    const today = "2026-05-20";
    const rows = await quotaStanding(db, { unitIds: [unitX, unitY], fromMonth: "2025-06", toMonth: "2026-06", today, rules });
    const quotaOf: Record<string, number> = { c0: 5, c1: 5, c2: 2, c3: 2, c4: 0, c5: 5 };
    const months = monthsBetween("2025-06", "2026-05");
    expect(rows.some((r) => r.month === "2026-06")).toBe(false);
    for (const [key, cadreId] of Object.entries(ids)) {
      const mine = rows.filter((r) => r.cadreId === cadreId);
      if (!quotaOf[key]) {
        expect(mine).toEqual([]);
        continue;
      }
      expect(mine.map((r) => r.month)).toEqual(months);
      for (const row of mine) {
        const month = monthInterval(row.month);
        const days = unionDays(verified(cadreId), month);
        expect(row).toMatchObject({ quota: quotaOf[key], days, shortfall: Math.max(0, quotaOf[key]! - days) });
        // c5 belongs to X until February, to Y from March (in Y on 31 March).
        const unit = key === "c5" && row.month >= "2026-03" ? unitY : unitX;
        expect(row.unitId, `${key} ${row.month}`).toBe(unit);
      }
    }
  });

  it("eligibility: verified qualifying days up to the given day, against the threshold", async () => {
    const asOf = "2026-02-15";
    const all = Object.values(ids);
    const result = await frontlineEligibility(db, [...all, 99_999_999], { asOf, rules: { eligibilityMinDays: 40 } });
    for (const cadreId of all) {
      const days = unionDays(verified(cadreId, QUALIFYING_CATEGORIES), { start: "1900-01-01", end: asOf });
      expect(result.get(cadreId)).toEqual({ cadreId, days, minDays: 40, eligible: days >= 40 });
    }
    expect(result.get(99_999_999)).toEqual({ cadreId: 99_999_999, days: 0, minDays: 40, eligible: false });
    expect(new Set([...result.values()].map((r) => r.eligible)).size).toBe(2);
  });
});
