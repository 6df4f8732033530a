import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { computeRanking, reproduceRanking } from "~/modules/rankings/compute.server";
import { listFlags, openFlags, resolveFlag } from "~/modules/rankings/flags.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { cadrePercentiles, topPercentInLastQuarters } from "~/modules/rankings/shortlist.server";
import { DomainError } from "~/utils/errors";
import {
  attendanceRecords,
  auditLog,
  classRegistrations,
  emailOutbox,
  rankingCadreResults,
  rankingFlags,
  rankings,
  rankingUnitResults,
} from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };
const TODAY = "2026-08-01";

/**
 * Six departments; in 2026Q1 and 2026Q2 the attendance of each is fixed so that the last two are the
 * bottom in both quarters (K = 3 of 6 → bottom 3). Publication freezes, a correction supersedes, and
 * recomputing from the frozen rows gives the identical result whatever the live data does.
 */
const units: { id: number; code: string }[] = [];
const cadreIds: number[] = [];

async function evening(startsAt: string, statuses: ("present" | "absent" | "late")[]) {
  const s = await createClassSession(db, { startsAt: new Date(startsAt), status: "closed" });
  for (const [i, status] of statuses.entries()) {
    await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: cadreIds[i]!, source: "admin" });
    await db.insert(attendanceRecords).values({ sessionId: s.id, cadreId: cadreIds[i]!, status, source: "roster" });
  }
  return s.id;
}

let q1Session: number;
beforeAll(async () => {
  for (let i = 1; i <= 6; i++) {
    const unit = await createUnit(db, { code: `P${i}`, kind: "department" });
    units.push({ id: unit.id, code: unit.code });
    cadreIds.push((await createCadre(db, { staffNo: `PC${i}`, unitId: unit.id, rank: "deputy_section" })).id);
  }
  await createUser(db, { email: "org@test.luoshi.local", password: "org-password-1", roles: ["org_admin"], displayName: "组织部" });
  // Q1: P1–P4 present, P5 late, P6 absent. Q2: the same order.
  q1Session = await evening("2026-02-11T11:30:00Z", ["present", "present", "present", "present", "late", "absent"]);
  await evening("2026-05-13T11:30:00Z", ["present", "present", "present", "late", "late", "absent"]);
});

describe("publishing freezes a quarter", () => {
  let v1: number;
  it("refuses to publish a quarter that is not over", async () => {
    const { rankingId } = await computeRanking(db, actor, "2026Q3", { today: TODAY });
    await expect(publishRanking(db, actor, rankingId, { today: TODAY })).rejects.toMatchObject({
      messageKey: "rankings.errors.quarterNotOver",
    });
  });

  it("publishes with the hash of its inputs and tells the organization department", async () => {
    v1 = (await computeRanking(db, actor, "2026Q1", { today: TODAY })).rankingId;
    const outcome = await publishRanking(db, actor, v1, { today: TODAY });
    expect(outcome).toMatchObject({ quarter: "2026Q1", version: 1, alreadyPublished: false, supersededVersion: null });
    expect(outcome.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await db.select().from(rankings).where(eq(rankings.id, v1));
    expect(row).toMatchObject({ status: "published", inputsHash: outcome.inputsHash });
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "ranking-summary"));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.toAddress).toBe("org@test.luoshi.local");
    expect(mail[0]!.subject).toContain("2026年第一季度");
    // A second click changes nothing and sends nothing more.
    expect(await publishRanking(db, actor, v1, { today: TODAY })).toMatchObject({ alreadyPublished: true });
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.template, "ranking-summary"))).toHaveLength(1);
  });

  it("is reproduced identically from its frozen rows, even after the live data changed", async () => {
    const before = await db.select().from(rankingUnitResults).where(eq(rankingUnitResults.rankingId, v1));
    // Someone corrects P6's attendance after publication.
    await db
      .update(attendanceRecords)
      .set({ status: "present" })
      .where(and(eq(attendanceRecords.sessionId, q1Session), eq(attendanceRecords.cadreId, cadreIds[5]!)));
    const after = await db.select().from(rankingUnitResults).where(eq(rankingUnitResults.rankingId, v1));
    expect(after).toEqual(before);
    const check = await reproduceRanking(db, v1);
    expect(check).toMatchObject({ identical: true, differing: { cadres: 0, units: 0 } });
    expect(check.recomputedHash).toBe(check.storedHash);
  });

  it("detects a tampered row", async () => {
    await db.execute(sql`update ranking_unit_results set score = score + 1 where ranking_id = ${v1} and code = 'P1'`);
    expect((await reproduceRanking(db, v1)).differing.units).toBe(1);
    await db.execute(sql`update ranking_unit_results set score = score - 1 where ranking_id = ${v1} and code = 'P1'`);
    expect((await reproduceRanking(db, v1)).identical).toBe(true);
  });

  it("takes a correction only with a reason, keeps the old version superseded, and audits both", async () => {
    await expect(computeRanking(db, actor, "2026Q1", { today: TODAY })).rejects.toMatchObject({
      messageKey: "rankings.validation.correctionReason",
      options: { field: "reason" },
    });
    const draft = await computeRanking(db, actor, "2026Q1", { today: TODAY, reason: "P6 的考勤经核实更正" });
    expect(draft).toMatchObject({ version: 2, created: true });
    const outcome = await publishRanking(db, actor, draft.rankingId, { today: TODAY });
    expect(outcome).toMatchObject({ version: 2, supersededVersion: 1 });
    const versions = await db
      .select({ version: rankings.version, status: rankings.status, reason: rankings.correctionReason })
      .from(rankings)
      .where(eq(rankings.quarter, "2026Q1"))
      .orderBy(rankings.version);
    expect(versions).toEqual([
      { version: 1, status: "superseded", reason: null },
      { version: 2, status: "published", reason: "P6 的考勤经核实更正" },
    ]);
    const actions = (
      await db.select({ action: auditLog.action, reason: auditLog.reason }).from(auditLog).where(eq(auditLog.entityType, "ranking"))
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["ranking.superseded", "ranking.published", "ranking.computed"]));
    // The old version still reads as it was published; the new one has P6 at the top, tied with P1–P4.
    const p6 = async (id: number) =>
      (
        await db
          .select({ rank: rankingUnitResults.rank })
          .from(rankingUnitResults)
          .where(and(eq(rankingUnitResults.rankingId, id), eq(rankingUnitResults.code, "P6")))
      )[0]!.rank;
    expect(await p6(v1)).toBe(6);
    expect(await p6(draft.rankingId)).toBe(1);
    expect((await reproduceRanking(db, v1)).identical).toBe(true);
    expect((await reproduceRanking(db, draft.rankingId)).identical).toBe(true);
  });
});

