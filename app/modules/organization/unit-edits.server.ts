import { and, eq, ne, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { invalid, notFound } from "~/utils/errors";
import { type Database, type DbOrTx, PG_UNIQUE_VIOLATION, pgErrorCode } from "~db/client";
import { cadres, type UnitKind, unitLiaisons, units } from "~db/schema";
import { assertOrgAdmin, type OrgCaller } from "./access.server";
import { takesPartInRanking } from "./rules";
import type { UnitCreateInput, UnitUpdateInput } from "./schema";
import { unitSubtreeIds } from "./tree.server";

/**
 * Changes to units: the organization department's alone (org admin sees every unit, so no scope
 * filter is needed beyond the role). Each change and its audit entry share one transaction.
 */

const codeTaken = () => invalid("organization.errors.codeTaken", "code");

/** Two codes differing only in case would look like one in every spreadsheet; refuse them up front. */
async function assertCodeFree(db: DbOrTx, code: string, exceptUnitId?: number) {
  const [clash] = await db
    .select({ id: units.id })
    .from(units)
    .where(and(sql`lower(${units.code}) = ${code.toLowerCase()}`, exceptUnitId ? ne(units.id, exceptUnitId) : undefined))
    .limit(1);
  if (clash) throw codeTaken();
}

async function assertParentAllowed(db: DbOrTx, parentId: number | null, unitId?: number) {
  if (parentId == null) return;
  const [parent] = await db.select({ id: units.id }).from(units).where(eq(units.id, parentId));
  if (!parent) throw invalid("organization.errors.parentMissing", "parentId");
  if (unitId !== undefined && (await unitSubtreeIds(db, [unitId])).includes(parentId)) {
    throw invalid("organization.errors.parentCycle", "parentId");
  }
}

/** The database's unique index still guards a code taken between our check and our insert. */
async function mapCodeClash<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw codeTaken();
    throw error;
  }
}

export async function createUnit(db: Database, caller: OrgCaller, input: UnitCreateInput) {
  assertOrgAdmin(caller);
  return mapCodeClash(() =>
    db.transaction(async (tx) => {
      await assertCodeFree(tx, input.code);
      await assertParentAllowed(tx, input.parentId);
      const [unit] = await tx
        .insert(units)
        .values({ code: input.code, name: input.name, kind: input.kind, parentId: input.parentId })
        .returning();
      const after = { code: unit!.code, name: unit!.name, kind: unit!.kind, parentId: unit!.parentId };
      await audit(tx, { userId: caller.id }, { action: "unit.created", entityType: "unit", entityId: unit!.id, after });
      return unit!;
    }),
  );
}

export async function updateUnit(db: Database, caller: OrgCaller, unitId: number, input: UnitUpdateInput) {
  assertOrgAdmin(caller);
  return mapCodeClash(() =>
    db.transaction(async (tx) => {
      // Serialises edits of the tree: two moves at once (A under B, B under A) would each pass the cycle
      // check alone and together make a loop.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:unit-tree'))`);
      const [current] = await tx
        .select({ code: units.code, name: units.name, kind: units.kind, parentId: units.parentId, headCadreId: units.headCadreId })
        .from(units)
        .where(eq(units.id, unitId));
      if (!current) throw notFound();
      if (input.code !== current.code) await assertCodeFree(tx, input.code, unitId);
      if (input.parentId !== current.parentId) await assertParentAllowed(tx, input.parentId, unitId);
      if (input.headCadreId !== current.headCadreId && input.headCadreId != null) {
        const [candidate] = await tx
          .select({ unitId: cadres.unitId, status: cadres.status })
          .from(cadres)
          .where(eq(cadres.id, input.headCadreId));
        if (!candidate || candidate.unitId !== unitId || candidate.status !== "active") {
          throw invalid("organization.errors.headNotMember", "headCadreId");
        }
      }
      const next = {
        code: input.code,
        name: input.name,
        kind: input.kind,
        parentId: input.parentId,
        headCadreId: input.headCadreId,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
      if (changed.length === 0) return;
      await tx.update(units).set(next).where(eq(units.id, unitId));
      await audit(
        tx,
        { userId: caller.id },
        {
          action: "unit.updated",
          entityType: "unit",
          entityId: unitId,
          before: Object.fromEntries(changed.map((k) => [k, current[k]])),
          after: Object.fromEntries(changed.map((k) => [k, next[k]])),
        },
      );
    }),
  );
}

export async function addUnitLiaison(db: Database, caller: OrgCaller, unitId: number, input: { staffNo: string }) {
  assertOrgAdmin(caller);
  await db.transaction(async (tx) => {
    const [unit] = await tx.select({ id: units.id }).from(units).where(eq(units.id, unitId));
    if (!unit) throw notFound();
    const [cadre] = await tx
      .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name, status: cadres.status })
      .from(cadres)
      .where(sql`lower(${cadres.staffNo}) = ${input.staffNo.trim().toLowerCase()}`);
    if (!cadre) throw invalid("organization.errors.staffNoUnknown", "staffNo");
    // A liaison acts for the unit's head; someone who has left the service cannot.
    if (cadre.status !== "active") throw invalid("organization.errors.liaisonInactive", "staffNo");
    const inserted = await tx.insert(unitLiaisons).values({ unitId, cadreId: cadre.id }).onConflictDoNothing().returning();
    if (inserted.length === 0) throw invalid("organization.errors.alreadyLiaison", "staffNo");
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "unit.liaison_added",
        entityType: "unit",
        entityId: unitId,
        after: { cadreId: cadre.id, staffNo: cadre.staffNo, name: cadre.name },
      },
    );
  });
}

