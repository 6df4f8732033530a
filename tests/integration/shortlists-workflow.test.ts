import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { candidateView } from "~/modules/shortlists/candidates.server";
import { decide } from "~/modules/shortlists/decisions.server";
import { nominate, nominationsView, withdrawNomination } from "~/modules/shortlists/nominations.server";
import { entriesHash, publishRound, verifyVersion, versionFor } from "~/modules/shortlists/publish.server";
import { closeNominationsEarly, createRound, getRound, openNominationRounds, updateRound } from "~/modules/shortlists/rounds.server";
import type { VersionEntry } from "~/modules/shortlists/rules";
import { auditLog, cadres, emailOutbox, shortlistNominations, shortlistRounds, shortlistVersions } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;

/**
 * The round from opening to versioned publication: who may nominate whom (a head their units and
 * sub-units, a liaison for their head, never themselves or another unit's cadre), overrides, the
 * deadline, withdrawal, decisions only by the organization department and never past the quota (even
 * at once), publication frozen against later data, new versions only with a reason, and the emails
 * queued once per version and recipient, each head hearing of their own cadres only.
 */
const ids: Record<string, number> = {};
const who: Record<string, CurrentUser> = {};
const NOW = new Date("2026-11-21T12:00:00+08:00");
const DEADLINE = new Date("2026-12-20T18:00:00+08:00");
const round = {
  name: "2026 换届 敢担当善作为",
  description: "",
  quota: 2,
  deadline: DEADLINE,
  rules: { minRank: "deputy_section" as const },
};

beforeAll(async () => {
  const city = await createUnit(db, { code: "W0", name: "示范市", kind: "other" });
  const A = await createUnit(db, { code: "WA", name: "甲局", parentId: city.id });
  const A1 = await createUnit(db, { code: "WA1", name: "甲局一中", parentId: A.id });
  const B = await createUnit(db, { code: "WB", name: "乙局", parentId: city.id });
  Object.assign(ids, { city: city.id, A: A.id, A1: A1.id, B: B.id });
  const cadre = async (key: string, unitId: number, rank: "staff" | "deputy_section" | "section" = "deputy_section") => {
    ids[key] = (await createCadre(db, { staffNo: `W-${key}`, name: `干部${key}`, unitId, rank, email: `${key.toLowerCase()}@w.test` })).id;
  };
  await cadre("hA", A.id, "section");
  await cadre("a1", A.id);
  await cadre("a2", A1.id);
  await cadre("aStaff", A.id, "staff");
  await cadre("hB", B.id, "section");
  await cadre("lB", B.id);
  await cadre("b1", B.id);
  await cadre("b2", B.id);
  await cadre("org", city.id, "section");
  await makeHead(db, A.id, ids.hA!);
  await makeHead(db, B.id, ids.hB!);
  await addLiaison(db, B.id, ids.lB!);
  const account = async (key: string, cadreId: number | null, roles: ("org_admin" | "system_admin")[] = []) => {
    const user = await createUser(db, { cadreId, roles, password: "a-long-password-1", email: cadreId ? null : `${key}@w.test` });
    who[key] = (await loadCurrentUser(db, user.id, "test"))!;
  };
  await account("admin", ids.org!, ["org_admin"]);
  await account("headA", ids.hA!);
  await account("headB", ids.hB!);
  await account("liaisonB", ids.lB!);
  await account("cadre", ids.a1!);
  await account("sysadmin", null, ["system_admin"]);
  ids.round = (await createRound(db, who.admin!, round, NOW)).roundId;
});

const nominateAs = (user: string, cadre: string, extra: { overrideReason?: string } = {}, roundId = ids.round!) =>
  nominate(db, who[user]!, roundId, { cadreId: ids[cadre]!, recommendation: `推荐${cadre}：敢担当、善作为。`, ...extra }, { now: NOW });
const nominationOf = async (cadre: string, roundId = ids.round!) =>
  (
    await db
      .select()
      .from(shortlistNominations)
      .where(and(eq(shortlistNominations.roundId, roundId), eq(shortlistNominations.cadreId, ids[cadre]!)))
  )[0];

