import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/**
 * Who opens the public-rating pages behind the public form (/ratings: results, cases, points): the
 * organization department everywhere, heads and liaisons within their units. The route guards with it
 * and the navigation shows the page by it.
 */
export function mayOpenRatings(user: Pick<CurrentUser, "roles">): boolean {
  return hasRole(user, "org_admin", "unit_head", "unit_liaison");
}
