import { pgEnum } from "drizzle-orm/pg-core";

/** Ranks, lowest to highest. The order matters: rank comparisons use the enum's order. */
export const RANKS = ["staff", "deputy_section", "section", "deputy_county", "county", "deputy_bureau", "bureau"] as const;
export type Rank = (typeof RANKS)[number];

export const UNIT_KINDS = ["department", "town", "park", "enterprise", "other"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const CADRE_STATUSES = ["active", "transferred", "retired"] as const;
export type CadreStatus = (typeof CADRE_STATUSES)[number];

/**
 * Roles granted explicitly. cadre, unit head and liaison are derived from organization data. The
 * system, security and audit administrators are the three separated duties (三员分立): the audit role
 * never goes with either of the other two.
 */
export const GRANTED_ROLES = ["org_admin", "system_admin", "security_admin", "audit_admin", "venue_staff"] as const;
export type GrantedRole = (typeof GRANTED_ROLES)[number];

export const rankEnum = pgEnum("cadre_rank", RANKS);
export const unitKindEnum = pgEnum("unit_kind", UNIT_KINDS);
export const cadreStatusEnum = pgEnum("cadre_status", CADRE_STATUSES);
export const grantedRoleEnum = pgEnum("granted_role", GRANTED_ROLES);
