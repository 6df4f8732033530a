import { eq, inArray, or, type SQL } from "drizzle-orm";
import { type CurrentUser, hasRole, type Scope } from "~/modules/auth/roles";
import { forbidden } from "~/utils/errors";
import { cadres, units } from "~db/schema";

/** Who is asking, as the organization services need it: roles for writes, scope for reads, id for the audit. */
export type OrgCaller = Pick<CurrentUser, "id" | "roles" | "scope">;

/**
 * Filters that keep a query inside the caller's scope. They are applied in the query itself, so a
 * service cannot return a row the caller may not see, whatever id the URL carries.
 * `Scope.unitIds` already holds whole subtrees (see loadCurrentUser).
 */
export function unitScopeFilter(scope: Scope): SQL | undefined {
  return scope.all ? undefined : inArray(units.id, scope.unitIds);
}

export function cadreScopeFilter(scope: Scope): SQL | undefined {
  if (scope.all) return undefined;
  return or(inArray(cadres.unitId, scope.unitIds), scope.cadreId ? eq(cadres.id, scope.cadreId) : undefined);
}

/** Writes to organization data are the organization department's; routes check too, this is the backstop. */
export function assertOrgAdmin(caller: Pick<CurrentUser, "roles">): void {
  if (!hasRole(caller, "org_admin")) throw forbidden();
}
