import { type CurrentUser, hasRole } from "~/modules/auth/roles";

/** May this caller look after frontline records of other cadres at all (verify, record on behalf)? */
export function isFrontlineManager(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "org_admin", "unit_head", "unit_liaison");
}

/** Who opens the frontline pages (/frontline): a cadre for their own records, and the managers. The route guards with it and the navigation shows the page by it. */
export function mayOpenFrontline(user: Pick<CurrentUser, "roles" | "cadreId">): boolean {
  return user.cadreId !== null || isFrontlineManager(user);
}
