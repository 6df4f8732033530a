import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { type Actor, audit } from "~/modules/audit/service.server";
import { type CurrentUser, hasRole, scopeCoversUnit } from "~/modules/auth/roles";
import { unitTreeCte } from "~/modules/organization/tree.server";
import { todayInShanghai } from "~/utils/dates";
import { forbidden, invalid, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { publicRatings, ratingAccountabilityRequests, ratingCaseCalls, ratingCases, ratingPoints, units } from "~db/schema";
import { openAccountabilityFromRatingCase } from "./accountability.server";
import { maskPhone } from "./rules";
import type { CaseAction, CaseFilter } from "./schema";

/**
 * Follow-up cases (回访) of 不满意 ratings. Everyone whose scope covers the unit sees its cases; the
 * caller's phone is shown whole only to the unit's own handlers (its head and liaisons) and to the
 * organization department, masked everywhere else and in every list. The unit's handlers record calls
 * and the finding; the organization department closes, returns, or closes with accountability.
 */

export type CaseCaller = Pick<CurrentUser, "id" | "roles" | "scope" | "headOfUnitIds" | "liaisonOfUnitIds">;

export const isOrgDepartment = (user: Pick<CurrentUser, "roles">) => hasRole(user, "org_admin");
export const handlesUnit = (user: Pick<CurrentUser, "headOfUnitIds" | "liaisonOfUnitIds">, unitId: number) =>
  user.headOfUnitIds.includes(unitId) || user.liaisonOfUnitIds.includes(unitId);
const seesPhone = (user: CaseCaller, unitId: number) => isOrgDepartment(user) || handlesUnit(user, unitId);

export const CASE_PAGE_SIZE = 30;

/** Who acted: the cadre's name for a cadre's account, else the account's display name. */
const personName = (userId: AnyPgColumn) =>
  sql<
    string | null
  >`(select coalesce(c.name, nullif(u.display_name, ''), u.email) from users u left join cadres c on c.id = u.cadre_id where u.id = ${userId})`;

function scopeFilter(user: CaseCaller) {
  return user.scope.all ? undefined : sql`${ratingCases.unitId} = any(${`{${user.scope.unitIds.join(",")}}`}::int[])`;
}

function stateFilter(state: CaseFilter["state"], today: string) {
  if (state === "all") return undefined;
  if (state === "overdue") return sql`${ratingCases.state} = 'open' and ${ratingCases.dueOn} < ${today}::date`;
  return eq(ratingCases.state, state);
}

export async function listCases(db: DbOrTx, user: CaseCaller, filter: CaseFilter, now = new Date()) {
  const today = todayInShanghai(now);
  const where = and(scopeFilter(user), stateFilter(filter.state, today), filter.unit ? eq(ratingCases.unitId, filter.unit) : undefined);
  const rows = await db
    .select({
      id: ratingCases.id,
      unitId: ratingCases.unitId,
      unitName: units.name,
      pointName: ratingPoints.name,
      openedAt: ratingCases.openedAt,
      dueOn: ratingCases.dueOn,
      state: ratingCases.state,
      finding: ratingCases.finding,
      outcome: ratingCases.outcome,
      phone: ratingCases.phone,
      reasons: publicRatings.reasons,
      comment: publicRatings.comment,
    })
    .from(ratingCases)
    .innerJoin(units, eq(units.id, ratingCases.unitId))
    .innerJoin(ratingPoints, eq(ratingPoints.id, ratingCases.pointId))
    .innerJoin(publicRatings, eq(publicRatings.id, ratingCases.ratingId))
    .where(where)
    .orderBy(sql`(${ratingCases.state} = 'open') desc`, asc(ratingCases.dueOn), desc(ratingCases.id))
    .limit(CASE_PAGE_SIZE + 1)
    .offset((filter.page - 1) * CASE_PAGE_SIZE);
  return {
    rows: rows.slice(0, CASE_PAGE_SIZE).map(({ phone, ...r }) => ({
      ...r,
      phone: maskPhone(phone),
      overdue: r.state === "open" && r.dueOn < today,
    })),
    hasMore: rows.length > CASE_PAGE_SIZE,
  };
}

/** Cases by state (and overdue) in the caller's scope, optionally for one unit. */
export async function caseCounts(db: DbOrTx, user: CaseCaller, unitId?: number, now = new Date()) {
  const today = todayInShanghai(now);
  const [row] = await db
    .select({
      open: sql<number>`count(*) filter (where ${ratingCases.state} = 'open')::int`,
      overdue: sql<number>`count(*) filter (where ${ratingCases.state} = 'open' and ${ratingCases.dueOn} < ${today}::date)::int`,
      submitted: sql<number>`count(*) filter (where ${ratingCases.state} = 'submitted')::int`,
      closed: sql<number>`count(*) filter (where ${ratingCases.state} = 'closed')::int`,
      void: sql<number>`count(*) filter (where ${ratingCases.state} = 'void')::int`,
      confirmed: sql<number>`count(*) filter (where ${ratingCases.state} = 'closed' and ${ratingCases.finding} = 'confirmed')::int`,
    })
    .from(ratingCases)
    .where(and(scopeFilter(user), unitId ? eq(ratingCases.unitId, unitId) : undefined));
  return row!;
}

export async function getCase(db: DbOrTx, user: CaseCaller, caseId: number, now = new Date()) {
  const [row] = await db
    .select({
      case: ratingCases,
      unitName: units.name,
      unitCode: units.code,
      pointName: ratingPoints.name,
      pointCode: ratingPoints.code,
      ratedAt: publicRatings.ratedAt,
      reasons: publicRatings.reasons,
      comment: publicRatings.comment,
      submittedByName: personName(ratingCases.submittedByUserId),
      closedByName: personName(ratingCases.closedByUserId),
    })
    .from(ratingCases)
    .innerJoin(units, eq(units.id, ratingCases.unitId))
    .innerJoin(ratingPoints, eq(ratingPoints.id, ratingCases.pointId))
    .innerJoin(publicRatings, eq(publicRatings.id, ratingCases.ratingId))
    .where(eq(ratingCases.id, caseId));
  if (!row || !scopeCoversUnit(user.scope, row.case.unitId)) throw notFound();
  const calls = await db
    .select({
      id: ratingCaseCalls.id,
      reached: ratingCaseCalls.reached,
      note: ratingCaseCalls.note,
      calledAt: ratingCaseCalls.calledAt,
      by: personName(ratingCaseCalls.byUserId),
    })
    .from(ratingCaseCalls)
    .where(eq(ratingCaseCalls.caseId, caseId))
    .orderBy(asc(ratingCaseCalls.id));
  const [accountability] = await db
    .select({ id: ratingAccountabilityRequests.id, note: ratingAccountabilityRequests.note, at: ratingAccountabilityRequests.requestedAt })
    .from(ratingAccountabilityRequests)
    .where(eq(ratingAccountabilityRequests.caseId, caseId));
  const { phone, ...rest } = row.case;
  const today = todayInShanghai(now);
  return {
    ...rest,
    phone: seesPhone(user, row.case.unitId) ? phone : maskPhone(phone),
    unitName: row.unitName,
    unitCode: row.unitCode,
    pointName: row.pointName,
    pointCode: row.pointCode,
    ratedAt: row.ratedAt,
    reasons: row.reasons,
    comment: row.comment,
    submittedByName: row.submittedByName,
    closedByName: row.closedByName,
    overdue: row.case.state === "open" && row.case.dueOn < today,
    calls,
    accountability: accountability ?? null,
    can: {
      handle: handlesUnit(user, row.case.unitId) && row.case.state === "open",
      review: isOrgDepartment(user) && row.case.state === "submitted",
    },
  };
}

/**
 * One of the case's actions, in a transaction that locks the case row, checks the state the action
 * needs (so a double click or two handlers at once act once) and audits what changed.
 */
export async function actOnCase(db: DbOrTx, user: CaseCaller, caseId: number, action: CaseAction) {
  const actor: Actor = { userId: user.id };
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(ratingCases).where(eq(ratingCases.id, caseId)).for("update");
    if (!c || !scopeCoversUnit(user.scope, c.unitId)) throw notFound();
    if (action.intent === "call" || action.intent === "finding") {
      if (!handlesUnit(user, c.unitId)) throw forbidden();
      if (c.state !== "open") throw invalid("ratings.cases.errors.notOpen", "form");
    } else {
      if (!isOrgDepartment(user)) throw forbidden();
      if (c.state !== "submitted") throw invalid("ratings.cases.errors.notSubmitted", "form");
    }
    if (action.intent === "call") {
      const [call] = await tx
        .insert(ratingCaseCalls)
        .values({ caseId, reached: action.reached, note: action.note, byUserId: user.id })
        .returning();
      await audit(tx, actor, {
        action: "rating_case.called",
        entityType: "rating_case",
        entityId: caseId,
        after: { reached: action.reached, callId: call!.id },
      });
      return { state: c.state };
    }
    if (action.intent === "finding") {
      const calls = await tx.select({ id: ratingCaseCalls.id }).from(ratingCaseCalls).where(eq(ratingCaseCalls.caseId, caseId)).limit(1);
      // A caller who left a phone is called (or tried) before the unit reports.
      if (c.phone && !calls.length) throw invalid("ratings.cases.errors.callFirst", "form");
      const after = {
        finding: action.finding,
        findingNote: action.findingNote,
        rectification: action.finding === "confirmed" ? (action.rectification ?? null) : (action.rectification ?? null),
      };
      await tx
        .update(ratingCases)
        .set({ ...after, state: "submitted", submittedAt: new Date(), submittedByUserId: user.id })
        .where(eq(ratingCases.id, caseId));
      await audit(tx, actor, {
        action: "rating_case.submitted",
        entityType: "rating_case",
        entityId: caseId,
        before: { state: c.state },
        after,
      });
      return { state: "submitted" as const };
    }
    if (action.decision === "return") {
      await tx.update(ratingCases).set({ state: "open", returnNote: action.note }).where(eq(ratingCases.id, caseId));
      await audit(tx, actor, {
        action: "rating_case.returned",
        entityType: "rating_case",
        entityId: caseId,
        before: { state: c.state },
        after: { state: "open" },
        reason: action.note,
      });
      return { state: "open" as const };
    }
    const outcome = action.decision === "accountability" ? ("accountability" as const) : ("closed" as const);
    await tx
      .update(ratingCases)
      .set({ state: "closed", outcome, reviewNote: action.note, closedAt: new Date(), closedByUserId: user.id })
      .where(eq(ratingCases.id, caseId));
    await audit(tx, actor, {
      action: "rating_case.closed",
      entityType: "rating_case",
      entityId: caseId,
      before: { state: c.state },
      after: { state: "closed", outcome },
      reason: action.note,
    });
    if (outcome === "accountability") {
      const [unit] = await tx.select({ headCadreId: units.headCadreId }).from(units).where(eq(units.id, c.unitId));
      await openAccountabilityFromRatingCase(tx, actor, {
        caseId,
        unitId: c.unitId,
        headCadreId: unit?.headCadreId ?? null,
        note: action.note,
      });
    }
    return { state: "closed" as const };
  });
}