describe("opening a round", () => {
  it("is the organization department's, with a deadline in the future; a lowered quota may not fall below the shortlisted", async () => {
    await expect(createRound(db, who.headA!, round, NOW)).rejects.toMatchObject({ label: "forbidden" });
    await expect(createRound(db, who.admin!, { ...round, deadline: new Date("2026-11-01T00:00:00+08:00") }, NOW)).rejects.toMatchObject({
      messageKey: "shortlists.validation.deadlinePast",
      options: { field: "deadline" },
    });
    const [created] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "shortlist.round_created"), eq(auditLog.entityId, String(ids.round))));
    expect(created).toMatchObject({ actorUserId: who.admin!.id, entityType: "shortlist_round" });
    expect(await updateRound(db, who.admin!, ids.round!, round)).toEqual({ changed: false });
  });
});

describe("the home pages' open rounds", () => {
  it("lists a round taking nominations to those who nominate or decide, until its deadline", async () => {
    const open = async (key: string, now = NOW) => (await openNominationRounds(db, who[key]!, now)).map((r) => r.id);
    expect(await open("admin")).toContain(ids.round);
    expect(await open("headA")).toContain(ids.round);
    expect(await open("liaisonB")).toContain(ids.round);
    expect(await open("cadre")).toEqual([]);
    expect(await open("sysadmin")).toEqual([]);
    expect(await open("admin", DEADLINE)).not.toContain(ids.round);
  });
});

describe("nominations", () => {
  it("a head nominates the cadres of their unit and its sub-units", async () => {
    expect(await nominateAs("headA", "a1")).toMatchObject({ created: true });
    expect(await nominateAs("headA", "a2")).toMatchObject({ created: true });
    const row = await nominationOf("a1");
    expect(row).toMatchObject({ unitId: ids.A, eligible: true, overrideReason: null, nominatedBy: who.headA!.id, decision: null });
    expect((row!.eligibility as { results: { rule: string; pass: boolean }[] }).results).toEqual([
      expect.objectContaining({ rule: "minRank", pass: true }),
    ]);
    const [audited] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "shortlist.nominated"), eq(auditLog.entityId, String(row!.id))));
    expect(audited).toMatchObject({ actorUserId: who.headA!.id });
  });

  it("refuses another unit's cadre and the head themself, changing nothing", async () => {
    await expect(nominateAs("headA", "b1")).rejects.toMatchObject({ label: "not_found" });
    await expect(nominateAs("headA", "hA")).rejects.toMatchObject({ label: "not_found" });
    await expect(nominateAs("headB", "a1")).rejects.toMatchObject({ label: "not_found" });
    expect(await nominationOf("b1")).toBeUndefined();
    expect(await nominationOf("hA")).toBeUndefined();
  });

  it("lets a liaison nominate for their head, and nobody without a unit role", async () => {
    expect(await nominateAs("liaisonB", "b1")).toMatchObject({ created: true });
    await expect(nominateAs("admin", "b2")).rejects.toMatchObject({ label: "forbidden" });
    await expect(nominateAs("cadre", "a2")).rejects.toMatchObject({ label: "forbidden" });
    await expect(nominateAs("sysadmin", "b2")).rejects.toMatchObject({ label: "forbidden" });
  });

  it("is one nomination however often the form is sent, even at once", async () => {
    const outcomes = await Promise.all([nominateAs("headB", "b2"), nominateAs("headB", "b2"), nominateAs("liaisonB", "b2")]);
    expect(new Set(outcomes.map((o) => o.nominationId)).size).toBe(1);
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(await db.select().from(shortlistNominations).where(eq(shortlistNominations.cadreId, ids.b2!))).toHaveLength(1);
  });

  it("takes a cadre who fails a rule only with an override reason", async () => {
    await expect(nominateAs("headA", "aStaff")).rejects.toMatchObject({
      messageKey: "shortlists.validation.overrideRequired",
      options: { field: "overrideReason" },
    });
    expect(await nominationOf("aStaff")).toBeUndefined();
    await nominateAs("headA", "aStaff", { overrideReason: "职级未到，但在防汛抢险中表现突出。" });
    expect(await nominationOf("aStaff")).toMatchObject({ eligible: false, overrideReason: "职级未到，但在防汛抢险中表现突出。" });
  });

  it("closes at the deadline", async () => {
    await expect(
      nominate(db, who.headA!, ids.round!, { cadreId: ids.a1!, recommendation: "再推荐" }, { now: DEADLINE }),
    ).rejects.toMatchObject({
      messageKey: "shortlists.errors.deadlinePassed",
    });
  });

  it("can be withdrawn by the unit's head until decided, and made again", async () => {
    const a2 = (await nominationOf("a2"))!;
    await expect(withdrawNomination(db, who.headB!, ids.round!, a2.id, { now: NOW })).rejects.toMatchObject({ label: "not_found" });
    await expect(withdrawNomination(db, who.cadre!, ids.round!, a2.id, { now: NOW })).rejects.toMatchObject({ label: "forbidden" });
    expect(await withdrawNomination(db, who.headA!, ids.round!, a2.id, { now: NOW })).toEqual({ changed: true });
    expect(await withdrawNomination(db, who.headA!, ids.round!, a2.id, { now: NOW })).toEqual({ changed: false });
    expect((await nominationOf("a2"))!.withdrawnAt).not.toBeNull();
    await nominateAs("headA", "a2");
    expect((await nominationOf("a2"))!.withdrawnAt).toBeNull();
    await withdrawNomination(db, who.headA!, ids.round!, a2.id, { now: NOW });
  });

  it("shows each head only their units' nominations and cadres, without the department's decisions", async () => {
    const r = await getRound(db, who.headA!, ids.round!);
    const mine = await nominationsView(db, who.headA!, r, { now: NOW });
    expect(mine.rows.map((n) => n.cadreId).sort()).toEqual([ids.a1, ids.a2, ids.aStaff].sort());
    const candidates = await candidateView(db, who.headA!, r, {}, { now: NOW });
    expect(candidates.rows.map((c) => c.cadreId).sort()).toEqual([ids.a1, ids.a2, ids.aStaff].sort());
    const everyone = await candidateView(db, who.admin!, r, {}, { now: NOW });
    expect(everyone.rows.map((c) => c.cadreId)).toEqual(expect.arrayContaining([ids.hA, ids.b1, ids.a1]));
    expect((await candidateView(db, who.admin!, r, { eligible: true }, { now: NOW })).rows.every((c) => c.evaluation.eligible)).toBe(true);
    expect((await candidateView(db, who.admin!, r, { nominated: true }, { now: NOW })).rows.map((c) => c.cadreId).sort()).toEqual(
      [ids.a1, ids.aStaff, ids.b1, ids.b2].sort(),
    );
  });
});

