import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/**
 * Who opens the night-class pages (/classes): cadres for their own classes, the organization
 * department, and heads and liaisons for their units'. The route guards with it and the navigation
 * shows the page by it.
 */
export function mayOpenClasses(user: Pick<CurrentUser, "roles">): boolean {
  return hasRole(user, "cadre", "org_admin", "unit_head", "unit_liaison");
}
