import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { todayInShanghai } from "~/utils/dates";
import { forbidden, invalid, notFound } from "~/utils/errors";
import { idList } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import { shortlistNominations, shortlistRounds } from "~db/schema";
import type { ShortlistRules } from "~db/schema/shortlists";
import { isNominator, isShortlistAdmin, mayUseShortlists, type ShortlistCaller } from "./access";
import { canonicalJson, type NominationWindow, nominationWindow } from "./rules";
import type { RoundInput } from "./schema";

/** Opening, editing and reading rounds. */

export type Round = typeof shortlistRounds.$inferSelect;

/**
 * The units whose cadres the caller nominates: the subtrees of the units they head or liaise for. For
 * an org admin who is also a head, scope says "everything", so the subtrees are looked up here.
 */
export async function managedUnitIds(db: DbOrTx, caller: ShortlistCaller): Promise<number[]> {
  if (!isNominator(caller)) return [];
  if (!caller.scope.all) return caller.scope.unitIds;
  return unitSubtreeIds(db, [...caller.headOfUnitIds, ...caller.liaisonOfUnitIds]);
}

/** A round the caller may open (every round for the roles that use shortlists), or 404/403. */
export async function getRound(db: DbOrTx, caller: Pick<ShortlistCaller, "roles">, roundId: number): Promise<Round> {
  if (!mayUseShortlists(caller)) throw forbidden();
  const [round] = await db.select().from(shortlistRounds).where(eq(shortlistRounds.id, roundId));
  if (!round) throw notFound();
  return round;
}

export interface RoundSummary {
  id: number;
  name: string;
  status: Round["status"];
  deadline: Date;
  quota: number;
  publishedVersion: number;
  window: NominationWindow;
  /** Active nominations (in the caller's units for heads and liaisons). */
  nominated: number;
  undecided: number;
  shortlisted: number;
}

/** Every round, newest first, with its counts; heads and liaisons count only their units. */
export async function listRounds(db: DbOrTx, caller: ShortlistCaller, now = new Date()): Promise<RoundSummary[]> {
  if (!mayUseShortlists(caller)) throw forbidden();
  const admin = isShortlistAdmin(caller);
  const mine = admin ? null : await managedUnitIds(db, caller);
  const inScope = mine ? (mine.length ? sql`and n.unit_id in ${idList(mine)}` : sql`and false`) : sql``;
  const rows = await db.execute<{ id: number; nominated: number; undecided: number; shortlisted: number }>(sql`
    select r.id,
      count(n.id) filter (where n.withdrawn_at is null)::int as nominated,
      count(n.id) filter (where n.withdrawn_at is null and n.decision is null)::int as undecided,
      count(n.id) filter (where n.withdrawn_at is null and n.decision = 'shortlisted')::int as shortlisted
    from shortlist_rounds r
    left join shortlist_nominations n on n.round_id = r.id ${inScope}
    group by r.id`);
  const counts = new Map(rows.map((r) => [Number(r.id), r]));
  const rounds = await db.select().from(shortlistRounds).orderBy(desc(shortlistRounds.createdAt), desc(shortlistRounds.id));
  return rounds.map((r) => {
    const c = counts.get(r.id);
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      deadline: r.deadline,
      quota: r.quota,
      publishedVersion: r.publishedVersion,
      window: nominationWindow(r, now),
      nominated: Number(c?.nominated ?? 0),
      // Decisions before publication are the department's: heads see counts of their nominations only.
      undecided: admin ? Number(c?.undecided ?? 0) : 0,
      shortlisted: admin ? Number(c?.shortlisted ?? 0) : 0,
    };
  });
}

/** What the round form states besides the round: the frontline rule's days, and this year for the training rule. */
export async function roundFormContext(db: DbOrTx) {
  return { frontlineDays: (await getFrontlineRules(db)).eligibilityMinDays, year: Number(todayInShanghai().slice(0, 4)) };
}

function auditable(r: Pick<Round, "name" | "description" | "quota" | "deadline" | "rules">) {
  return { name: r.name, description: r.description, quota: r.quota, deadline: r.deadline.toISOString(), rules: r.rules as ShortlistRules };
}

export async function createRound(
  db: Database,
  caller: ShortlistCaller,
  input: RoundInput,
  now = new Date(),
): Promise<{ roundId: number }> {
  if (!isShortlistAdmin(caller)) throw forbidden();
  if (input.deadline.getTime() <= now.getTime()) throw invalid("shortlists.validation.deadlinePast", "deadline");
  return db.transaction(async (tx) => {
    const [round] = await tx
      .insert(shortlistRounds)
      .values({
        name: input.name,
        description: input.description,
        quota: input.quota,
        deadline: input.deadline,
        rules: input.rules,
        createdBy: caller.id,
      })
      .returning();
    await audit(
      tx,
      { userId: caller.id },
      { action: "shortlist.round_created", entityType: "shortlist_round", entityId: round!.id, after: auditable(round!) },
    );
    return { roundId: round!.id };
  });
}

/**
 * Edits a round. The quota may not drop below the cadres already shortlisted; a changed deadline or
 * rule set applies from now on (a published version keeps what it froze).
 */
export async function updateRound(
  db: Database,
  caller: ShortlistCaller,
  roundId: number,
  input: RoundInput,
): Promise<{ changed: boolean }> {
  if (!isShortlistAdmin(caller)) throw forbidden();
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(shortlistRounds).where(eq(shortlistRounds.id, roundId)).for("update");
    if (!round) throw notFound();
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(shortlistNominations)
      .where(
        and(
          eq(shortlistNominations.roundId, roundId),
          isNull(shortlistNominations.withdrawnAt),
          eq(shortlistNominations.decision, "shortlisted"),
        ),
      );
    if (input.quota < Number(n)) throw invalid("shortlists.validation.quotaBelow", "quota", { count: Number(n) });
    const before = auditable(round);
    const after = auditable({ ...round, ...input });
    if (canonicalJson(before) === canonicalJson(after)) return { changed: false };
    await tx
      .update(shortlistRounds)
      .set({
        name: input.name,
        description: input.description,
        quota: input.quota,
        deadline: input.deadline,
        rules: input.rules,
        updatedAt: new Date(),
      })
      .where(eq(shortlistRounds.id, roundId));
    await audit(
      tx,
      { userId: caller.id },
      { action: "shortlist.round_updated", entityType: "shortlist_round", entityId: roundId, before, after },
    );
    return { changed: true };
  });
}
