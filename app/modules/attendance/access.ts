import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/**
 * Who opens the attendance pages (/attendance): a cadre for their own record, venue staff for their
 * venues, heads and liaisons for their units, the organization department for everything. The route
 * guards with it and the navigation shows the page by it.
 */
export function mayOpenAttendance(user: Pick<CurrentUser, "roles" | "cadreId">): boolean {
  return user.cadreId !== null || hasRole(user, "venue_staff", "org_admin", "unit_head", "unit_liaison");
}
