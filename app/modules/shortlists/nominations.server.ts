import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { conflict, forbidden, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, shortlistNominations, shortlistRounds, units } from "~db/schema";
import { isNominator, isShortlistAdmin, type ShortlistCaller } from "./access";
import { evaluateCadres } from "./eligibility.server";
import { nominationRows } from "./nomination-rows.server";
import { managedUnitIds, type Round } from "./rounds.server";
import { nominationWindow } from "./rules";

/**
 * Nominations by unit heads (and liaisons acting for them): a cadre of their units with a written
 * recommendation, before the deadline; a cadre who fails a rule only with an override reason, which
 * the organization department sees highlighted. One nomination per cadre and round however often the
 * form is sent; withdrawal until the department decides.
 */

export interface NominationInput {
  cadreId: number;
  recommendation: string;
  overrideReason?: string | null;
}

function windowError(round: Pick<Round, "status" | "deadline">, now: Date) {
  const state = nominationWindow(round, now);
  if (state === "published") return conflict("shortlists.errors.published");
  if (state === "deadlinePassed") return conflict("shortlists.errors.deadlinePassed");
  return null;
}

export async function nominate(
  db: Database,
  caller: ShortlistCaller,
  roundId: number,
  input: NominationInput,
  options: { now?: Date } = {},
): Promise<{ nominationId: number; created: boolean }> {
  if (!isNominator(caller)) throw forbidden();
  const now = options.now ?? new Date();
  const managed = await managedUnitIds(db, caller);
  // Another unit's cadre, or oneself, does not exist for this form.
  const [cadre] = await db
    .select({ id: cadres.id, unitId: cadres.unitId, rank: cadres.rank })
    .from(cadres)
    .where(and(eq(cadres.id, input.cadreId), eq(cadres.status, "active")));
  if (!cadre || cadre.id === caller.cadreId || !managed.includes(cadre.unitId)) throw notFound();

  return db.transaction(async (tx) => {
    // Shared: nominations may run side by side, but not alongside a publication (which takes it exclusively).
    const [round] = await tx.select().from(shortlistRounds).where(eq(shortlistRounds.id, roundId)).for("share");
    if (!round) throw notFound();
    const closed = windowError(round, now);
    if (closed) throw closed;
    const [existing] = await tx
      .select()
      .from(shortlistNominations)
      .where(and(eq(shortlistNominations.roundId, roundId), eq(shortlistNominations.cadreId, cadre.id)))
      .for("update");
    if (existing && existing.withdrawnAt === null) return { nominationId: existing.id, created: false };

    const evaluation = (await evaluateCadres(tx, round, [{ cadreId: cadre.id, rank: cadre.rank }], { now })).get(cadre.id)!;
    const overrideReason = input.overrideReason?.trim() || null;
    if (!evaluation.eligible && !overrideReason) throw invalid("shortlists.validation.overrideRequired", "overrideReason");
    const values = {
      unitId: cadre.unitId,
      recommendation: input.recommendation.trim(),
      eligible: evaluation.eligible,
      eligibility: evaluation,
      // An override is the answer to a failed rule; an eligible cadre needs none.
      overrideReason: evaluation.eligible ? null : overrideReason,
      nominatedBy: caller.id,
    };
    let nominationId: number;
    if (existing) {
      // Nominated again after a withdrawal: the same row, now a candidate again.
      await tx
        .update(shortlistNominations)
        .set({ ...values, withdrawnAt: null, decision: null, decisionReason: null, decidedBy: null, decidedAt: null, updatedAt: now })
        .where(eq(shortlistNominations.id, existing.id));
      nominationId = existing.id;
    } else {
      const [row] = await tx
        .insert(shortlistNominations)
        .values({ roundId, cadreId: cadre.id, ...values })
        .onConflictDoNothing({ target: [shortlistNominations.roundId, shortlistNominations.cadreId] })
        .returning({ id: shortlistNominations.id });
      if (!row) {
        // The same form sent twice at once: the other request made it.
        const [other] = await tx
          .select({ id: shortlistNominations.id })
          .from(shortlistNominations)
          .where(and(eq(shortlistNominations.roundId, roundId), eq(shortlistNominations.cadreId, cadre.id)));
        return { nominationId: other!.id, created: false };
      }
      nominationId = row.id;
    }
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "shortlist.nominated",
        entityType: "shortlist_nomination",
        entityId: nominationId,
        after: { roundId, cadreId: cadre.id, unitId: cadre.unitId, eligible: evaluation.eligible, overrideReason: values.overrideReason },
        reason: values.overrideReason,
      },
    );
    return { nominationId, created: true };
  });
}

