import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activeCadres, evaluateCadres } from "~/modules/shortlists/eligibility.server";
import { verifyVersion } from "~/modules/shortlists/publish.server";
import type { VersionEntry } from "~/modules/shortlists/rules";
import {
  accountabilityRecords,
  cadres,
  emailOutbox,
  rankingFlags,
  shortlistNominations,
  shortlistRounds,
  shortlistVersions,
  units,
  users,
} from "~db/schema";
import { DEMO_ACCOUNTS, seedDemoCity } from "~db/seed/index";
import { OPEN_ROUND, PUBLISHED_ROUND } from "~db/seed/shortlists";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;

/**
 * The demo city's shortlists: a published round whose every entry is backed by evidence and made by a
 * real unit head, decided with reasons within the quota; an open round with undecided nominations,
 * one of them by the demo head for the education bureau.
 */
describe("the demo city's promotion shortlists", () => {
  it("hold a published list backed by evidence, and an open round to work on", async () => {
    await seedDemoCity(db, { demoAccounts: true });
    const [published] = await db.select().from(shortlistRounds).where(eq(shortlistRounds.name, PUBLISHED_ROUND));
    expect(published).toMatchObject({ status: "published", publishedVersion: 1 });
    const [version] = await db.select().from(shortlistVersions).where(eq(shortlistVersions.roundId, published!.id));
    const entries = version!.entries as VersionEntry[];
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(await verifyVersion(db, published!.id, 1)).toBe(true);
    expect(entries.filter((e) => e.decision === "shortlisted").length).toBeLessThanOrEqual(published!.quota);
    expect(new Set(entries.map((e) => e.decision))).toEqual(new Set(["shortlisted", "deferred", "rejected"]));
    for (const e of entries) {
      // Evidence for every rule of the round; a failed rule only with an override reason.
      expect(e.evaluation.results.map((r) => r.rule)).toEqual(["minRank", "frontline", "attendance", "noAccountability"]);
      expect(e.eligibleAtNomination || Boolean(e.overrideReason)).toBe(true);
      expect(e.decisionReason.length).toBeGreaterThan(5);
      // The recommendation quotes the frontline days the evaluation found.
      const days = e.evaluation.results.find((r) => r.rule === "frontline") as { days: number };
      expect(e.recommendation).toContain(`${days.days} 天`);
      expect(e.nominatedByName).toBeTruthy();
    }
    // Nominated by the head of the cadre's unit (or of the unit above, for a head).
    const rows = await db
      .select({ cadreId: shortlistNominations.cadreId, unitHead: units.headCadreId, parentId: units.parentId, nominator: users.cadreId })
      .from(shortlistNominations)
      .innerJoin(units, eq(units.id, shortlistNominations.unitId))
      .innerJoin(users, eq(users.id, shortlistNominations.nominatedBy))
      .where(eq(shortlistNominations.roundId, published!.id));
    for (const r of rows) {
      if (r.unitHead !== r.cadreId) expect(r.nominator).toBe(r.unitHead);
      else expect(r.nominator).not.toBe(r.cadreId);
    }
    const mail = await db
      .select({ template: emailOutbox.template, key: emailOutbox.idempotencyKey })
      .from(emailOutbox)
      .where(like(emailOutbox.template, "shortlist-%"));
    expect(mail.filter((m) => m.template === "shortlist-summary")).toHaveLength(1);
    expect(mail.filter((m) => m.template === "shortlist-outcome").length).toBeGreaterThan(3);

    const [open] = await db.select().from(shortlistRounds).where(eq(shortlistRounds.name, OPEN_ROUND));
    expect(open).toMatchObject({ status: "open", publishedVersion: 0 });
    expect(open!.deadline.getTime()).toBeGreaterThan(Date.now());
    const pending = await db
      .select({
        unit: units.name,
        eligible: shortlistNominations.eligible,
        decision: shortlistNominations.decision,
        nominator: users.cadreId,
      })
      .from(shortlistNominations)
      .innerJoin(units, eq(units.id, shortlistNominations.unitId))
      .innerJoin(users, eq(users.id, shortlistNominations.nominatedBy))
      .where(eq(shortlistNominations.roundId, open!.id));
    expect(pending.length).toBeGreaterThanOrEqual(3);
    expect(pending.every((p) => p.decision === null)).toBe(true);
    expect(pending.some((p) => !p.eligible)).toBe(true);
    const [head] = await db
      .select({ id: cadres.id })
      .from(cadres)
      .where(and(eq(cadres.email, DEMO_ACCOUNTS.head)));
    expect(pending.find((p) => p.unit === "市教育和体育局")).toMatchObject({ nominator: head!.id, eligible: true });
  }, 120_000);

  it("resolve the earlier quarters' flags by records held by a person, and hold an admonition against a shortlist", async () => {
    // The city was seeded by the test above.
    const resolved = await db.select().from(rankingFlags).where(eq(rankingFlags.status, "resolved"));
    expect(resolved.length).toBeGreaterThan(0);
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ACCOUNTS.admin));
    const [adminCadreUser] = admin
      ? [admin]
      : await db
          .select({ id: users.id })
          .from(users)
          .innerJoin(cadres, eq(cadres.id, users.cadreId))
          .where(eq(cadres.email, DEMO_ACCOUNTS.admin));
    // Never "closed by the system": the demo's organization department official resolved each one.
    expect(resolved.every((f) => f.resolvedByUserId === adminCadreUser!.id)).toBe(true);
    const records = await db.select().from(accountabilityRecords);
    expect(records.filter((r) => r.flagId !== null).length).toBe(resolved.length);
    const admonition = records.find((r) => r.kind === "admonition")!;
    expect(admonition).toMatchObject({ status: "closed", effectMonths: 6, closedBy: adminCadreUser!.id });
    const [open] = await db.select().from(shortlistRounds).where(eq(shortlistRounds.name, OPEN_ROUND));
    const people = await activeCadres(db, { cadreIds: [admonition.cadreId!] });
    const evaluation = (await evaluateCadres(db, open!, people)).get(admonition.cadreId!)!;
    expect(evaluation.results.find((r) => r.rule === "noAccountability")).toMatchObject({
      pass: false,
      records: [{ recordId: admonition.id, kind: "admonition", reason: "inEffect" }],
    });
  }, 60_000);
});