/**
 * For the head's home (the workbench places it): the caller's units' new 不满意 cases (opened in the
 * last 7 days, still open) and overdue ones, and for the organization department the reports waiting
 * for its review. Each count links to /ratings/cases with the matching filter.
 */
export async function ratingHomeCounts(db: DbOrTx, user: CaseCaller, now = new Date()) {
  if (!isOrgDepartment(user) && !user.headOfUnitIds.length && !user.liaisonOfUnitIds.length) return null;
  const today = todayInShanghai(now);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const [row] = await db
    .select({
      newCases: sql<number>`count(*) filter (where ${ratingCases.state} = 'open' and ${ratingCases.openedAt} >= ${weekAgo}::timestamptz)::int`,
      overdue: sql<number>`count(*) filter (where ${ratingCases.state} = 'open' and ${ratingCases.dueOn} < ${today}::date)::int`,
      toReview: sql<number>`count(*) filter (where ${ratingCases.state} = 'submitted')::int`,
    })
    .from(ratingCases)
    .where(scopeFilter(user));
  return {
    newCases: { count: row!.newCases, href: "/ratings/cases?state=open" },
    overdue: { count: row!.overdue, href: "/ratings/cases?state=overdue" },
    toReview: isOrgDepartment(user) ? { count: row!.toReview, href: "/ratings/cases?state=submitted" } : null,
  };
}

