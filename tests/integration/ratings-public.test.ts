import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { computeRanking } from "~/modules/rankings/compute.server";
import { flagBursts, reviewBurst } from "~/modules/ratings/bursts.server";
import { RATER_COOKIE } from "~/modules/ratings/device.server";
import { addPoint, ensureUnitPoints, retirePoint } from "~/modules/ratings/points.server";
import { ADDRESS_LIMIT, BURST_MIN } from "~/modules/ratings/rules";
import { submitRating } from "~/modules/ratings/submit.server";
import { action as rateAction, loader as rateLoader } from "~/routes/r.$code";
import { todayInShanghai } from "~/utils/dates";
import { auditLog, publicRatings, rankingUnitResults, ratingBursts, ratingCases, ratingPoints, satisfactionRatings } from "~db/schema";
import { createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

const satisfied = { satisfied: true, reasons: [], comment: null, phone: null };
const unhappy = (phone: string | null = null) => ({ satisfied: false, reasons: ["efficiency" as const], comment: "等了一个小时", phone });

/** A rating as the page sends it: the device's cookie (or none), from an address. */
async function rate(
  code: string,
  input: typeof satisfied | ReturnType<typeof unhappy>,
  device: { cookie?: string | null; address?: string; now?: Date } = {},
) {
  return submitRating(db, {
    code,
    input,
    cookies: device.cookie ?? null,
    address: device.address ?? "10.0.0.1",
    now: device.now,
  });
}

const cookieOf = (setCookie: string | null) => (setCookie ? setCookie.split(";")[0]! : null);

describe("rating points", () => {
  it("gives every unit its own point under its code, once", async () => {
    const unit = await createUnit(db, { code: "RP-A", name: "甲局" });
    expect(await ensureUnitPoints(db)).toBeGreaterThan(0);
    expect(await ensureUnitPoints(db)).toBe(0);
    const [point] = await db.select().from(ratingPoints).where(eq(ratingPoints.unitId, unit.id));
    expect(point).toMatchObject({ code: "RP-A", isUnitPoint: true, retiredAt: null });
  });

  it("adds points coded after the unit's, and a retired point takes no rating and says so", async () => {
    const unit = await createUnit(db, { code: "RP-B", name: "乙局" });
    const admin = await createUser(db, { roles: ["org_admin"] });
    const window = await addPoint(db, { userId: admin.id }, unit.id, "3号窗口");
    const desk = await addPoint(db, { userId: admin.id }, unit.id, "热线席位");
    expect([window.code, desk.code]).toEqual(["RP-B-2", "RP-B-3"]);
    await expect(addPoint(db, { userId: admin.id }, unit.id, "3号窗口")).rejects.toMatchObject({
      messageKey: "ratings.points.errors.duplicate",
    });

    await retirePoint(db, { userId: admin.id }, window.id, "窗口撤并");
    expect(await rate(window.code, satisfied)).toEqual({ kind: "retired" });
    const page = await callRoute(rateLoader, makeRequest(`/r/${window.code}`), { code: window.code });
    expect(page.status).toBe(410);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "rating_point.retired"), eq(auditLog.entityId, String(window.id))));
    expect(entry?.reason).toBe("窗口撤并");
  });
});

