import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/**
 * Who browses the unit tree and the cadre list (/units, /cadres): the organization department, and
 * heads and liaisons within their units. The routes guard with it and the navigation shows the pages
 * by it; what each sees is filtered by their scope in the query.
 */
export function mayBrowseOrganization(user: Pick<CurrentUser, "roles">): boolean {
  return hasRole(user, "org_admin", "unit_head", "unit_liaison");
}