/**
 * For the weekly digest, gathered for every recipient unit at once (one statement): per root unit and
 * everything below it, the 不满意 cases opened in [from, to) and the cases open past their due day.
 * Only units with either appear.
 */
export async function digestCaseCounts(db: DbOrTx, roots: readonly number[], period: { from: Date; to: Date }, today: string) {
  if (!roots.length) return [];
  const rows = await db.execute<{ root_id: number; new_cases: number; overdue: number }>(sql`
    with recursive ${unitTreeCte(roots)}
    select t.root_id,
      count(*) filter (where c.opened_at >= ${period.from.toISOString()}::timestamptz and c.opened_at < ${period.to.toISOString()}::timestamptz and c.state <> 'void')::int as new_cases,
      count(*) filter (where c.state = 'open' and c.due_on < ${today}::date)::int as overdue
    from tree t join rating_cases c on c.unit_id = t.unit_id
    group by t.root_id
    having count(*) filter (where c.opened_at >= ${period.from.toISOString()}::timestamptz and c.opened_at < ${period.to.toISOString()}::timestamptz and c.state <> 'void') > 0
      or count(*) filter (where c.state = 'open' and c.due_on < ${today}::date) > 0`);
  return rows.map((r) => ({ rootId: Number(r.root_id), newCases: Number(r.new_cases), overdue: Number(r.overdue) }));
}
