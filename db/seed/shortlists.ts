import { and, eq, inArray, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import type { ShortlistCaller } from "~/modules/shortlists/access";
import { decide } from "~/modules/shortlists/decisions.server";
import { activeCadres, evaluateCadres } from "~/modules/shortlists/eligibility.server";
import { nominate } from "~/modules/shortlists/nominations.server";
import { publishRound } from "~/modules/shortlists/publish.server";
import { createRound } from "~/modules/shortlists/rounds.server";
import type { CandidateCadre, Evaluation, RuleResult } from "~/modules/shortlists/rules";
import { addDays, shanghaiInstant, todayInShanghai } from "~/utils/dates";
import type { Database, DbOrTx } from "../client";
import { shortlistNominations, shortlistRounds, shortlistVersions, unitLiaisons, units, userRoles, users } from "../schema";
import type { ShortlistDecision, ShortlistRules } from "../schema/shortlists";

/**
 * Two promotion-shortlist rounds on the demo city, made through the shortlist services themselves from
 * the other capabilities' demo data, deterministic for a given day:
 * - "2026 换届 敢担当善作为", closed twelve days ago and published as version 1: every cadre who met
 *   its rules, nominated by the head of their unit, plus two who fell just short of the frontline days
 *   and were nominated with an override; decided by the organization department with reasons (within
 *   the quota of 10); the publication's emails are in the outbox.
 * - an open round closing in a month with a few undecided nominations, one of them from the demo
 *   head's 市教育和体育局 (made by head@luoshi.local) and one with an override, for a visitor to decide
 *   and publish.
 * Recommendations and reasons quote the figures the evaluation found, so each entry's evidence agrees
 * with its text. Skipped when there is no organization department account (no demo accounts).
 */

export const PUBLISHED_ROUND = "2026 换届 敢担当善作为";
export const OPEN_ROUND = "2027 年度优秀干部优先使用储备（第一批）";

const percent = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);

function result<K extends RuleResult["rule"]>(e: Evaluation, rule: K) {
  return e.results.find((r) => r.rule === rule) as Extract<RuleResult, { rule: K }> | undefined;
}

const callers = new Map<number, Promise<ShortlistCaller>>();

/** A caller as the services need one: built from the organization data, the account need not be open yet. */
function callerFor(tx: DbOrTx, userId: number): Promise<ShortlistCaller> {
  let caller = callers.get(userId);
  if (!caller) {
    caller = buildCaller(tx, userId);
    callers.set(userId, caller);
  }
  return caller;
}

async function buildCaller(tx: DbOrTx, userId: number): Promise<ShortlistCaller> {
  const [user] = await tx.select({ id: users.id, cadreId: users.cadreId }).from(users).where(eq(users.id, userId));
  const granted = (await tx.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId))).map((r) => r.role);
  const headOf = user!.cadreId
    ? (await tx.select({ id: units.id }).from(units).where(eq(units.headCadreId, user!.cadreId))).map((u) => u.id)
    : [];
  const liaisonOf = user!.cadreId
    ? (await tx.select({ id: unitLiaisons.unitId }).from(unitLiaisons).where(eq(unitLiaisons.cadreId, user!.cadreId))).map((u) => u.id)
    : [];
  const roles = [
    ...granted,
    ...(user!.cadreId ? (["cadre"] as const) : []),
    ...(headOf.length ? (["unit_head"] as const) : []),
    ...(liaisonOf.length ? (["unit_liaison"] as const) : []),
  ];
  const all = granted.includes("org_admin");
  return {
    id: userId,
    cadreId: user!.cadreId,
    roles,
    scope: { all, unitIds: all ? [] : await unitSubtreeIds(tx, [...headOf, ...liaisonOf]), cadreId: user!.cadreId },
    headOfUnitIds: headOf,
    liaisonOfUnitIds: liaisonOf,
  };
}

type UnitTree = Map<number, { id: number; parentId: number | null; headCadreId: number | null }>;

async function unitTree(tx: DbOrTx): Promise<UnitTree> {
  const rows = await tx.select({ id: units.id, parentId: units.parentId, headCadreId: units.headCadreId }).from(units);
  return new Map(rows.map((u) => [u.id, u]));
}