describe("a rating", () => {
  it("counts once per device, point and day; a repeat is thanked, kept and not counted", async () => {
    await createUnit(db, { code: "RT-1", name: "丙局" });
    const first = await rate("RT-1", satisfied);
    expect(first).toMatchObject({ kind: "rated", result: "counted" });
    const cookie = cookieOf(first.kind === "rated" ? first.setCookie : null);
    expect(cookie).toMatch(new RegExp(`^${RATER_COOKIE}=`));
    const again = await rate("RT-1", unhappy("13800138000"), { cookie });
    expect(again).toMatchObject({ kind: "rated", result: "repeat", caseDueOn: null, setCookie: null });
    // Another day, the same device counts again.
    const tomorrow = await rate("RT-1", satisfied, { cookie, now: new Date(Date.now() + 86_400_000) });
    expect(tomorrow).toMatchObject({ result: "counted" });

    const rows = await db
      .select()
      .from(publicRatings)
      .where(eq(publicRatings.pointId, await pointId("RT-1")));
    expect(rows.map((r) => [r.counted, r.notCounted])).toEqual([
      [true, null],
      [false, "repeat"],
      [true, null],
    ]);
    // Every rating keeps its evidence: the device, a hash of the address (never the address), the time.
    expect(new Set(rows.map((r) => r.deviceId)).size).toBe(1);
    expect(rows[0]!.addressHash).not.toContain("10.0.0.1");
    expect(
      await db
        .select()
        .from(ratingCases)
        .where(eq(ratingCases.pointId, await pointId("RT-1"))),
    ).toHaveLength(0);
  });

  it("does not accept a forged device cookie: it is a new device", async () => {
    await createUnit(db, { code: "RT-2" });
    const forged = `${RATER_COOKIE}=AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`;
    const outcome = await rate("RT-2", satisfied, { cookie: forged });
    expect(outcome).toMatchObject({ result: "counted" });
    expect(outcome.kind === "rated" && outcome.setCookie).toBeTruthy();
  });

  it("two requests of one device at the same moment count once", async () => {
    await createUnit(db, { code: "RT-3" });
    const first = await rate("RT-3", satisfied);
    const cookie = cookieOf(first.kind === "rated" ? first.setCookie : null);
    const now = new Date(Date.now() + 2 * 86_400_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => rate("RT-3", satisfied, { cookie, now })));
    expect(results.filter((r) => r.kind === "rated" && r.result === "counted")).toHaveLength(1);
  });

  it("an address over its limit is kept and not counted; a hall's other addresses are not affected", async () => {
    await createUnit(db, { code: "RT-4" });
    const outcomes = [];
    for (let i = 0; i <= ADDRESS_LIMIT.ratings; i++) outcomes.push(await rate("RT-4", satisfied, { address: "203.0.113.9" }));
    expect(outcomes.slice(0, ADDRESS_LIMIT.ratings).every((o) => o.kind === "rated" && o.result === "counted")).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ result: "limited" });
    expect(await rate("RT-4", satisfied, { address: "203.0.113.10" })).toMatchObject({ result: "counted" });
  });

  it("a counted 不满意 opens a case due on the third working day, with the phone", async () => {
    await createUnit(db, { code: "RT-5" });
    // Wednesday 30 September 2026, before the National Day holiday: due Saturday 10 October (调休).
    const outcome = await rate("RT-5", unhappy("13800138000"), { now: new Date("2026-09-30T03:00:00Z") });
    expect(outcome).toMatchObject({ kind: "rated", result: "counted", caseDueOn: "2026-10-10", phone: true });
    const [c] = await db
      .select()
      .from(ratingCases)
      .where(eq(ratingCases.pointId, await pointId("RT-5")));
    expect(c).toMatchObject({ state: "open", dueOn: "2026-10-10", phone: "13800138000" });
  });

  it("through the route: bad input changes nothing and says what is wrong beside the field; a good one redirects to thanks", async () => {
    await createUnit(db, { code: "RT-6" });
    const before = await db.$count(publicRatings);
    const bad = await callRoute(rateAction, makeRequest("/r/RT-6", { form: { choice: "unsatisfied", phone: "12345" } }), { code: "RT-6" });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { reasons: ["ratings.public.errors.reason"], phone: ["ratings.public.errors.phone"] } });
    const nonsense = await callRoute(rateAction, makeRequest("/r/RT-6", { form: { choice: "maybe" } }), { code: "RT-6" });
    expect(nonsense.status).toBe(400);
    expect(await db.$count(publicRatings)).toBe(before);

    const good = await callRoute(
      rateAction,
      makeRequest("/r/RT-6", { form: { choice: "unsatisfied", reasons: ["fees", "other"], phone: "" } }),
      {
        code: "RT-6",
      },
    );
    expect(good.status).toBe(303);
    expect(good.location).toMatch(/^\/r\/RT-6\/thanks\?result=counted&choice=unsatisfied&due=\d{4}-\d{2}-\d{2}$/);
    expect(good.headers.get("set-cookie")).toMatch(/^luoshi_rater=.*; Path=\/r; HttpOnly; SameSite=Lax/);
    const unknown = await callRoute(rateLoader, makeRequest("/r/NOPE-404"), { code: "NOPE-404" });
    expect(unknown.status).toBe(404);
  });
});

