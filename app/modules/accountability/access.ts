import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/**
 * Who opens the list of accountability records (/accountability): the organization department (all),
 * heads (their units' and their cadres'), liaisons (their units' own). A cadre reaches a record of
 * their own from their record page and the email that told them; the list is not in every cadre's menu.
 * The route guards with it and the navigation shows the page by it.
 */
export function mayOpenAccountability(user: Pick<CurrentUser, "roles">): boolean {
  return hasRole(user, "org_admin", "unit_head", "unit_liaison");
}
