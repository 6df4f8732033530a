import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, frontlineRecords, shortlistNominations, units } from "~db/schema";
import { QUALIFYING_CATEGORIES } from "~db/schema/frontline";
import type { ShortlistDecision } from "~db/schema/shortlists";
import { isShortlistAdmin, type ShortlistCaller } from "./access";
import { activeCadres, evaluateCadres } from "./eligibility.server";
import { nominationRows } from "./nomination-rows.server";
import { managedUnitIds, type Round } from "./rounds.server";
import type { CandidateCadre, Evaluation } from "./rules";

/**
 * The round page's candidate table: every active cadre the caller may see (all for the organization
 * department; the units and sub-units a head or liaison looks after, never themselves), each rule
 * evaluated with its evidence, with the nomination if there is one. Filters by unit, eligibility,
 * nomination and a search; 50 to a page (page 0: all, for the exports).
 */

export const CANDIDATE_PAGE_SIZE = 50;

export interface CandidateNomination {
  id: number;
  withdrawn: boolean;
  /** Only for the organization department before publication. */
  decision: ShortlistDecision | null;
}

export interface CandidateRow extends CandidateCadre {
  evaluation: Evaluation;
  nomination: CandidateNomination | null;
}

export interface CandidateFilter {
  unit?: number;
  eligible?: boolean;
  nominated?: boolean;
  q?: string;
  page?: number;
}

/** The units the caller's candidate list covers, narrowed to a chosen unit and its sub-units. */
async function candidateUnits(db: DbOrTx, caller: ShortlistCaller, unit?: number): Promise<number[] | undefined> {
  const chosen = unit ? await unitSubtreeIds(db, [unit]) : undefined;
  if (isShortlistAdmin(caller)) return chosen;
  const mine = await managedUnitIds(db, caller);
  return chosen ? chosen.filter((id) => mine.includes(id)) : mine;
}

export async function candidateView(
  db: DbOrTx,
  caller: ShortlistCaller,
  round: Round,
  filter: CandidateFilter,
  options: { now?: Date } = {},
) {
  const admin = isShortlistAdmin(caller);
  const people = await activeCadres(db, {
    unitIds: await candidateUnits(db, caller, filter.unit),
    q: filter.q,
    excludeCadreId: admin ? null : caller.cadreId,
  });
  const evaluations = await evaluateCadres(db, round, people, options);
  const nominations = people.length
    ? await db
        .select({
          id: shortlistNominations.id,
          cadreId: shortlistNominations.cadreId,
          withdrawnAt: shortlistNominations.withdrawnAt,
          decision: shortlistNominations.decision,
        })
        .from(shortlistNominations)
        .where(
          and(
            eq(shortlistNominations.roundId, round.id),
            inArray(
              shortlistNominations.cadreId,
              people.map((p) => p.cadreId),
            ),
          ),
        )
    : [];
  const byCadre = new Map(
    nominations.map((n) => [n.cadreId, { id: n.id, withdrawn: n.withdrawnAt !== null, decision: admin ? n.decision : null }]),
  );
  const all: CandidateRow[] = people.map((p) => ({
    ...p,
    evaluation: evaluations.get(p.cadreId)!,
    nomination: byCadre.get(p.cadreId) ?? null,
  }));
  const active = (r: CandidateRow) => r.nomination !== null && !r.nomination.withdrawn;
  const counts = { cadres: all.length, eligible: all.filter((r) => r.evaluation.eligible).length, nominated: all.filter(active).length };
  const shown = all.filter((r) => (!filter.eligible || r.evaluation.eligible) && (!filter.nominated || active(r)));
  const page = filter.page === 0 ? 0 : Math.max(1, filter.page ?? 1);
  const pages = Math.max(1, Math.ceil(shown.length / CANDIDATE_PAGE_SIZE));
  const rows =
    page === 0 ? shown : shown.slice((Math.min(page, pages) - 1) * CANDIDATE_PAGE_SIZE, Math.min(page, pages) * CANDIDATE_PAGE_SIZE);
  return {
    rows,
    total: shown.length,
    page: page === 0 ? 1 : Math.min(page, pages),
    pages: page === 0 ? 1 : pages,
    counts,
    asOf: all[0]?.evaluation.asOf ?? null,
  };
}

/**
 * One cadre's case in a round: the evaluation with every rule's evidence, the qualifying frontline
 * records behind the frontline rule, and the nomination. Outside the caller's scope (or themselves,
 * for a head or liaison) the cadre does not exist here.
 */
export async function candidateDetail(db: DbOrTx, caller: ShortlistCaller, round: Round, cadreId: number, options: { now?: Date } = {}) {
  const admin = isShortlistAdmin(caller);
  const [cadre] = await db
    .select({
      cadreId: cadres.id,
      staffNo: cadres.staffNo,
      name: cadres.name,
      unitId: cadres.unitId,
      unitCode: units.code,
      unitName: units.name,
      rank: cadres.rank,
      title: cadres.title,
      status: cadres.status,
    })
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(eq(cadres.id, cadreId));
  if (!cadre) throw notFound();
  if (!admin && (cadre.cadreId === caller.cadreId || !(await managedUnitIds(db, caller)).includes(cadre.unitId))) throw notFound();
  const [nomination] = await nominationRows(db, and(eq(shortlistNominations.roundId, round.id), eq(shortlistNominations.cadreId, cadreId)));
  if (cadre.status !== "active" && !nomination) throw notFound();
  const evaluation = (await evaluateCadres(db, round, [cadre], options)).get(cadre.cadreId)!;
  const frontline = round.rules.frontline
    ? await db
        .select({
          id: frontlineRecords.id,
          category: frontlineRecords.category,
          place: frontlineRecords.place,
          startDate: frontlineRecords.startDate,
          endDate: frontlineRecords.endDate,
        })
        .from(frontlineRecords)
        .where(
          and(
            eq(frontlineRecords.cadreId, cadreId),
            eq(frontlineRecords.status, "verified"),
            inArray(frontlineRecords.category, [...QUALIFYING_CATEGORIES]),
            lte(frontlineRecords.startDate, evaluation.asOf),
          ),
        )
        .orderBy(desc(frontlineRecords.startDate))
        .limit(30)
    : [];
  return {
    cadre,
    evaluation,
    frontline,
    nomination: nomination
      ? {
          id: nomination.id,
          recommendation: nomination.recommendation,
          overrideReason: nomination.overrideReason,
          eligibleAtNomination: nomination.eligibleAtNomination,
          nominatedByName: nomination.nominatedBy,
          createdAt: nomination.createdAt,
          withdrawnAt: nomination.withdrawnAt,
          // Before publication a decision is the department's own.
          decision: admin ? nomination.decision : null,
          decisionReason: admin ? nomination.decisionReason : null,
          decidedAt: admin ? nomination.decidedAt : null,
        }
      : null,
  };
}
