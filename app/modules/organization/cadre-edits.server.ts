import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { todayInShanghai } from "~/utils/dates";
import { invalid, notFound } from "~/utils/errors";
import { type Database, type DbOrTx, PG_UNIQUE_VIOLATION, pgErrorCode } from "~db/client";
import { cadres, unitLiaisons, unitMemberships, units, users } from "~db/schema";
import { assertOrgAdmin, type OrgCaller } from "./access.server";
import { getCadre } from "./cadres.server";
import { nameInitials } from "./rules";
import type { CadreTransferInput, CadreUpdateInput } from "./schema";
import {
  changeTerms,
  correctTermStarts,
  newTermAllowed,
  type StartCorrection,
  startsAfter,
  type TermChange,
  type TermValue,
  termStarts,
} from "./terms.server";
import { unitOptions } from "./units.server";

/** What the cadre edit page shows: the record, and the units a transfer may go to. */
export async function cadreEditForm(db: DbOrTx, caller: OrgCaller, cadreId: number) {
  assertOrgAdmin(caller);
  const record = await getCadre(db, caller.scope, cadreId, { all: true, unitIds: [], cadreId: null });
  return { ...record, units: await unitOptions(db, caller.scope), today: todayInShanghai() };
}

const emailTaken = () => invalid("organization.errors.emailTaken", "email");

/**
 * Sign-in accepts a cadre's email as well as an account's own, so an email may name one person only:
 * no other cadre, and no account without a cadre (IT staff), may hold it.
 */
