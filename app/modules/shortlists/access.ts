import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/**
 * Who does what with the promotion shortlists. Pure: routes ask before loading, services ask again and
 * filter in the query.
 *
 * - The organization department (org admins) opens and edits rounds, sees every cadre's eligibility
 *   and every nomination, decides, publishes and exports everything.
 * - Unit heads, and liaisons acting for them (as they do for leave and frontline verification),
 *   see the cadres of their units and sub-units, nominate and withdraw — never themselves, never
 *   another unit's cadre — and, once a list is published, their own cadres' outcomes. Decisions
 *   before publication stay with the department.
 * - Anyone else (a cadre without those roles, venue staff, system admins) sees no round at all.
 */
export type ShortlistCaller = Pick<CurrentUser, "id" | "cadreId" | "roles" | "scope" | "headOfUnitIds" | "liaisonOfUnitIds">;

export function isShortlistAdmin(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "org_admin");
}

export function isNominator(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "unit_head", "unit_liaison");
}

export function mayUseShortlists(caller: Pick<CurrentUser, "roles">): boolean {
  return isShortlistAdmin(caller) || isNominator(caller);
}
