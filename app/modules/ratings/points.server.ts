import { and, asc, eq, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import type { Scope } from "~/modules/auth/roles";
import { conflict, invalid, notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { ratingPoints, units } from "~db/schema";

/**
 * Rating points: every unit has its own (code = the unit's code at the time it was made, kept for good
 * so printed posters keep working), and may add more (a window, a desk), coded `<unit code>-<n>`.
 */

/** Gives every unit without one its own point, in one statement; a code already taken gets the unit's id appended. */
export async function ensureUnitPoints(db: DbOrTx): Promise<number> {
  const rows = await db.execute(sql`
    insert into rating_points (unit_id, code, is_unit_point)
    select u.id,
      case when u.code ~ '^[A-Za-z0-9_-]{1,40}$' and not exists (select 1 from rating_points p where p.code = u.code)
        then u.code else 'U' || u.id end,
      true
    from units u
    where not exists (select 1 from rating_points p where p.unit_id = u.id and p.is_unit_point)
    on conflict do nothing
    returning id`);
  return rows.length;
}

export interface PublicPoint {
  state: "live" | "retired" | "unknown";
  code: string;
  unitName: string;
  pointName: string;
}

/** What the public page shows of a code: its unit and point, or that it is retired or unknown. */
export async function publicPoint(db: DbOrTx, code: string): Promise<PublicPoint> {
  const [row] = await db
    .select({ unitName: units.name, pointName: ratingPoints.name, retiredAt: ratingPoints.retiredAt })
    .from(ratingPoints)
    .innerJoin(units, eq(units.id, ratingPoints.unitId))
    .where(eq(ratingPoints.code, code));
  if (!row) {
    // A unit created since the points were last made: its point exists from its first scan on.
    const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, code));
    if (unit && (await ensureUnitPoints(db)) > 0) return publicPoint(db, code);
    return { state: "unknown", code, unitName: "", pointName: "" };
  }
  return { state: row.retiredAt ? "retired" : "live", code, unitName: row.unitName, pointName: row.pointName };
}

export interface PointRow {
  id: number;
  code: string;
  name: string;
  isUnitPoint: boolean;
  unitId: number;
  unitCode: string;
  unitName: string;
  retiredAt: Date | null;
  retireReason: string | null;
}

/** The points in the caller's scope (all for the organization department), live first, by unit code. */
export async function listPoints(
  db: DbOrTx,
  scope: Scope,
  filter: { unitId?: number; includeRetired?: boolean } = {},
): Promise<PointRow[]> {
  await ensureUnitPoints(db);
  const where = [];
  if (!scope.all) where.push(sql`${ratingPoints.unitId} = any(${`{${scope.unitIds.join(",")}}`}::int[])`);
  if (filter.unitId) where.push(eq(ratingPoints.unitId, filter.unitId));
  if (!filter.includeRetired) where.push(sql`${ratingPoints.retiredAt} is null`);
  return db
    .select({
      id: ratingPoints.id,
      code: ratingPoints.code,
      name: ratingPoints.name,
      isUnitPoint: ratingPoints.isUnitPoint,
      unitId: ratingPoints.unitId,
      unitCode: units.code,
      unitName: units.name,
      retiredAt: ratingPoints.retiredAt,
      retireReason: ratingPoints.retireReason,
    })
    .from(ratingPoints)
    .innerJoin(units, eq(units.id, ratingPoints.unitId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(sql`${ratingPoints.retiredAt} is not null`, asc(units.code), sql`${ratingPoints.isUnitPoint} desc`, asc(ratingPoints.id));
}

/** Adds a point to a unit: `<unit's point code>-<n>`, n the next free number. Audited. */
export async function addPoint(db: DbOrTx, actor: Actor, unitId: number, name: string) {
  return db.transaction(async (tx) => {
    await ensureUnitPoints(tx);
    // One addition per unit at a time, so two clicks cannot pick the same number.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:rating-point'), ${unitId})`);
    const [own] = await tx
      .select({ code: ratingPoints.code })
      .from(ratingPoints)
      .where(and(eq(ratingPoints.unitId, unitId), eq(ratingPoints.isUnitPoint, true)));
    if (!own) throw notFound();
    const [same] = await tx
      .select({ id: ratingPoints.id })
      .from(ratingPoints)
      .where(and(eq(ratingPoints.unitId, unitId), eq(ratingPoints.name, name), sql`${ratingPoints.retiredAt} is null`));
    if (same) throw conflict("ratings.points.errors.duplicate", "name");
    const taken = await tx
      .select({ code: ratingPoints.code })
      .from(ratingPoints)
      .where(sql`${ratingPoints.code} like ${`${own.code}-%`}`);
    const used = new Set(taken.map((t) => t.code));
    let n = 2;
    while (used.has(`${own.code}-${n}`)) n++;
    const code = `${own.code}-${n}`;
    if (code.length > 40) throw invalid("ratings.points.errors.codeTooLong", "name");
    const [point] = await tx.insert(ratingPoints).values({ unitId, code, name }).returning();
    await audit(tx, actor, {
      action: "rating_point.created",
      entityType: "rating_point",
      entityId: point!.id,
      after: { unitId, code, name },
    });
    return point!;
  });
}

/** Retires a point: its URL then says so, and no rating is taken there. The unit's own point stays. Audited. */
export async function retirePoint(db: DbOrTx, actor: Actor, pointId: number, reason: string) {
  return db.transaction(async (tx) => {
    const [point] = await tx.select().from(ratingPoints).where(eq(ratingPoints.id, pointId)).for("update");
    if (!point) throw notFound();
    if (point.isUnitPoint) throw invalid("ratings.points.errors.unitPoint", "form");
    if (point.retiredAt) return point;
    const [row] = await tx
      .update(ratingPoints)
      .set({ retiredAt: new Date(), retiredByUserId: actor.userId, retireReason: reason })
      .where(eq(ratingPoints.id, pointId))
      .returning();
    await audit(tx, actor, {
      action: "rating_point.retired",
      entityType: "rating_point",
      entityId: pointId,
      before: { code: point.code, name: point.name },
      reason,
    });
    return row!;
  });
}