/** Withdraws a nomination of the caller's units that the department has not decided yet. */
export async function withdrawNomination(
  db: Database,
  caller: ShortlistCaller,
  roundId: number,
  nominationId: number,
  options: { now?: Date } = {},
): Promise<{ changed: boolean }> {
  if (!isNominator(caller)) throw forbidden();
  const now = options.now ?? new Date();
  const managed = await managedUnitIds(db, caller);
  const [head] = await db
    .select({ roundId: shortlistNominations.roundId, unitId: shortlistNominations.unitId, cadreId: shortlistNominations.cadreId })
    .from(shortlistNominations)
    .where(eq(shortlistNominations.id, nominationId));
  if (!head || head.roundId !== roundId || !managed.includes(head.unitId) || head.cadreId === caller.cadreId) throw notFound();
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(shortlistRounds).where(eq(shortlistRounds.id, head.roundId)).for("share");
    const [row] = await tx.select().from(shortlistNominations).where(eq(shortlistNominations.id, nominationId)).for("update");
    if (!round || !row) throw notFound();
    if (row.withdrawnAt) return { changed: false };
    if (round.status === "published") throw conflict("shortlists.errors.published");
    if (row.decision) throw conflict("shortlists.errors.alreadyDecided");
    await tx.update(shortlistNominations).set({ withdrawnAt: now, updatedAt: now }).where(eq(shortlistNominations.id, nominationId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "shortlist.withdrawn",
        entityType: "shortlist_nomination",
        entityId: nominationId,
        before: { withdrawnAt: null },
        after: { roundId: row.roundId, cadreId: row.cadreId, withdrawnAt: now.toISOString() },
      },
    );
    return { changed: true };
  });
}

/**
 * The nominations of a round as the caller may see them: all for the department, with decisions;
 * their units' for heads and liaisons, without the decisions (those come with the published list).
 * Each with the cadre's eligibility now, beside the one recorded when nominated.
 */
export async function nominationsView(db: DbOrTx, caller: ShortlistCaller, round: Round, options: { now?: Date } = {}) {
  const admin = isShortlistAdmin(caller);
  const mine = admin ? null : await managedUnitIds(db, caller);
  const rows = await nominationRows(
    db,
    and(
      eq(shortlistNominations.roundId, round.id),
      mine ? (mine.length ? inArray(shortlistNominations.unitId, mine) : sql`false`) : undefined,
      mine && caller.cadreId ? sql`${shortlistNominations.cadreId} <> ${caller.cadreId}` : undefined,
    ),
    [sql`${shortlistNominations.withdrawnAt} is not null`, asc(units.code), sql`${cadres.rank} desc`, asc(cadres.staffNo)],
  );
  const evaluations = await evaluateCadres(
    db,
    round,
    rows.filter((r) => !r.withdrawnAt),
    options,
  );
  const active = rows.filter((r) => !r.withdrawnAt);
  return {
    rows: rows.map((r) => ({
      ...r,
      evaluation: evaluations.get(r.cadreId) ?? null,
      decision: admin ? r.decision : null,
      decisionReason: admin ? r.decisionReason : null,
      decidedAt: admin ? r.decidedAt : null,
      decidedBy: admin ? r.decidedBy : null,
    })),
    counts: {
      active: active.length,
      undecided: admin ? active.filter((r) => !r.decision).length : null,
      shortlisted: admin ? active.filter((r) => r.decision === "shortlisted").length : null,
      overrides: active.filter((r) => !r.eligibleAtNomination).length,
    },
  };
}
