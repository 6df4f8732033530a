import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import type { SharingSettings } from "./model";

/**
 * Who sees what of the rankings. Pure: the routes ask it before loading, the services ask it again
 * in the query (a unit outside the scope is never read), the tests hold it to the rules:
 *
 * - the organization department (org admins) sees and does everything, drafts included;
 * - unit heads and liaisons see published unit tables when the department shares them (default: yes)
 *   and published cadre tables when it shares those (default: no), and always the breakdown of their
 *   own units (and, when cadre tables are shared, of their own cadres) — never another unit's;
 * - a cadre sees their own published breakdown.
 */
export type RankingsCaller = Pick<CurrentUser, "id" | "roles" | "scope">;

export function isRankingsAdmin(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "org_admin");
}

export function isUnitManager(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "unit_head", "unit_liaison");
}

/** May open the rankings pages at all. */
export function mayUseRankings(caller: Pick<CurrentUser, "roles">): boolean {
  return isRankingsAdmin(caller) || isUnitManager(caller);
}

export function maySeeTables(caller: Pick<CurrentUser, "roles">, sharing: SharingSettings, kind: "units" | "cadres"): boolean {
  if (isRankingsAdmin(caller)) return true;
  if (!isUnitManager(caller)) return false;
  return (kind === "units" ? sharing.unitTables : sharing.cadreTables) === "heads";
}

export function maySeeUnit(caller: RankingsCaller, unitId: number): boolean {
  return isRankingsAdmin(caller) || caller.scope.unitIds.includes(unitId);
}

export function maySeeCadre(caller: RankingsCaller, sharing: SharingSettings, cadre: { cadreId: number; unitId: number }): boolean {
  if (isRankingsAdmin(caller)) return true;
  if (caller.scope.cadreId === cadre.cadreId) return true;
  return sharing.cadreTables === "heads" && caller.scope.unitIds.includes(cadre.unitId);
}

/** Drafts and superseded versions are the organization department's working material. */
export function maySeeVersion(caller: Pick<CurrentUser, "roles">, status: "draft" | "published" | "superseded"): boolean {
  return status === "published" || isRankingsAdmin(caller);
}
