import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Scope, scopeCoversUnit } from "~/modules/auth/roles";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, type UnitKind, unitLiaisons, units } from "~db/schema";
import { unitScopeFilter } from "./access.server";
import { unitAncestry, unitSubtreeIds } from "./tree.server";
import { buildUnitForest, flattenUnitForest, type UnitTreeRow, unitOptionLabel } from "./unit-tree";

const head = alias(cadres, "head");
const activeCount = sql<number>`count(${cadres.id}) filter (where ${cadres.status} = 'active')`.mapWith(Number);

async function scopedUnitRows(db: DbOrTx, scope: Scope): Promise<UnitTreeRow[]> {
  return db
    .select({
      id: units.id,
      parentId: units.parentId,
      code: units.code,
      name: units.name,
      kind: units.kind,
      activeCadres: activeCount,
      headName: head.name,
    })
    .from(units)
    .leftJoin(cadres, eq(cadres.unitId, units.id))
    .leftJoin(head, eq(head.id, units.headCadreId))
    .where(unitScopeFilter(scope))
    .groupBy(units.id, head.id);
}

/** The units the caller may see, as a tree, with active cadre counts per unit and per subtree. */
export async function listUnitTree(db: DbOrTx, scope: Scope, filter: { kind?: UnitKind } = {}) {
  const rows = await scopedUnitRows(db, scope);
  return { roots: buildUnitForest(rows, filter), unitCount: rows.length };
}

/** Units the caller may see, in tree order, labelled for a <select>. */
export async function unitOptions(db: DbOrTx, scope: Scope, options: { exclude?: number[] } = {}) {
  const rows = await db
    .select({ id: units.id, parentId: units.parentId, code: units.code, name: units.name, kind: units.kind })
    .from(units)
    .where(unitScopeFilter(scope));
  const excluded = new Set(options.exclude ?? []);
  return flattenUnitForest(buildUnitForest(rows.map((r) => ({ ...r, activeCadres: 0, headName: null }))))
    .filter(({ node }) => !excluded.has(node.id))
    .map(({ node, depth }) => ({ id: node.id, label: unitOptionLabel(node, depth) }));
}

/** One unit with what its page shows. Outside the caller's scope it does not exist. */
export async function getUnit(db: DbOrTx, scope: Scope, unitId: number) {
  if (!scopeCoversUnit(scope, unitId)) throw notFound();
  const [unit] = await db
    .select({
      id: units.id,
      code: units.code,
      name: units.name,
      kind: units.kind,
      parentId: units.parentId,
      headCadreId: units.headCadreId,
      digestCopiesLiaisons: units.digestCopiesLiaisons,
      ranked: units.ranked,
      rankingPeerGroup: units.rankingPeerGroup,
      updatedAt: units.updatedAt,
    })
    .from(units)
    .where(eq(units.id, unitId));
  if (!unit) throw notFound();

  const subtree = await unitSubtreeIds(db, [unitId]);
  const [ancestry, headCadre, liaisons, children, members, [total]] = await Promise.all([
    unitAncestry(db, unitId),
    unit.headCadreId ? cadreCard(db, unit.headCadreId) : Promise.resolve(null),
    listLiaisons(db, unitId),
    db
      .select({ id: units.id, code: units.code, name: units.name, kind: units.kind, activeCadres: activeCount })
      .from(units)
      .leftJoin(cadres, eq(cadres.unitId, units.id))
      .where(eq(units.parentId, unitId))
      .groupBy(units.id)
      .orderBy(asc(units.code)),
    db
      .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name, rank: cadres.rank, title: cadres.title })
      .from(cadres)
      .where(and(eq(cadres.unitId, unitId), eq(cadres.status, "active")))
      .orderBy(desc(cadres.rank), asc(cadres.staffNo)),
    db
      .select({ n: count() })
      .from(cadres)
      .where(and(inArray(cadres.unitId, subtree), eq(cadres.status, "active"))),
  ]);
  return {
    unit,
    // Only the ancestors the caller may open: a head of a sub-unit sees the path from their own unit down.
    breadcrumbs: ancestry.filter((a) => a.id !== unitId && scopeCoversUnit(scope, a.id)),
    head: headCadre,
    liaisons,
    children,
    cadres: members,
    subtreeCadres: total?.n ?? 0,
  };
}

async function cadreCard(db: DbOrTx, cadreId: number) {
  const [row] = await db
    .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name, title: cadres.title, rank: cadres.rank })
    .from(cadres)
    .where(eq(cadres.id, cadreId));
  return row ?? null;
}

export async function listLiaisons(db: DbOrTx, unitId: number) {
  return db
    .select({
      cadreId: cadres.id,
      staffNo: cadres.staffNo,
      name: cadres.name,
      title: cadres.title,
      unitName: units.name,
    })
    .from(unitLiaisons)
    .innerJoin(cadres, eq(cadres.id, unitLiaisons.cadreId))
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(eq(unitLiaisons.unitId, unitId))
    .orderBy(asc(cadres.staffNo));
}

/**
 * What the unit form needs: possible parents (never the unit itself or a unit below it) and, when
 * editing, the unit's active cadres as head candidates and its liaisons.
 */
export async function unitFormOptions(db: DbOrTx, scope: Scope, unitId?: number) {
  if (unitId === undefined) return { unit: null, parents: await unitOptions(db, scope), headCandidates: [], liaisons: [] };
  const { unit } = await getUnit(db, scope, unitId);
  const [parents, headCandidates, liaisons] = await Promise.all([
    unitOptions(db, scope, { exclude: await unitSubtreeIds(db, [unitId]) }),
    db
      .select({ id: cadres.id, staffNo: cadres.staffNo, name: cadres.name, title: cadres.title })
      .from(cadres)
      .where(and(eq(cadres.unitId, unitId), eq(cadres.status, "active")))
      .orderBy(desc(cadres.rank), asc(cadres.staffNo)),
    listLiaisons(db, unitId),
  ]);
  return { unit, parents, headCandidates, liaisons };
}
