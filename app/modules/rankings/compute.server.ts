import { and, desc, eq, sql } from "drizzle-orm";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { type Actor, audit } from "~/modules/audit/service.server";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { algorithmOf } from "~/modules/security/digest.server";
import { todayInShanghai } from "~/utils/dates";
import { invalid, notFound } from "~/utils/errors";
import { type Timing, timed } from "~/utils/timing";
import type { Database, DbOrTx } from "~db/client";
import { rankingCadreResults, rankings, rankingUnitResults } from "~db/schema";
import { cadreInputsSelect, type FreezeSettings, prepareQuarter, quarterBounds, unitInputsSelect } from "./inputs.server";
import { ensureModel, modelById } from "./model.server";
import { parseQuarter, quarterPeriod } from "./quarter";
import { differingRows, inputsHash, writeCadres, writeUnits } from "./score.server";

/**
 * Computing a quarter: freeze its inputs into the ranking's tables, then score from them alone, all in
 * one transaction under a per-quarter lock (two clicks compute once after the other, never
 * interleaved). A draft is recomputed in place; a quarter already published gets a new draft
 * version, which needs a reason (it is a correction).
 */

export interface ComputeOutcome {
  rankingId: number;
  quarter: string;
  version: number;
  created: boolean;
  cadres: number;
  units: number;
}

export function quarterLock(quarter: string) {
  return sql`select pg_advisory_xact_lock(hashtext(${`luoshi:ranking:${quarter}`}))`;
}

export async function currentSettings(db: DbOrTx): Promise<FreezeSettings> {
  const [attendance, frontline] = await Promise.all([getAttendanceRules(db), getFrontlineRules(db)]);
  return { yearlyHours: attendance.yearlyHours, monthlyQuota: frontline.monthlyQuota };
}

export async function computeRanking(
  db: Database,
  actor: Actor,
  quarterText: string,
  options: {
    reason?: string | null;
    today?: string;
    /** For benchmarks: "ranking.shared" (the attendance and frontline aggregations cadres and units share), "ranking.cadres", "ranking.units". */
    timing?: Timing;
  } = {},
): Promise<ComputeOutcome> {
  const q = parseQuarter(quarterText);
  if (!q) throw invalid("rankings.validation.quarter", "quarter");
  const quarter = `${q.year}Q${q.q}`;
  const today = options.today ?? todayInShanghai();
  // A quarter can be watched as a draft while it runs, not before it starts.
  if (today < quarterPeriod(quarter).from) throw invalid("rankings.errors.futureQuarter", "quarter");
  const reason = options.reason?.trim() || null;

  return db.transaction(async (tx) => {
    await tx.execute(quarterLock(quarter));
    const versions = await tx
      .select({ id: rankings.id, version: rankings.version, status: rankings.status, correctionReason: rankings.correctionReason })
      .from(rankings)
      .where(eq(rankings.quarter, quarter))
      .orderBy(desc(rankings.version));
    const draft = versions.find((v) => v.status === "draft");
    const published = versions.find((v) => v.status === "published");
    if (!draft && published && !reason) throw invalid("rankings.validation.correctionReason", "reason");

    const model = await ensureModel(tx, actor, q.year);
    // A draft is recomputed as a fresh row under the same version: its rows get new keys, so the
    // insert never meets the dead index entries the old rows leave until vacuum (costly at scale).
    if (draft) await deleteRankingRows(tx, draft.id);
    const version = draft?.version ?? (versions[0]?.version ?? 0) + 1;
    const correctionReason = draft ? (reason ?? draft.correctionReason) : published ? reason : null;
    const [row] = await tx
      .insert(rankings)
      .values({ quarter, version, modelId: model.id, computedAt: new Date(), computedByUserId: actor.userId, correctionReason })
      .returning({ id: rankings.id });
    const rankingId = row!.id;

    const settings = await currentSettings(tx);
    const bounds = quarterBounds(quarter);
    await timed(options.timing, "ranking.shared", () => prepareQuarter(tx, bounds, settings));
    const cadres = await timed(options.timing, "ranking.cadres", () => writeCadres(tx, rankingId, cadreInputsSelect(), model.spec));
    const units = await timed(options.timing, "ranking.units", () =>
      writeUnits(tx, rankingId, unitInputsSelect(bounds), cadreInputsSelect(), model.spec),
    );
    await tx.update(rankings).set({ cadreCount: cadres, unitCount: units }).where(eq(rankings.id, rankingId));
    await audit(tx, actor, {
      action: "ranking.computed",
      entityType: "ranking",
      entityId: rankingId,
      after: { quarter, version, model: `${model.year}v${model.version}`, cadres, units },
      reason: correctionReason,
    });
    return {
      rankingId,
      quarter,
      version,
      created: !draft,
      cadres,
      units,
    };
  });
}

/** A draft's rows and the draft itself (the rows have no foreign key to cascade from, see the schema). */
async function deleteRankingRows(tx: DbOrTx, rankingId: number): Promise<void> {
  await tx.delete(rankingCadreResults).where(eq(rankingCadreResults.rankingId, rankingId));
  await tx.delete(rankingUnitResults).where(eq(rankingUnitResults.rankingId, rankingId));
  await tx.delete(rankings).where(and(eq(rankings.id, rankingId), eq(rankings.status, "draft")));
}

export interface Reproduction {
  rankingId: number;
  /** Null for a draft: the hash is taken when a version is published. */
  storedHash: string | null;
  recomputedHash: string;
  /** Result rows that a recomputation from the frozen inputs would write differently. */
  differing: { cadres: number; units: number };
  identical: boolean;
}

/**
 * Recomputes a ranking from its frozen inputs and model version with the very SELECT that wrote it,
 * and compares: the hash of the inputs, and every result row, both ways. Reads only.
 */
export async function reproduceRanking(db: DbOrTx, rankingId: number): Promise<Reproduction> {
  const [ranking] = await db
    .select({ id: rankings.id, modelId: rankings.modelId, hash: rankings.inputsHash })
    .from(rankings)
    .where(eq(rankings.id, rankingId));
  if (!ranking) throw notFound();
  const model = await modelById(db, ranking.modelId);
  // With the algorithm the stored hash was made with, whatever HASH_ALGORITHM says now.
  const recomputedHash = await inputsHash(db, rankingId, ranking.hash ? algorithmOf(ranking.hash) : undefined);
  const differing = await differingRows(db, rankingId, model.spec);
  return {
    rankingId,
    storedHash: ranking.hash,
    recomputedHash,
    differing,
    identical: (ranking.hash === null || ranking.hash === recomputedHash) && differing.cadres === 0 && differing.units === 0,
  };
}

/** Throws a draft away (its inputs and results go with it). Published versions are never deleted. */
export async function discardDraft(db: Database, actor: Actor, rankingId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ quarter: rankings.quarter, version: rankings.version, status: rankings.status })
      .from(rankings)
      .where(eq(rankings.id, rankingId))
      .for("update");
    if (!row) throw notFound();
    if (row.status !== "draft") throw invalid("rankings.errors.notDraft", "form");
    await deleteRankingRows(tx, rankingId);
    await audit(tx, actor, {
      action: "ranking.discarded",
      entityType: "ranking",
      entityId: rankingId,
      before: { quarter: row.quarter, version: row.version },
    });
  });
}
