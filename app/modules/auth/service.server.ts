import { eq, or, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { DomainError, invalid } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, unitLiaisons, units, userRoles, users } from "~db/schema";
import { hashPassword, verifyPassword } from "./password.server";
import { clearAccountFailures, isLoginLimited, type RateLimitPolicy, recordLoginFailure } from "./rate-limit.server";
import type { CurrentUser, Role } from "./roles";
import { createSession, generateSessionToken, invalidateUserSessions, type LoginSession, type SessionPolicy } from "./session.server";

export { MIN_PASSWORD_LENGTH } from "./constants";

/** Finds the account for an email (the account's or its cadre's) or a staff number. */
export async function findUserByIdentifier(db: DbOrTx, identifier: string) {
  const id = identifier.trim().toLowerCase();
  if (!id) return undefined;
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, disabled: users.disabled })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(or(sql`lower(${users.email}) = ${id}`, sql`lower(${cadres.email}) = ${id}`, sql`lower(${cadres.staffNo}) = ${id}`))
    .limit(1);
  return row;
}

export async function signIn(
  db: Database,
  input: { identifier: string; password: string; address: string },
  policies: { session: SessionPolicy; rateLimit: RateLimitPolicy },
): Promise<{ token: string; session: LoginSession }> {
  const keys = { account: input.identifier.trim().toLowerCase(), address: input.address };
  if (await isLoginLimited(db, keys, policies.rateLimit)) {
    throw new DomainError("rate_limited", "auth.tooManyAttempts", {
      field: "form",
      params: { minutes: Math.round(policies.rateLimit.windowMs / 60_000) },
    });
  }
  const user = await findUserByIdentifier(db, input.identifier);
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !passwordOk) {
    await recordLoginFailure(db, keys);
    throw invalid("auth.invalidCredentials", "form");
  }
  // Only someone who knows the password learns that the account is disabled.
  if (user.disabled) throw invalid("auth.accountDisabled", "form");

  const token = generateSessionToken();
  const session = await db.transaction(async (tx) => {
    await clearAccountFailures(tx, keys.account);
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    return createSession(tx, token, user.id, policies.session);
  });
  return { token, session };
}

export async function changePassword(
  db: Database,
  user: Pick<CurrentUser, "id" | "sessionId">,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw invalid("auth.currentPasswordWrong", "currentPassword");
  }
  if (input.newPassword === input.currentPassword) throw invalid("auth.passwordUnchanged", "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id));
    // Other devices signed in with the old password are signed out; this one stays.
    await invalidateUserSessions(tx, user.id, user.sessionId);
    await audit(tx, { userId: user.id }, { action: "account.password_changed", entityType: "user", entityId: user.id });
  });
}

/** Everything a request needs to know about who is asking: roles and the units in their scope. */
export async function loadCurrentUser(db: DbOrTx, userId: number, sessionId: string): Promise<CurrentUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      cadreId: users.cadreId,
      email: users.email,
      displayName: users.displayName,
      disabled: users.disabled,
      locale: users.locale,
      mustChangePassword: users.mustChangePassword,
      cadreName: cadres.name,
      cadreUnitId: cadres.unitId,
      cadreStatus: cadres.status,
      // Every request loads this: roles and led units come in the same round trip.
      granted: sql<Role[]>`coalesce((select array_agg(r.role::text) from ${userRoles} r where r.user_id = ${users.id}), '{}')`,
      headOf: sql<number[]>`coalesce((select array_agg(u.id) from ${units} u where u.head_cadre_id = ${users.cadreId}), '{}')`,
      liaisonOf: sql<number[]>`coalesce((select array_agg(l.unit_id) from ${unitLiaisons} l where l.cadre_id = ${users.cadreId}), '{}')`,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(eq(users.id, userId));
  if (!row || row.disabled) return null;

  const roles = new Set<Role>(row.granted);
  const headOfUnitIds = row.headOf.map(Number);
  const liaisonOfUnitIds = row.liaisonOf.map(Number);
  if (row.cadreId) roles.add("cadre");
  if (headOfUnitIds.length) roles.add("unit_head");
  if (liaisonOfUnitIds.length) roles.add("unit_liaison");
  const all = roles.has("org_admin");
  const unitIds = all ? [] : await unitSubtreeIds(db, [...headOfUnitIds, ...liaisonOfUnitIds]);
  return {
    id: row.id,
    sessionId,
    cadreId: row.cadreId,
    unitId: row.cadreUnitId ?? null,
    displayName: row.cadreName ?? (row.displayName || row.email || `#${row.id}`),
    locale: row.locale,
    mustChangePassword: row.mustChangePassword,
    roles: [...roles],
    headOfUnitIds,
    liaisonOfUnitIds,
    scope: { all, unitIds, cadreId: row.cadreId },
  };
}

export async function setLocale(db: DbOrTx, userId: number, locale: string) {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