describe("decisions", () => {
  it("are the organization department's alone", async () => {
    const a1 = (await nominationOf("a1"))!;
    for (const user of ["headA", "liaisonB", "cadre", "sysadmin"]) {
      await expect(decide(db, who[user]!, ids.round!, a1.id, { decision: "shortlisted", reason: "好" })).rejects.toMatchObject({
        label: "forbidden",
      });
    }
    expect((await nominationOf("a1"))!.decision).toBeNull();
  });

  it("need a reason, and are audited with what they replaced", async () => {
    const a1 = (await nominationOf("a1"))!;
    await expect(decide(db, who.admin!, ids.round!, a1.id, { decision: "shortlisted", reason: "  " })).rejects.toMatchObject({
      options: { field: "reason" },
    });
    await decide(db, who.admin!, ids.round!, a1.id, { decision: "deferred", reason: "先缓一缓" });
    await decide(db, who.admin!, ids.round!, a1.id, { decision: "shortlisted", reason: "条件符合，表现突出" });
    expect(await decide(db, who.admin!, ids.round!, a1.id, { decision: "shortlisted", reason: "条件符合，表现突出" })).toEqual({
      changed: false,
    });
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "shortlist.decided"), eq(auditLog.entityId, String(a1.id))));
    expect(entries.map((e) => [e.before, (e.after as { decision: string }).decision, e.reason, e.actorUserId])).toEqual([
      [{ decision: null, decisionReason: null }, "deferred", "先缓一缓", who.admin!.id],
      [{ decision: "deferred", decisionReason: "先缓一缓" }, "shortlisted", "条件符合，表现突出", who.admin!.id],
    ]);
  });

  it("hold the quota: a third shortlisted is refused beside the decision", async () => {
    await decide(db, who.admin!, ids.round!, (await nominationOf("b1"))!.id, { decision: "shortlisted", reason: "表现突出" });
    await expect(
      decide(db, who.admin!, ids.round!, (await nominationOf("b2"))!.id, { decision: "shortlisted", reason: "也不错" }),
    ).rejects.toMatchObject({
      messageKey: "shortlists.errors.quotaFull",
      options: { field: "decision", params: { quota: 2 } },
    });
    await decide(db, who.admin!, ids.round!, (await nominationOf("b2"))!.id, { decision: "rejected", reason: "名额已满" });
    // Re-deciding one already shortlisted does not count it twice.
    await decide(db, who.admin!, ids.round!, (await nominationOf("b1"))!.id, { decision: "shortlisted", reason: "表现突出，列入" });
  });

  it("hold the quota when made at the same moment", async () => {
    const { roundId } = await createRound(db, who.admin!, { ...round, name: "并发", quota: 3 }, NOW);
    for (let i = 0; i < 16; i++) {
      const extra = await createCadre(db, { staffNo: `W-X${i}`, unitId: ids.B!, rank: "section" });
      await nominate(db, who.headB!, roundId, { cadreId: extra.id, recommendation: "同批推荐" }, { now: NOW });
    }
    const rows = await db.select().from(shortlistNominations).where(eq(shortlistNominations.roundId, roundId));
    expect(rows).toHaveLength(16);
    const outcomes = await Promise.allSettled(
      rows.map((r) => decide(db, who.admin!, roundId, r.id, { decision: "shortlisted", reason: "同时列入" })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.messageKey)).toEqual(
      Array(13).fill("shortlists.errors.quotaFull"),
    );
    const after = await db
      .select()
      .from(shortlistNominations)
      .where(and(eq(shortlistNominations.roundId, roundId), eq(shortlistNominations.decision, "shortlisted")));
    expect(after).toHaveLength(3);
  });

  it("cannot be made on a withdrawn nomination, nor in another round's URL", async () => {
    const a2 = (await nominationOf("a2"))!;
    await expect(decide(db, who.admin!, ids.round!, a2.id, { decision: "rejected", reason: "x" })).rejects.toMatchObject({
      messageKey: "shortlists.errors.withdrawn",
    });
    await expect(decide(db, who.admin!, ids.round! + 1000, a2.id, { decision: "rejected", reason: "x" })).rejects.toMatchObject({
      label: "not_found",
    });
  });

  it("stop withdrawal once made", async () => {
    await expect(withdrawNomination(db, who.headA!, ids.round!, (await nominationOf("a1"))!.id, { now: NOW })).rejects.toMatchObject({
      messageKey: "shortlists.errors.alreadyDecided",
    });
  });
});