/** The unit's choice to copy its liaisons on the head's weekly digest; audited like every unit edit. */
export async function setUnitDigestCopies(db: Database, caller: OrgCaller, unitId: number, input: { digestCopiesLiaisons: boolean }) {
  assertOrgAdmin(caller);
  await db.transaction(async (tx) => {
    const [current] = await tx.select({ value: units.digestCopiesLiaisons }).from(units).where(eq(units.id, unitId)).for("update");
    if (!current) throw notFound();
    if (current.value === input.digestCopiesLiaisons) return;
    await tx.update(units).set({ digestCopiesLiaisons: input.digestCopiesLiaisons }).where(eq(units.id, unitId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "unit.updated",
        entityType: "unit",
        entityId: unitId,
        before: { digestCopiesLiaisons: current.value },
        after: { digestCopiesLiaisons: input.digestCopiesLiaisons },
      },
    );
  });
}

/**
 * 参与排名 and the peer group a unit is ranked in; audited with the reason. The next computation of a
 * quarter follows it; rankings already computed keep what they froze.
 */
export async function setUnitRanking(
  db: Database,
  caller: OrgCaller,
  unitId: number,
  input: { ranked: boolean | null; rankingPeerGroup: UnitKind | null; reason: string },
) {
  assertOrgAdmin(caller);
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ ranked: units.ranked, rankingPeerGroup: units.rankingPeerGroup, parentId: units.parentId })
      .from(units)
      .where(eq(units.id, unitId))
      .for("update");
    if (!current) throw notFound();
    if (current.ranked === input.ranked && current.rankingPeerGroup === input.rankingPeerGroup) return;
    await tx.update(units).set({ ranked: input.ranked, rankingPeerGroup: input.rankingPeerGroup }).where(eq(units.id, unitId));
    const state = (v: { ranked: boolean | null; rankingPeerGroup: UnitKind | null }) => ({
      ranked: v.ranked,
      takesPart: takesPartInRanking({ ranked: v.ranked, parentId: current.parentId }),
      rankingPeerGroup: v.rankingPeerGroup,
    });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "unit.ranking_changed",
        entityType: "unit",
        entityId: unitId,
        before: state(current),
        after: state(input),
        reason: input.reason,
      },
    );
  });
}

export async function removeUnitLiaison(db: Database, caller: OrgCaller, unitId: number, input: { cadreId: number }) {
  assertOrgAdmin(caller);
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(unitLiaisons)
      .where(and(eq(unitLiaisons.unitId, unitId), eq(unitLiaisons.cadreId, input.cadreId)))
      .returning();
    if (removed.length === 0) throw invalid("organization.errors.notLiaison", "cadreId");
    const [cadre] = await tx.select({ staffNo: cadres.staffNo, name: cadres.name }).from(cadres).where(eq(cadres.id, input.cadreId));
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "unit.liaison_removed",
        entityType: "unit",
        entityId: unitId,
        before: { cadreId: input.cadreId, staffNo: cadre?.staffNo, name: cadre?.name },
      },
    );
  });
}
