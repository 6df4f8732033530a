export const ROLES = ["cadre", "unit_head", "unit_liaison", "venue_staff", "org_admin", "system_admin"] as const;
export type Role = (typeof ROLES)[number];

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
  return hasRole(user, "org_admin", "system_admin");
}