/** The account of the head who nominates a cadre: their unit's head, or the parent unit's when the cadre heads it. */
async function nominatorFor(tx: DbOrTx, tree: UnitTree, cadre: CandidateCadre): Promise<number | null> {
  for (
    let unit = tree.get(cadre.unitId), depth = 0;
    unit && depth < 20;
    unit = unit.parentId ? tree.get(unit.parentId) : undefined, depth++
  ) {
    if (unit.headCadreId && unit.headCadreId !== cadre.cadreId) {
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.cadreId, unit.headCadreId));
      return user?.id ?? null;
    }
  }
  return null;
}

function recommendation(c: CandidateCadre, e: Evaluation): string {
  const frontline = result(e, "frontline");
  const attendance = result(e, "attendance");
  const top = result(e, "topPercent");
  const parts = [`${c.name}同志任${c.title || "现职"}以来，敢于担当、善于作为，牵头推进的重点工作均按期完成。`];
  if (frontline) parts.push(`经核实的一线工作经历累计 ${frontline.days} 天，`);
  if (attendance) parts.push(`近${attendance.quarters.length}个季度夜课堂出勤率 ${percent(attendance.rate)}，`);
  if (top) parts.push(`最近${top.quarters}期干部排名均位于本职级段前列，`);
  parts.push("群众认可度高，同意推荐。");
  return parts.join("");
}

function overrideReason(e: Evaluation): string {
  const frontline = result(e, "frontline");
  const top = result(e, "topPercent");
  if (frontline && !frontline.pass) {
    const short = frontline.minDays - frontline.days;
    return short <= 10
      ? `一线经历 ${frontline.days} 天，距 ${frontline.minDays} 天的要求尚差 ${short} 天；该同志目前仍驻重点项目现场，预计下月即可补足，且在项目攻坚中表现突出，建议破格推荐。`
      : `一线经历 ${frontline.days} 天，距 ${frontline.minDays} 天的要求尚差 ${short} 天；该同志长期承担本单位急难险重任务，实绩突出，建议破格推荐，请组织部研究。`;
  }
  if (top && !top.pass) {
    const places = top.rankings
      .map((r) => (r.rank === null ? `${r.quarter}未参与排名` : `${r.quarter}第${r.rank}/${r.bandSize}名`))
      .join("、");
    return `排名条件未完全达到（${places}）；该同志上季度牵头完成信访积案化解专项，成效已获市委通报表扬，建议破格推荐。`;
  }
  return "部分条件暂未达到，但该同志在急难险重任务中表现突出，建议破格推荐。";
}

