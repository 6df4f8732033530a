import { and, eq, sql } from "drizzle-orm";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { rankingCadreResults, rankingCommitments, rankingMeetings, rankingUnitResults, units } from "~db/schema";
import { type Indicator, indicatorsOf, type SubjectKind } from "./model";
import { previousQuarter } from "./quarter";
import type { RankingHead } from "./views.server";

/**
 * The explanation of one score: each indicator's raw numerator and denominator, value, model weight,
 * the weight used after rescaling, and its contribution; the rank among how many; and the subject's
 * history across published quarters. Routes check who may see a subject before calling these.
 */

export interface IndicatorLine {
  indicator: Indicator;
  num: number | null;
  den: number | null;
  value: number | null;
  modelWeight: number;
  weight: number | null;
  contribution: number | null;
}

export interface HistoryPoint {
  quarter: string;
  version: number;
  rank: number | null;
  groupSize: number;
  score: number | null;
  group: string;
}

function lines(kind: SubjectKind, row: Record<string, unknown>, weights: Record<string, number>): IndicatorLine[] {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return indicatorsOf(kind).map((indicator) => ({
    indicator,
    num: n(row[`${indicator}Num`]),
    den: n(row[`${indicator}Den`]),
    value: n(row[`${indicator}Value`]),
    modelWeight: weights[indicator] ?? 0,
    weight: n(row[`${indicator}Weight`]),
    contribution: n(row[`${indicator}Contribution`]),
  }));
}

async function groupSize(db: DbOrTx, kind: SubjectKind, rankingId: number, group: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(
    kind === "units"
      ? sql`select count(rank)::int as n from ranking_unit_results where ranking_id = ${rankingId} and peer_group::text = ${group}`
      : sql`select count(rank)::int as n from ranking_cadre_results where ranking_id = ${rankingId} and band::text = ${group}`,
  );
  return Number(row?.n ?? 0);
}

/** A subject's place in every published quarter, oldest first. */
export async function history(db: DbOrTx, kind: SubjectKind, id: number): Promise<HistoryPoint[]> {
  const rows = await db.execute<{
    quarter: string;
    version: number;
    rank: number | null;
    score: number | null;
    group: string;
    size: number;
  }>(
    kind === "units"
      ? sql`
          select k.quarter, k.version, r.rank, r.score, r.peer_group::text as group,
            (select count(rank) from ranking_unit_results x where x.ranking_id = r.ranking_id and x.peer_group = r.peer_group)::int as size
          from ranking_unit_results r join rankings k on k.id = r.ranking_id and k.status = 'published'
          where r.unit_id = ${id} order by k.quarter`
      : sql`
          select k.quarter, k.version, r.rank, r.score, r.band::text as group,
            (select count(rank) from ranking_cadre_results x where x.ranking_id = r.ranking_id and x.band = r.band)::int as size
          from ranking_cadre_results r join rankings k on k.id = r.ranking_id and k.status = 'published'
          where r.cadre_id = ${id} order by k.quarter`,
  );
  return rows.map((r) => ({
    quarter: r.quarter,
    version: Number(r.version),
    rank: r.rank === null ? null : Number(r.rank),
    groupSize: Number(r.size),
    score: r.score === null ? null : Number(r.score),
    group: r.group,
  }));
}

