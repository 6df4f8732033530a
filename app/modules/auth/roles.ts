export const ROLES = [
  "cadre",
  "unit_head",
  "unit_liaison",
  "venue_staff",
  "org_admin",
  "system_admin",
  "security_admin",
  "audit_admin",
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Administrative roles: a second factor is mandatory for them, and their sessions and passwords are
 * shorter-lived (the security policy). The last three are the separated duties (三员分立).
 */
export const ADMIN_ROLES = ["org_admin", "system_admin", "security_admin", "audit_admin"] as const satisfies readonly Role[];

export function isAdministrative(roles: readonly string[]): boolean {
  return roles.some((r) => (ADMIN_ROLES as readonly string[]).includes(r));
}

/**
 * 三员分立: the audit administrator reads and exports the logs of what the other two do, so the same
 * account may never hold the audit role together with the system or the security role.
 */
export function separationOfDutiesConflict(roles: readonly string[]): boolean {
  return roles.includes("audit_admin") && (roles.includes("system_admin") || roles.includes("security_admin"));
}

/**
 * What a user may see of organization data: everything, or the subtrees of the units they head or
 * liaise for, plus their own cadre record.
 */
export interface Scope {
  all: boolean;
  unitIds: number[];
  cadreId: number | null;
}

export interface CurrentUser {
  id: number;
  sessionId: string;
  cadreId: number | null;
  unitId: number | null;
  displayName: string;
  locale: string;
  mustChangePassword: boolean;
  /** The password outlived the policy's maximum age: it must be changed before anything else. */
  passwordExpired: boolean;
  /** Whether this session has been through the second factor (or needs none). */
  secondFactor: "done" | "needed" | "enrol";
  roles: Role[];
  headOfUnitIds: number[];
  liaisonOfUnitIds: number[];
  scope: Scope;
}

export function hasRole(user: Pick<CurrentUser, "roles">, ...roles: Role[]): boolean {
  return roles.some((r) => user.roles.includes(r));
}

export function scopeCoversUnit(scope: Scope, unitId: number): boolean {
  return scope.all || scope.unitIds.includes(unitId);
}

export function scopeCoversCadre(scope: Scope, cadre: { id: number; unitId: number }): boolean {
  return scope.all || scope.unitIds.includes(cadre.unitId) || scope.cadreId === cadre.id;
}

/** Who opens the administration pages (/admin lists those the role may use). */
export function mayAdminister(user: Pick<CurrentUser, "roles">): boolean {
  return hasRole(user, ...ADMIN_ROLES);
}