async function seedPublishedRound(db: Database, admin: ShortlistCaller, today: string) {
  const deadline = shanghaiInstant(addDays(today, -12), "18:00");
  const opened = shanghaiInstant(addDays(today, -40), "09:00");
  const rules: ShortlistRules = { minRank: "deputy_section", frontline: true, attendance: { minRate: 0.8, quarters: 2 }, noOpenFlag: true };
  const { roundId } = await createRound(
    db,
    admin,
    {
      name: PUBLISHED_ROUND,
      description:
        "按照市委关于换届工作的部署，对敢担当、善作为的干部在换届中优先提拔使用。各单位主要负责同志按条件推荐，组织部逐一审核研究后公布名单。",
      quota: 10,
      deadline,
      rules,
    },
    opened,
  );
  const round = { rules, deadline };
  const tree = await unitTree(db);
  const people = await activeCadres(db);
  // On the deadline's own day, so the figures the heads quote are those the published list keeps.
  const nominatedAt = shanghaiInstant(addDays(today, -12), "10:00");
  // As the heads saw it when they nominated (the same evaluation the nominations record).
  const evaluations = await evaluateCadres(db, round, people, { now: nominatedAt });
  const days = (e: Evaluation) => result(e, "frontline")?.days ?? 0;
  const rate = (e: Evaluation) => result(e, "attendance")?.rate ?? 0;
  const byStrength = (a: CandidateCadre, b: CandidateCadre) => {
    const ea = evaluations.get(a.cadreId)!;
    const eb = evaluations.get(b.cadreId)!;
    return days(eb) - days(ea) || rate(eb) - rate(ea) || (a.staffNo < b.staffNo ? -1 : 1);
  };
  const eligible = people.filter((p) => evaluations.get(p.cadreId)!.eligible).sort(byStrength);
  // Just short of the frontline days, every other rule met: nominated with an override.
  const nearly = people
    .filter((p) => {
      const e = evaluations.get(p.cadreId)!;
      return !e.eligible && e.results.every((r) => r.pass || r.rule === "frontline") && days(e) >= 60;
    })
    .sort(byStrength)
    .slice(0, 2);
  // The demo head's bureau puts forward its most experienced cadre by override, so head@ has an entry.
  const [education] = await db.select({ id: units.id, headCadreId: units.headCadreId }).from(units).where(eq(units.name, "市教育和体育局"));
  const fromEducation = people
    .filter((p) => {
      const e = evaluations.get(p.cadreId)!;
      return (
        p.unitId === education?.id &&
        p.cadreId !== education?.headCadreId &&
        !e.eligible &&
        e.results.every((r) => r.pass || r.rule === "frontline") &&
        days(e) > 0
      );
    })
    .sort(byStrength)
    .slice(0, 1);

  const nominated: { cadre: CandidateCadre; nominationId: number; override: boolean }[] = [];
  for (const cadre of [...eligible, ...nearly, ...fromEducation]) {
    const nominatorId = await nominatorFor(db, tree, cadre);
    if (!nominatorId) continue;
    const e = evaluations.get(cadre.cadreId)!;
    const { nominationId } = await nominate(
      db,
      await callerFor(db, nominatorId),
      roundId,
      { cadreId: cadre.cadreId, recommendation: recommendation(cadre, e), overrideReason: e.eligible ? null : overrideReason(e) },
      { now: nominatedAt },
    );
    nominated.push({ cadre, nominationId, override: !e.eligible });
  }

  const decidedAt = shanghaiInstant(addDays(today, -10), "15:00");
  const plain = nominated.filter((n) => !n.override);
  const overrides = nominated.filter((n) => n.override);
  const plan: [number, ShortlistDecision, string][] = [];
  plain.forEach((n, i) => {
    const e = evaluations.get(n.cadre.cadreId)!;
    if (i < 8)
      plan.push([
        n.nominationId,
        "shortlisted",
        `各项条件均符合：一线经历 ${days(e)} 天，出勤率 ${percent(rate(e))}；推荐材料翔实，经部务会研究，列入优先提拔名单。`,
      ]);
    else if (i < 10)
      plan.push([
        n.nominationId,
        "deferred",
        `条件符合（一线经历 ${days(e)} 天，出勤率 ${percent(rate(e))}），在推荐人选中排序居后；名额有限，待下季度排名发布后再研究。`,
      ]);
    else plan.push([n.nominationId, "rejected", `条件符合，但一线经历 ${days(e)} 天在推荐人选中排序最后；名额有限，本轮不予列入。`]);
  });
  overrides.forEach((n, i) => {
    const e = evaluations.get(n.cadre.cadreId)!;
    plan.push(
      i === 0 || n.cadre.unitId === education?.id
        ? [
            n.nominationId,
            "deferred",
            `一线经历 ${days(e)} 天，尚未达到 ${result(e, "frontline")!.minDays} 天的要求；待补足并经核实后再研究。`,
          ]
        : [n.nominationId, "rejected", `一线经历 ${days(e)} 天，未达到要求，且破格理由不够充分，本轮不予列入。`],
    );
  });
  for (const [nominationId, decision, reason] of plan)
    await decide(db, admin, roundId, nominationId, { decision, reason }, { now: decidedAt });
  const publishedAt = shanghaiInstant(addDays(today, -9), "10:00");
  if (plan.length) await publishRound(db, admin, roundId, { expectedVersion: 0 }, { now: publishedAt });

  // The round's history as it happened: opened, nominated, published on those days.
  await db.update(shortlistRounds).set({ createdAt: opened, updatedAt: publishedAt }).where(eq(shortlistRounds.id, roundId));
  await db
    .update(shortlistNominations)
    .set({ createdAt: nominatedAt, updatedAt: decidedAt })
    .where(eq(shortlistNominations.roundId, roundId));
  return { roundId, nominated: nominated.length, shortlisted: plan.filter((p) => p[1] === "shortlisted").length };
}