async function pointId(code: string) {
  const [p] = await db.select({ id: ratingPoints.id }).from(ratingPoints).where(eq(ratingPoints.code, code));
  return p!.id;
}

describe("bursts", () => {
  it("a day far above the point's usual is flagged; discounting it removes its ratings from the ranking and voids its cases (audited)", async () => {
    const unit = await createUnit(db, { code: "RT-BURST", kind: "department" });
    const admin = await createUser(db, { roles: ["org_admin"] });
    const day = new Date("2026-11-18T02:00:00Z");
    // A usual day: 2 ratings.
    await rate("RT-BURST", satisfied, { now: new Date("2026-11-10T02:00:00Z") });
    await rate("RT-BURST", unhappy(), { now: new Date("2026-11-11T02:00:00Z") });
    // The burst: BURST_MIN ratings of 不满意 from fresh devices on many addresses.
    for (let i = 0; i < BURST_MIN; i++) await rate("RT-BURST", unhappy(), { address: `198.51.100.${i}`, now: day });
    expect(await flagBursts(db, "2026-11-18")).toBe(1);
    expect(await flagBursts(db, "2026-11-10")).toBe(0);
    const [burst] = await db.select().from(ratingBursts).where(eq(ratingBursts.unitId, unit.id));
    expect(burst).toMatchObject({ day: "2026-11-18", ratings: BURST_MIN, unsatisfied: BURST_MIN, status: "open" });

    const satisfactionOf = async () => {
      const { rankingId } = await computeRanking(db, { userId: admin.id }, "2026Q4", { today: "2026-12-07" });
      const [row] = await db
        .select({ satisfied: rankingUnitResults.satisfied, unsatisfied: rankingUnitResults.unsatisfied })
        .from(rankingUnitResults)
        .where(and(eq(rankingUnitResults.rankingId, rankingId), eq(rankingUnitResults.unitId, unit.id)));
      return row;
    };
    // Until reviewed, the burst counts (flagged, not dropped); imported counts add to the ratings.
    await db.insert(satisfactionRatings).values({ unitId: unit.id, date: "2026-10-15", satisfied: 5, unsatisfied: 1 });
    expect(await satisfactionOf()).toEqual({ satisfied: 6, unsatisfied: 2 + BURST_MIN });

    await reviewBurst(db, { userId: admin.id }, burst!.id, "discount", "同一时段大量新设备集中评价，经核查为组织刷票");
    expect(await satisfactionOf()).toEqual({ satisfied: 6, unsatisfied: 2 });
    const cases = await db.select().from(ratingCases).where(eq(ratingCases.unitId, unit.id));
    expect(cases.filter((c) => c.state === "void")).toHaveLength(BURST_MIN);
    expect(cases.filter((c) => c.state === "open")).toHaveLength(1);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "rating_burst.discounted"));
    expect(entry).toMatchObject({ actorUserId: admin.id, reason: "同一时段大量新设备集中评价，经核查为组织刷票" });
    await expect(reviewBurst(db, { userId: admin.id }, burst!.id, "keep", "再次")).rejects.toMatchObject({
      messageKey: "ratings.bursts.errors.decided",
    });
  });
});

describe("the day", () => {
  it("is Shanghai's", () => {
    expect(todayInShanghai(new Date("2026-12-07T17:00:00Z"))).toBe("2026-12-08");
  });
});
