import { type AnyColumn, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "~db/client";
import { cadres, shortlistNominations, units, users } from "~db/schema";

const nominatorUser = alias(users, "nominator_user");
const nominatorCadre = alias(cadres, "nominator_cadre");
const deciderUser = alias(users, "decider_user");
const deciderCadre = alias(cadres, "decider_cadre");
const currentUnit = alias(units, "current_unit");

/** Who acted, as the pages and the frozen list name them: the cadre's name, else the account's. */
const actorName = (cadreName: AnyColumn, displayName: AnyColumn) => sql<string | null>`coalesce(${cadreName}, nullif(${displayName}, ''))`;

/**
 * Nominations with the cadre, the nominating unit and the names of who nominated and who decided: the
 * one shape the nominations tab and a publication both read. `where` says which (scope and round are
 * the caller's business); `orderBy` how they are listed.
 */
export function nominationRows(db: DbOrTx, where: SQL | undefined, orderBy: SQL[] = []) {
  return db
    .select({
      id: shortlistNominations.id,
      cadreId: shortlistNominations.cadreId,
      staffNo: cadres.staffNo,
      name: cadres.name,
      rank: cadres.rank,
      title: cadres.title,
      /** The unit at nomination (whose head or liaison nominated). */
      unitId: shortlistNominations.unitId,
      unitCode: units.code,
      unitName: units.name,
      /** The unit the nominee is in now: different after a transfer. */
      currentUnitId: cadres.unitId,
      currentUnitCode: currentUnit.code,
      currentUnitName: currentUnit.name,
      recommendation: shortlistNominations.recommendation,
      overrideReason: shortlistNominations.overrideReason,
      eligibleAtNomination: shortlistNominations.eligible,
      decision: shortlistNominations.decision,
      decisionReason: shortlistNominations.decisionReason,
      decidedAt: shortlistNominations.decidedAt,
      withdrawnAt: shortlistNominations.withdrawnAt,
      createdAt: shortlistNominations.createdAt,
      nominatedBy: actorName(nominatorCadre.name, nominatorUser.displayName),
      decidedBy: actorName(deciderCadre.name, deciderUser.displayName),
    })
    .from(shortlistNominations)
    .innerJoin(cadres, eq(cadres.id, shortlistNominations.cadreId))
    .innerJoin(units, eq(units.id, shortlistNominations.unitId))
    .innerJoin(currentUnit, eq(currentUnit.id, cadres.unitId))
    .leftJoin(nominatorUser, eq(nominatorUser.id, shortlistNominations.nominatedBy))
    .leftJoin(nominatorCadre, eq(nominatorCadre.id, nominatorUser.cadreId))
    .leftJoin(deciderUser, eq(deciderUser.id, shortlistNominations.decidedBy))
    .leftJoin(deciderCadre, eq(deciderCadre.id, deciderUser.cadreId))
    .where(where)
    .orderBy(...orderBy);
}