async function assertEmailFree(db: DbOrTx, email: string, cadreId: number) {
  const lower = email.toLowerCase();
  const [cadreClash] = await db
    .select({ id: cadres.id })
    .from(cadres)
    .where(and(sql`lower(${cadres.email}) = ${lower}`, ne(cadres.id, cadreId)))
    .limit(1);
  const [userClash] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${lower}`, sql`${users.cadreId} is distinct from ${cadreId}`))
    .limit(1);
  if (cadreClash || userClash) throw emailTaken();
}

/**
 * A cadre who leaves a unit (or the service) stops acting for it: headship and liaison go, or they
 * would keep seeing the unit's people. Returns the audit entries for what was released.
 */
async function releaseUnitRoles(tx: DbOrTx, cadreId: number, onlyUnitId: number | null, reason: string | null) {
  const entries: AuditEntry[] = [];
  const headed = await tx
    .update(units)
    .set({ headCadreId: null })
    .where(and(eq(units.headCadreId, cadreId), onlyUnitId ? eq(units.id, onlyUnitId) : undefined))
    .returning({ id: units.id });
  for (const u of headed) {
    entries.push({
      action: "unit.head_cleared",
      entityType: "unit",
      entityId: u.id,
      before: { headCadreId: cadreId },
      after: { headCadreId: null },
      reason,
    });
  }
  const liaised = await tx
    .delete(unitLiaisons)
    .where(and(eq(unitLiaisons.cadreId, cadreId), onlyUnitId ? eq(unitLiaisons.unitId, onlyUnitId) : undefined))
    .returning({ unitId: unitLiaisons.unitId });
  for (const l of liaised) {
    entries.push({ action: "unit.liaison_removed", entityType: "unit", entityId: l.unitId, before: { cadreId }, reason });
  }
  return entries;
}

/** The roster's personal fields: their values never go into the audit log, only their names. */
const PERSONAL = ["gender", "ethnicity", "birthDate", "nativePlace", "politicalStatus", "education", "degree", "workStartDate"] as const;

/**
 * Saves the record: name, rank, post, contact, status and the roster fields. A new rank or post starts
 * a term on the date given (任现职级时间, 任现职务时间; today when empty), after the current one began;
 * the same rank with another date corrects when the current one began. A new status starts today.
 */
export async function updateCadre(
  db: Database,
  caller: OrgCaller,
  cadreId: number,
  input: CadreUpdateInput,
  options: { today?: string } = {},
) {
  assertOrgAdmin(caller);
  const today = options.today ?? todayInShanghai();
  for (const field of ["rankSince", "postSince", "birthDate", "workStartDate"] as const) {
    if (input[field] && input[field]! > today) throw invalid("roster.errors.dateInFuture", field);
  }
  try {
    await db.transaction(async (tx) => {
      const [current] = await tx
        .select({
          name: cadres.name,
          rank: cadres.rank,
          title: cadres.title,
          email: cadres.email,
          phone: cadres.phone,
          status: cadres.status,
          gender: cadres.gender,
          ethnicity: cadres.ethnicity,
          birthDate: cadres.birthDate,
          nativePlace: cadres.nativePlace,
          politicalStatus: cadres.politicalStatus,
          education: cadres.education,
          degree: cadres.degree,
          workStartDate: cadres.workStartDate,
        })
        .from(cadres)
        .where(eq(cadres.id, cadreId))
        .for("update");
      if (!current) throw notFound();
      const next = {
        name: input.name,
        rank: input.rank,
        title: input.title ?? "",
        email: input.email ?? null,
        phone: input.phone ?? null,
        status: input.status,
        gender: input.gender ?? null,
        ethnicity: input.ethnicity ?? null,
        birthDate: input.birthDate ?? null,
        nativePlace: input.nativePlace ?? null,
        politicalStatus: input.politicalStatus ?? null,
        education: input.education ?? null,
        degree: input.degree ?? null,
        workStartDate: input.workStartDate ?? null,
      } as typeof current;
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);

      const starts = (await termStarts(tx, [cadreId])).get(cadreId);
      const changes: TermChange[] = [];
      const corrections: StartCorrection[] = [];
      const term = (kind: "rank" | "post", field: "rankSince" | "postSince", before: TermValue, after: TermValue, moved: boolean) => {
        const open = starts?.[kind];
        const given = input[field];
        if (moved) {
          const since = given ?? today;
          if (!newTermAllowed(since, open?.start)) throw invalid("roster.errors.beforeStart", field, { date: open!.start! });
          changes.push({ cadreId, before, term: after, since });
        } else if (given && given !== (open?.start ?? null)) {
          if (!startsAfter(given, open?.previousStart)) throw invalid("roster.errors.notAfterStart", field, { date: open!.previousStart! });
          corrections.push({ cadreId, kind, start: given });
        }
      };
      term("rank", "rankSince", { kind: "rank", value: current.rank }, { kind: "rank", value: next.rank }, next.rank !== current.rank);
      term("post", "postSince", { kind: "post", value: current.title }, { kind: "post", value: next.title }, next.title !== current.title);
      if (next.status !== current.status) {
        changes.push({
          cadreId,
          before: { kind: "status", value: current.status },
          term: { kind: "status", value: next.status },
          since: today,
        });
      }
      if (changed.length === 0 && corrections.length === 0) return;
      if (changed.includes("email") && next.email) await assertEmailFree(tx, next.email, cadreId);

      if (changed.length) {
        await tx
          .update(cadres)
          .set({ ...next, ...(changed.includes("name") ? { nameInitials: nameInitials(next.name) } : {}) })
          .where(eq(cadres.id, cadreId));
      }
      await changeTerms(tx, changes, "edit");
      await correctTermStarts(tx, corrections);
      const shown = changed.filter((k) => !(PERSONAL as readonly string[]).includes(k));
      const personal = changed.filter((k) => (PERSONAL as readonly string[]).includes(k));
      const dated = [...changes.map((c) => ({ [c.term.kind]: c.since })), ...corrections.map((c) => ({ [`${c.kind}Start`]: c.start }))];
      const entries: AuditEntry[] = [
        {
          action: "cadre.updated",
          entityType: "cadre",
          entityId: cadreId,
          before: Object.fromEntries(shown.map((k) => [k, current[k]])),
          after: {
            ...Object.fromEntries(shown.map((k) => [k, next[k]])),
            ...(personal.length ? { personalFieldsChanged: personal } : {}),
            ...(dated.length ? { since: Object.assign({}, ...dated) } : {}),
          },
        },
      ];
      if (changed.includes("status") && next.status !== "active") {
        entries.push(...(await releaseUnitRoles(tx, cadreId, null, null)));
      }
      await audit(tx, { userId: caller.id }, entries);
    });
  } catch (error) {
    // The unique index on lower(email) still decides a race between two edits.
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw emailTaken();
    throw error;
  }
}

/**
 * Moves a cadre to another unit on a date, keeping the history: the open membership ends on that date
 * (end dates are exclusive) and a new one starts on it, so past quarters stay with the old unit.
 * Headship and liaison of the old unit end with it. A transfer is dated today or earlier, so that the
 * cadre's current unit and the open membership always agree.
 */
export async function transferCadre(
  db: Database,
  caller: OrgCaller,
  cadreId: number,
  input: CadreTransferInput,
  options: { today?: string } = {},
) {
  assertOrgAdmin(caller);
  if (input.date > (options.today ?? todayInShanghai())) throw invalid("organization.errors.transferInFuture", "date");
  await db.transaction(async (tx) => {
    const [cadre] = await tx.select({ id: cadres.id, unitId: cadres.unitId }).from(cadres).where(eq(cadres.id, cadreId)).for("update");
    if (!cadre) throw notFound();
    const [target] = await tx.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, input.unitId));
    if (!target) throw invalid("organization.errors.unitMissing", "unitId");
    if (target.id === cadre.unitId) throw invalid("organization.errors.sameUnit", "unitId");

    const [open] = await tx
      .select({ id: unitMemberships.id, startDate: unitMemberships.startDate })
      .from(unitMemberships)
      .where(and(eq(unitMemberships.cadreId, cadreId), isNull(unitMemberships.endDate)));
    if (open?.startDate && input.date <= open.startDate) {
      throw invalid("organization.errors.transferBeforeStart", "date", { date: open.startDate });
    }
    if (!open) {
      // No open membership (data from before history was kept): the new one must still follow the last.
      const [last] = await tx
        .select({ endDate: unitMemberships.endDate })
        .from(unitMemberships)
        .where(eq(unitMemberships.cadreId, cadreId))
        .orderBy(desc(unitMemberships.endDate))
        .limit(1);
      if (last?.endDate && input.date < last.endDate) {
        throw invalid("organization.errors.transferBeforeStart", "date", { date: last.endDate });
      }
    }

    const [from] = await tx.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, cadre.unitId));
    if (open) await tx.update(unitMemberships).set({ endDate: input.date }).where(eq(unitMemberships.id, open.id));
    await tx.insert(unitMemberships).values({ cadreId, unitId: target.id, startDate: input.date });
    await tx.update(cadres).set({ unitId: target.id }).where(eq(cadres.id, cadreId));
    const released = await releaseUnitRoles(tx, cadreId, cadre.unitId, input.reason);
    await audit(tx, { userId: caller.id }, [
      {
        action: "cadre.transferred",
        entityType: "cadre",
        entityId: cadreId,
        before: { unitId: cadre.unitId, unitName: from?.name ?? null },
        after: { unitId: target.id, unitName: target.name, date: input.date },
        reason: input.reason,
      },
      ...released,
    ]);
  });
}