describe("publication", () => {
  const mails = () => db.select().from(emailOutbox).where(like(emailOutbox.template, "shortlist-%"));
  let v1: VersionEntry[];

  it("waits for nominations to close — at the deadline, or early by the department with a reason", async () => {
    await expect(publishRound(db, who.admin!, ids.round!, { expectedVersion: 0 }, { now: NOW })).rejects.toMatchObject({
      messageKey: "shortlists.errors.nominationsOpen",
    });
    expect((await db.select().from(shortlistVersions).where(eq(shortlistVersions.roundId, ids.round!))).length).toBe(0);
    await expect(closeNominationsEarly(db, who.headA!, ids.round!, "x", NOW)).rejects.toMatchObject({ label: "forbidden" });
    await expect(closeNominationsEarly(db, who.admin!, ids.round!, " ", NOW)).rejects.toMatchObject({ options: { field: "reason" } });
    expect(await closeNominationsEarly(db, who.admin!, ids.round!, "换届时间提前，提前截止推荐", NOW)).toEqual({ changed: true });
    expect(await closeNominationsEarly(db, who.admin!, ids.round!, "again", NOW)).toEqual({ changed: false });
    const [closed] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "shortlist.nominations_closed"), eq(auditLog.entityId, String(ids.round))));
    expect(closed).toMatchObject({ actorUserId: who.admin!.id, reason: "换届时间提前，提前截止推荐" });
    // Closed: no nomination, however early it is.
    await expect(nominateAs("headB", "lB")).rejects.toMatchObject({ messageKey: "shortlists.errors.closedEarly" });
  });

  it("waits until every candidate is decided, and is the department's", async () => {
    await expect(publishRound(db, who.headA!, ids.round!, { expectedVersion: 0 }, { now: NOW })).rejects.toMatchObject({
      label: "forbidden",
    });
    await expect(publishRound(db, who.admin!, ids.round!, { expectedVersion: 0 }, { now: NOW })).rejects.toMatchObject({
      messageKey: "shortlists.errors.undecided",
      options: { params: { count: 1 } },
    });
    await decide(db, who.admin!, ids.round!, (await nominationOf("aStaff"))!.id, {
      decision: "deferred",
      reason: "职级未到，待晋升后再议",
    });
  });

  it("freezes the list with its evidence and hash, closes nominations, and queues each email once", async () => {
    // b2, nominated by 乙局, moved to 甲局 before the list is published.
    await db.update(cadres).set({ unitId: ids.A! }).where(eq(cadres.id, ids.b2!));
    const outcome = await publishRound(db, who.admin!, ids.round!, { expectedVersion: 0 }, { now: NOW, origin: "https://luoshi.example" });
    expect(outcome).toMatchObject({ version: 1, alreadyPublished: false });
    const [version] = await db.select().from(shortlistVersions).where(eq(shortlistVersions.roundId, ids.round!));
    v1 = version!.entries as VersionEntry[];
    expect(v1.map((e) => [e.name, e.decision])).toEqual([
      ["干部a1", "shortlisted"],
      ["干部b1", "shortlisted"],
      ["干部aStaff", "deferred"],
      ["干部b2", "rejected"],
    ]);
    expect(v1[2]).toMatchObject({
      eligible: false,
      eligibleAtNomination: false,
      overrideReason: "职级未到，但在防汛抢险中表现突出。",
      decisionReason: "职级未到，待晋升后再议",
    });
    expect(v1[0]!.evaluation.results[0]).toMatchObject({ rule: "minRank", pass: true, rank: "deputy_section" });
    // The list names the unit at publication and the one at nomination, and says they differ.
    expect(v1[3]).toMatchObject({
      name: "干部b2",
      unitName: "甲局",
      nominatedUnit: { unitId: ids.B, unitName: "乙局" },
      transferred: true,
    });
    expect(v1[0]).toMatchObject({ unitName: "甲局", transferred: false });
    expect(version!.hash).toBe(entriesHash(v1));
    expect(await verifyVersion(db, ids.round!, 1)).toBe(true);
    expect((await db.select().from(shortlistRounds).where(eq(shortlistRounds.id, ids.round!)))[0]).toMatchObject({
      status: "published",
      publishedVersion: 1,
    });
    const [audited] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "shortlist.published"), eq(auditLog.entityId, String(ids.round))));
    expect(audited!.after).toMatchObject({ version: 1, hash: version!.hash, shortlisted: 2, deferred: 1, rejected: 1 });

    const sent = await mails();
    const summary = sent.filter((m) => m.template === "shortlist-summary");
    expect(summary.map((m) => m.toAddress)).toEqual(["org@w.test"]);
    expect(summary[0]!.text).toContain("干部a1");
    expect(summary[0]!.text).toContain("https://luoshi.example/shortlists/");
    const outcomes = sent.filter((m) => m.template === "shortlist-outcome");
    const byAddress = Object.fromEntries(
      outcomes.map((m) => [m.toAddress, (m.props as { entries: { name: string }[] }).entries.map((e) => e.name).sort()]),
    );
    // Each head hears of their own cadres only; a liaison's nomination reports to the head. b2's
    // outcome goes to the head of the unit b2 is in now (甲局) and to the nominating unit's head (乙局).
    expect(byAddress).toEqual({ "ha@w.test": ["干部a1", "干部aStaff", "干部b2"], "hb@w.test": ["干部b1", "干部b2"] });
    const toA = outcomes.find((m) => m.toAddress === "ha@w.test")!;
    expect(toA.text).toContain("乙局");
    expect(outcomes.find((m) => m.toAddress === "ha@w.test")!.text).not.toContain("干部b1");

    // The same button pressed again: nothing new.
    expect(await publishRound(db, who.admin!, ids.round!, { expectedVersion: 0 }, { now: NOW })).toMatchObject({
      version: 1,
      alreadyPublished: true,
      emails: 0,
    });
    expect(await mails()).toHaveLength(sent.length);
    expect(await db.select().from(shortlistVersions).where(eq(shortlistVersions.roundId, ids.round!))).toHaveLength(1);

    await expect(nominateAs("headB", "lB")).rejects.toMatchObject({ messageKey: "shortlists.errors.published" });
  });

  it("never changes when the data behind it does", async () => {
    await db.update(cadres).set({ rank: "staff", name: "改名了" }).where(eq(cadres.id, ids.a1!));
    const r = await getRound(db, who.admin!, ids.round!);
    const read = await versionFor(db, who.admin!, r, 1);
    expect(read.entries).toEqual(v1);
    expect(await verifyVersion(db, ids.round!, 1)).toBe(true);
    // The live evaluation moved; the frozen entry did not.
    const live = await candidateView(db, who.admin!, r, { q: "改名了" }, { now: NOW });
    expect(live.rows[0]!.evaluation.eligible).toBe(false);
    expect(read.entries[0]).toMatchObject({ name: "干部a1", eligible: true });
    await db.update(cadres).set({ rank: "deputy_section", name: "干部a1" }).where(eq(cadres.id, ids.a1!));
  });

  it("shows a head only their own cadres' entries", async () => {
    const r = await getRound(db, who.headA!, ids.round!);
    // b2 is 甲局's now and was 乙局's nominee: both read the entry.
    expect((await versionFor(db, who.headA!, r)).entries.map((e) => e.name)).toEqual(["干部a1", "干部aStaff", "干部b2"]);
    expect((await versionFor(db, who.liaisonB!, r)).entries.map((e) => e.name)).toEqual(["干部b1", "干部b2"]);
  });

  it("changes only by a new version with a reason; the earlier one stays readable", async () => {
    await expect(publishRound(db, who.admin!, ids.round!, { expectedVersion: 1, reason: "无变更" }, { now: NOW })).rejects.toMatchObject({
      messageKey: "shortlists.errors.nothingChanged",
    });
    await decide(db, who.admin!, ids.round!, (await nominationOf("b1"))!.id, { decision: "deferred", reason: "收到信访举报，核查后再议" });
    const before = (await mails()).length;
    await expect(publishRound(db, who.admin!, ids.round!, { expectedVersion: 1 }, { now: NOW })).rejects.toMatchObject({
      messageKey: "shortlists.validation.versionReason",
      options: { field: "reason" },
    });
    expect(await publishRound(db, who.admin!, ids.round!, { expectedVersion: 1, reason: "干部b1暂缓列入" }, { now: NOW })).toMatchObject({
      version: 2,
    });
    const r = await getRound(db, who.admin!, ids.round!);
    expect((await versionFor(db, who.admin!, r, 1)).entries.find((e) => e.name === "干部b1")!.decision).toBe("shortlisted");
    const v2 = await versionFor(db, who.admin!, r);
    expect(v2).toMatchObject({ version: 2, reason: "干部b1暂缓列入", latest: true });
    expect(v2.entries.find((e) => e.name === "干部b1")!.decision).toBe("deferred");
    // v2: the summary again, and only the head whose cadre's outcome changed.
    const fresh = (await mails()).slice(before);
    expect(fresh.map((m) => [m.template, m.toAddress]).sort()).toEqual([
      ["shortlist-outcome", "hb@w.test"],
      ["shortlist-summary", "org@w.test"],
    ]);
    expect((fresh.find((m) => m.template === "shortlist-outcome")!.props as { reason: string }).reason).toBe("干部b1暂缓列入");
    const [stored] = await db
      .select()
      .from(shortlistVersions)
      .where(and(eq(shortlistVersions.roundId, ids.round!), eq(shortlistVersions.version, 1)));
    expect(stored!.entries).toEqual(v1);
  });
});