describe("约谈 flags", () => {
  it("flags a unit in the bottom K of its group two published quarters running, once", async () => {
    const { rankingId } = await computeRanking(db, actor, "2026Q2", { today: TODAY });
    await publishRanking(db, actor, rankingId, { today: TODAY });
    // Q1 as corrected: P1–P4 and P6 equal, tied for first (places 1–5), P5 (late) 6th. Q2: P1–P3 tied
    // first, P4 and P5 (late) tied 4th, P6 (absent) 6th: bottom 3 of 6 = P4, P5, P6. P4 and P6 were tied
    // for first in Q1, a tie reaching into the bottom slots but nearer the top, so only P5 was at the
    // bottom both times.
    const flags = await listFlags(db);
    expect(flags.map((f) => f.unitCode).sort()).toEqual(["P5"]);
    expect(flags.every((f) => f.status === "open" && f.quarter === "2026Q2" && f.previousQuarter === "2026Q1")).toBe(true);
    expect(flags[0]).toMatchObject({ rank: 4, groupSize: 6, previousRank: 6, previousGroupSize: 6 });
    expect((await openFlags(db)).length).toBe(1);
    // Resolving needs a note; twice is harmless.
    await expect(resolveFlag(db, actor, flags[0]!.id, " ")).rejects.toBeInstanceOf(DomainError);
    expect(await resolveFlag(db, actor, flags[0]!.id, "已约谈，单位提交整改方案")).toEqual({ changed: true });
    expect(await resolveFlag(db, actor, flags[0]!.id, "again")).toEqual({ changed: false });
    const [flag] = await db.select().from(rankingFlags).where(eq(rankingFlags.id, flags[0]!.id));
    expect(flag).toMatchObject({ status: "resolved", resolutionNote: "已约谈，单位提交整改方案" });
  });

  it("counts the cadres and units the ranking holds", async () => {
    const [row] = await db
      .select()
      .from(rankings)
      .where(and(eq(rankings.quarter, "2026Q2"), eq(rankings.status, "published")));
    expect(row).toMatchObject({ cadreCount: 6, unitCount: 6 });
    const cadres = await db.select().from(rankingCadreResults).where(eq(rankingCadreResults.rankingId, row!.id));
    expect(cadres).toHaveLength(6);
  });
});

describe("what the shortlist reads", () => {
  it("gives each cadre's place in their band in every published quarter, and whether they stayed in the top P%", async () => {
    const rows = await cadrePercentiles(db, { cadreIds: [cadreIds[0]!, cadreIds[5]!] });
    expect(rows.map((r) => [r.cadreId === cadreIds[0] ? "PC1" : "PC6", r.quarter, r.band, r.rank, r.bandSize])).toEqual([
      ["PC1", "2026Q2", "section", 1, 6],
      ["PC1", "2026Q1", "section", 1, 6],
      ["PC6", "2026Q2", "section", 6, 6],
      ["PC6", "2026Q1", "section", 1, 6],
    ]);
    // In Q1 (as corrected) five cadres share the first place.
    expect(rows.map((r) => r.tieSize)).toEqual([3, 5, 1, 5]);
    expect(rows[0]!.percentile).toBeCloseTo(1 / 6);
    const top = await topPercentInLastQuarters(db, [cadreIds[0]!, cadreIds[5]!], { percent: 20, quarters: 2 });
    expect([top.get(cadreIds[0]!)!.met, top.get(cadreIds[5]!)!.met]).toEqual([true, false]);
    expect((await cadrePercentiles(db, { lastQuarters: 1 })).every((r) => r.quarter === "2026Q2")).toBe(true);
  });
});