export async function unitBreakdown(db: DbOrTx, ranking: RankingHead, unitId: number) {
  const [row] = await db
    .select()
    .from(rankingUnitResults)
    .where(and(eq(rankingUnitResults.rankingId, ranking.id), eq(rankingUnitResults.unitId, unitId)));
  if (!row) throw notFound();
  const [size, points, members, previous, commitment, live] = await Promise.all([
    groupSize(db, "units", ranking.id, row.peerGroup),
    history(db, "units", unitId),
    db
      .select({
        cadreId: rankingCadreResults.cadreId,
        staffNo: rankingCadreResults.staffNo,
        name: rankingCadreResults.name,
        cadreRank: rankingCadreResults.cadreRank,
        hoursEarned: rankingCadreResults.hoursEarned,
        hoursRequired: rankingCadreResults.hoursRequired,
        trainingValue: rankingCadreResults.trainingValue,
      })
      .from(rankingCadreResults)
      .where(and(eq(rankingCadreResults.rankingId, ranking.id), eq(rankingCadreResults.unitId, unitId)))
      .orderBy(rankingCadreResults.staffNo),
    ranking.previousId
      ? db
          .select({ rank: rankingUnitResults.rank })
          .from(rankingUnitResults)
          .where(and(eq(rankingUnitResults.rankingId, ranking.previousId), eq(rankingUnitResults.unitId, unitId)))
      : Promise.resolve([]),
    db
      .select({ text: rankingCommitments.text, responsibleName: rankingCommitments.responsibleName, meetingId: rankingMeetings.id })
      .from(rankingCommitments)
      .innerJoin(rankingMeetings, eq(rankingMeetings.id, rankingCommitments.meetingId))
      .where(and(eq(rankingMeetings.quarter, previousQuarter(ranking.quarter)), eq(rankingCommitments.unitId, unitId))),
    db.select({ name: units.name }).from(units).where(eq(units.id, unitId)),
  ]);
  const previousRank = previous[0]?.rank ?? null;
  return {
    kind: "units" as const,
    id: unitId,
    code: row.code,
    name: row.name,
    liveName: live[0]?.name ?? null,
    group: row.peerGroup as string,
    participates: row.participates,
    score: row.score,
    rank: row.rank,
    tieSize: row.tieSize,
    groupSize: size,
    inputs: {
      enrolled: row.enrolled,
      present: row.present,
      late: row.late,
      excused: row.excused,
      frontlineDays: row.frontlineDays,
      satisfied: row.satisfied,
      unsatisfied: row.unsatisfied,
      members: row.members,
      membersSectionUp: row.membersSectionUp,
      frontlineRaw: row.frontlineRaw,
      frontlineMin: row.frontlineMin,
      frontlineMax: row.frontlineMax,
    },
    lines: lines("units", row, ranking.model.spec.unitWeights),
    members: members.map((m) => ({ ...m, cadreRank: m.cadreRank as string })),
    previousRank,
    change: previousRank !== null && row.rank !== null ? previousRank - row.rank : null,
    commitment: commitment[0] ?? null,
    history: points,
  };
}

export async function cadreBreakdown(db: DbOrTx, ranking: RankingHead, cadreId: number) {
  const [row] = await db
    .select()
    .from(rankingCadreResults)
    .where(and(eq(rankingCadreResults.rankingId, ranking.id), eq(rankingCadreResults.cadreId, cadreId)));
  if (!row) throw notFound();
  const [size, points, unit] = await Promise.all([
    groupSize(db, "cadres", ranking.id, row.band),
    history(db, "cadres", cadreId),
    db
      .select({ name: rankingUnitResults.name, code: rankingUnitResults.code })
      .from(rankingUnitResults)
      .where(and(eq(rankingUnitResults.rankingId, ranking.id), eq(rankingUnitResults.unitId, row.unitId))),
  ]);
  return {
    kind: "cadres" as const,
    id: cadreId,
    code: row.staffNo,
    name: row.name,
    unitId: row.unitId,
    unitName: unit[0]?.name ?? "",
    cadreRank: row.cadreRank as string,
    group: row.band as string,
    score: row.score,
    rank: row.rank,
    tieSize: row.tieSize,
    groupSize: size,
    inputs: {
      enrolled: row.enrolled,
      present: row.present,
      late: row.late,
      excused: row.excused,
      hoursEarned: row.hoursEarned,
      hoursMakeup: row.hoursMakeup,
      hoursRequired: row.hoursRequired,
      frontlineDays: row.frontlineDays,
      frontlineQuota: row.frontlineQuota,
      grade: row.grade,
    },
    lines: lines("cadres", row, ranking.model.spec.cadreWeights),
    history: points,
  };
}

/** The unit a cadre belonged to in a ranking (for the scope check before showing the breakdown). */
export async function cadreUnitIn(db: DbOrTx, rankingId: number, cadreId: number): Promise<number | null> {
  const [row] = await db
    .select({ unitId: rankingCadreResults.unitId })
    .from(rankingCadreResults)
    .where(and(eq(rankingCadreResults.rankingId, rankingId), eq(rankingCadreResults.cadreId, cadreId)));
  return row?.unitId ?? null;
}

export type UnitBreakdown = Awaited<ReturnType<typeof unitBreakdown>>;
export type CadreBreakdown = Awaited<ReturnType<typeof cadreBreakdown>>;
