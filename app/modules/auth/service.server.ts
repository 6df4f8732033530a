import { eq, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { unitSubtreeIds } from "~/modules/organization/tree.server";
import { type RequestOrigin, recordSecurityEvent } from "~/modules/security/events.server";
import { readPolicy } from "~/modules/security/policy";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { DomainError, type FormMessage, invalid } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, unitLiaisons, units, userRoles, users } from "~db/schema";
import { hashPassword, verifyPassword } from "./password.server";
import { newPasswordProblems, rememberPreviousPassword } from "./password-policy.server";
import { type CurrentUser, isAdministrative, type Role } from "./roles";
import { invalidateUserSessions } from "./session.server";
import { passwordExpired } from "./sign-in.server";

/**
 * Sets a new password after the security policy has been checked: every reason it is refused comes back
 * at once, beside the field. Keeps the replaced hash for the history rule and restarts the expiry clock.
 */
export async function checkNewPassword(db: DbOrTx, userId: number, password: string, field = "newPassword"): Promise<void> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  const problems = await newPasswordProblems(db, userId, password, await getSecurityPolicy(db), row?.hash ?? null);
  if (problems.length) throw new PasswordRefused(field, problems);
}

/** A refused password carries every reason; routes show them all beside the field. */
export class PasswordRefused extends DomainError {
  constructor(
    public readonly field: string,
    public readonly problems: FormMessage[],
  ) {
    super("invalid", problems[0]!.key, { field, params: problems[0]!.params, more: problems.slice(1) });
    this.name = "PasswordRefused";
  }
}

/** Writes a policy-checked password: history, change time, no longer one-time. */
export async function storeNewPassword(tx: DbOrTx, userId: number, passwordHash: string, now = new Date()) {
  const [row] = await tx.select({ hash: users.passwordHash, mustChange: users.mustChangePassword }).from(users).where(eq(users.id, userId));
  // A one-time password is not a password the person chose: it stays out of the history.
  if (row && !row.mustChange) await rememberPreviousPassword(tx, userId, row.hash, now);
  await tx
    .update(users)
    .set({ passwordHash, mustChangePassword: false, oneTimePasswordExpiresAt: null, passwordChangedAt: now, demoPassword: false })
    .where(eq(users.id, userId));
}

export async function changePassword(
  db: Database,
  user: Pick<CurrentUser, "id" | "sessionId">,
  input: { currentPassword: string; newPassword: string },
  origin: RequestOrigin,
): Promise<void> {
  const [row] = await db
    .select({ passwordHash: users.passwordHash, expiresAt: users.oneTimePasswordExpiresAt })
    .from(users)
    .where(eq(users.id, user.id));
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordSecurityEvent(db, { kind: "password.refused", userId: user.id, reason: "current_password_wrong", ...origin });
    throw invalid("auth.currentPasswordWrong", "currentPassword");
  }
  if (input.newPassword === input.currentPassword) throw invalid("auth.passwordUnchanged", "newPassword");
  try {
    await checkNewPassword(db, user.id, input.newPassword);
  } catch (error) {
    if (error instanceof PasswordRefused) {
      await recordSecurityEvent(db, {
        kind: "password.refused",
        userId: user.id,
        reason: "policy",
        details: { reasons: error.problems.map((p) => p.key) },
        ...origin,
      });
    }
    throw error;
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await storeNewPassword(tx, user.id, passwordHash);
    // Other devices signed in with the old password are signed out; this one stays.
    const ended = await invalidateUserSessions(tx, user.id, user.sessionId);
    await audit(tx, { userId: user.id }, { action: "account.password_changed", entityType: "user", entityId: user.id });
    await recordSecurityEvent(tx, { kind: "password.changed", userId: user.id, ...origin, details: { otherSessionsEnded: ended } });
  });
}

/** Everything a request needs to know about who is asking: roles and the units in their scope. */
export async function loadCurrentUser(
  db: DbOrTx,
  userId: number,
  sessionId: string,
  session: { secondFactorAt: Date | null } = { secondFactorAt: new Date(0) },
  now = new Date(),
): Promise<CurrentUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      cadreId: users.cadreId,
      email: users.email,
      displayName: users.displayName,
      disabled: users.disabled,
      locale: users.locale,
      mustChangePassword: users.mustChangePassword,
      passwordChangedAt: users.passwordChangedAt,
      demoPassword: users.demoPassword,
      totpEnrolled: sql<boolean>`${users.totpKey} is not null`,
      policy: sql<unknown>`(select value from settings where key = 'security.policy')`,
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
  const administrative = isAdministrative([...roles]);
  const secondFactor: CurrentUser["secondFactor"] = session.secondFactorAt
    ? "done"
    : row.totpEnrolled
      ? "needed"
      : administrative
        ? "enrol"
        : "done";
  const unitIds = all ? [] : await unitSubtreeIds(db, [...headOfUnitIds, ...liaisonOfUnitIds]);
  return {
    id: row.id,
    sessionId,
    cadreId: row.cadreId,
    unitId: row.cadreUnitId ?? null,
    displayName: row.cadreName ?? (row.displayName || row.email || `#${row.id}`),
    locale: row.locale,
    mustChangePassword: row.mustChangePassword,
    passwordExpired: passwordExpired(row, readPolicy(row.policy), administrative, now),
    secondFactor,
    roles: [...roles],
    headOfUnitIds,
    liaisonOfUnitIds,
    scope: { all, unitIds, cadreId: row.cadreId },
  };
}

export async function setLocale(db: DbOrTx, userId: number, locale: string) {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