async function seedOpenRound(db: Database, admin: ShortlistCaller, today: string) {
  const opened = shanghaiInstant(addDays(today, -3), "09:00");
  const deadline = shanghaiInstant(addDays(today, 30), "18:00");
  const rules: ShortlistRules = {
    minRank: "deputy_section",
    attendance: { minRate: 0.85, quarters: 2 },
    topPercent: { percent: 30, quarters: 2 },
    noOpenFlag: true,
  };
  const { roundId } = await createRound(
    db,
    admin,
    {
      name: OPEN_ROUND,
      description: "从狠抓落实、拼搏赶超中表现突出的干部中建立优先使用储备，每季度研究一次。请各单位于截止时间前推荐。",
      quota: 8,
      deadline,
      rules,
    },
    opened,
  );
  const tree = await unitTree(db);
  const people = await activeCadres(db);
  const now = shanghaiInstant(addDays(today, -1), "16:00");
  const evaluations = await evaluateCadres(db, { rules, deadline }, people, { now });
  const [education] = await db.select({ id: units.id, headCadreId: units.headCadreId }).from(units).where(eq(units.name, "市教育和体育局"));
  const eligible = people.filter((p) => evaluations.get(p.cadreId)!.eligible);
  const nearMisses = people.filter((p) => {
    const e = evaluations.get(p.cadreId)!;
    return !e.eligible && p.rank !== "staff" && e.results.every((r) => r.pass || r.rule === "topPercent");
  });
  const outside = (p: CandidateCadre) =>
    p.unitId !== education?.id && !p.unitName.includes("组织部") && (p.rank === "section" || p.rank === "deputy_county");
  // One from the demo head's bureau itself (nominated by head@luoshi.local), two from other units, one near miss by override.
  const wanted: [CandidateCadre[], number][] = [
    [eligible.filter((p) => p.unitId === education?.id && p.cadreId !== education?.headCadreId && p.rank === "section"), 1],
    [eligible.filter(outside), 2],
    [nearMisses.filter(outside), 1],
  ];
  const usedUnits = new Set<number>();
  let count = 0;
  for (const [pool, n] of wanted) {
    let taken = 0;
    for (const cadre of pool) {
      if (taken >= n) break;
      if (usedUnits.has(cadre.unitId)) continue;
      const nominatorId = await nominatorFor(db, tree, cadre);
      if (!nominatorId) continue;
      const e = evaluations.get(cadre.cadreId)!;
      await nominate(
        db,
        await callerFor(db, nominatorId),
        roundId,
        { cadreId: cadre.cadreId, recommendation: recommendation(cadre, e), overrideReason: e.eligible ? null : overrideReason(e) },
        { now },
      );
      usedUnits.add(cadre.unitId);
      taken++;
      count++;
    }
  }
  await db.update(shortlistRounds).set({ createdAt: opened, updatedAt: now }).where(eq(shortlistRounds.id, roundId));
  await db.update(shortlistNominations).set({ createdAt: now, updatedAt: now }).where(eq(shortlistNominations.roundId, roundId));
  return { roundId, nominated: count };
}

export async function seedDemoShortlists(tx: DbOrTx, options: { now: Date }) {
  const db = tx as unknown as Database;
  const today = todayInShanghai(options.now);
  callers.clear();
  const [adminRow] = await tx
    .select({ id: userRoles.userId })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.role, "org_admin"), eq(users.disabled, false)))
    .orderBy(userRoles.userId)
    .limit(1);
  if (!adminRow) return null;
  const admin = await callerFor(tx, adminRow.id);
  const published = await seedPublishedRound(db, admin, today);
  const open = await seedOpenRound(db, admin, today);
  const [versions] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(shortlistVersions)
    .where(inArray(shortlistVersions.roundId, [published.roundId, open.roundId]));
  await audit(
    tx,
    { userId: null, label: "seed" },
    { action: "seed.demo_shortlists", entityType: "shortlist_round", after: { published, open, versions: Number(versions?.n ?? 0) } },
  );
  return { published, open };
}
