import { and, asc, count, eq, ilike, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { revokeLinkTokens } from "~/modules/email/link-tokens.server";
import { recordSecurityEvent } from "~/modules/security/events.server";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { conflict, invalid, notFound } from "~/utils/errors";
import { escapeLike } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import { cadres, type GrantedRole, units, userRoles, users } from "~db/schema";
import type { ACCOUNT_STATUSES_LIST } from "./account-statuses";
import { generateOneTimePassword, hashPassword } from "./password.server";
import { separationOfDutiesConflict } from "./roles";
import { invalidateUserSessions } from "./session.server";

export type AccountStatus = (typeof ACCOUNT_STATUSES_LIST)[number];
export const ACCOUNTS_PAGE_SIZE = 50;
/** Argon2 is deliberately slow; one request issues at most this many one-time passwords. */
export const MAX_ONE_TIME_PASSWORDS = 500;

export interface AccountFilter {
  q?: string;
  status?: AccountStatus;
  unitId?: number;
  page?: number;
}

const accountColumns = {
  id: users.id,
  cadreId: users.cadreId,
  email: sql<string | null>`coalesce(${cadres.email}, ${users.email})`,
  name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email})`,
  staffNo: cadres.staffNo,
  unitName: units.name,
  disabled: users.disabled,
  mustChangePassword: users.mustChangePassword,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`,
  lastLoginAt: users.lastLoginAt,
  roles: sql<GrantedRole[]>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = ${users.id}), '{}')`,
};

function accountConditions(filter: AccountFilter): SQL | undefined {
  const where: SQL[] = [];
  if (filter.q) {
    const term = filter.q.trim();
    const like = `%${escapeLike(term)}%`;
    where.push(
      or(
        ilike(cadres.name, like),
        ilike(cadres.staffNo, `${escapeLike(term)}%`),
        ilike(cadres.email, like),
        ilike(users.email, like),
        ilike(cadres.nameInitials, `${escapeLike(term.toLowerCase())}%`),
      )!,
    );
  }
  if (filter.status === "enabled") where.push(eq(users.disabled, false));
  if (filter.status === "disabled") where.push(eq(users.disabled, true));
  if (filter.status === "must_change") where.push(and(eq(users.disabled, false), eq(users.mustChangePassword, true))!);
  if (filter.unitId) where.push(eq(cadres.unitId, filter.unitId));
  return where.length ? and(...where) : undefined;
}

/** Accounts are an organization-wide list: only org and system admins reach it (the route checks). */
export async function listAccounts(db: DbOrTx, filter: AccountFilter) {
  const page = Math.max(1, filter.page ?? 1);
  const where = accountConditions(filter);
  const rows = await db
    .select(accountColumns)
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .leftJoin(units, eq(units.id, cadres.unitId))
    .where(where)
    .orderBy(asc(cadres.staffNo), asc(users.id))
    .limit(ACCOUNTS_PAGE_SIZE)
    .offset((page - 1) * ACCOUNTS_PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(users).leftJoin(cadres, eq(cadres.id, users.cadreId)).where(where);
  return { rows, total: total?.n ?? 0, page, pageSize: ACCOUNTS_PAGE_SIZE };
}

export async function getAccount(db: DbOrTx, userId: number) {
  const [row] = await db
    .select({
      ...accountColumns,
      unitId: cadres.unitId,
      createdAt: users.createdAt,
      passwordChangedAt: users.passwordChangedAt,
      oneTimePasswordExpiresAt: users.oneTimePasswordExpiresAt,
      secondFactorEnrolledAt: users.totpEnrolledAt,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .leftJoin(units, eq(units.id, cadres.unitId))
    .where(eq(users.id, userId));
  if (!row) throw notFound();
  return row;
}

/**
 * Disabling ends every session of the account at once. Enabling is its own act, with its own reason
 * in the audit log: nothing else (a one-time password, an invitation) reopens a disabled account.
 */
export async function setAccountDisabled(db: Database, actor: Actor, userId: number, disabled: boolean, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ disabled: users.disabled }).from(users).where(eq(users.id, userId)).for("update");
    if (!before) throw notFound();
    if (before.disabled === disabled) return;
    await tx.update(users).set({ disabled }).where(eq(users.id, userId));
    if (disabled) {
      const ended = await invalidateUserSessions(tx, userId);
      if (ended)
        await recordSecurityEvent(tx, {
          kind: "session.ended",
          userId,
          actorUserId: actor.userId,
          reason: "account_disabled",
          details: { sessions: ended },
        });
      // A pending invitation or reset link must not reopen a disabled account.
      await revokeLinkTokens(tx, [userId], ["invitation", "password_reset"]);
    }
    await audit(tx, actor, {
      action: disabled ? "account.disabled" : "account.enabled",
      entityType: "user",
      entityId: userId,
      before: { disabled: before.disabled },
      after: { disabled },
      reason,
    });
  });
}

export interface IssuedPassword {
  userId: number;
  name: string;
  staffNo: string | null;
  unitName: string | null;
  email: string | null;
  password: string;
  /** Until when the one-time password works (the policy's hours, 72 by default). */
  expiresAt: string;
  /** A disabled account stays disabled: the password works once someone enables the account. */
  stillDisabled: boolean;
}

/**
 * Gives each account a one-time password that must be changed at the next sign-in and expires after
 * the policy's hours. An account never opened (no password yet) is opened by it; an account someone
 * disabled stays disabled — re-enabling it is its own audited act. The passwords are returned once,
 * for printing; only their hashes are kept.
 */
export async function issueOneTimePasswords(db: Database, actor: Actor, userIds: number[], now = new Date()): Promise<IssuedPassword[]> {
  const ids = [...new Set(userIds)].slice(0, MAX_ONE_TIME_PASSWORDS);
  if (ids.length === 0) return [];
  const accounts = await db
    .select({
      id: users.id,
      name: accountColumns.name,
      staffNo: cadres.staffNo,
      unitName: units.name,
      email: accountColumns.email,
      disabled: users.disabled,
      opened: sql<boolean>`${users.passwordHash} is not null`,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .leftJoin(units, eq(units.id, cadres.unitId))
    .where(inArray(users.id, ids))
    .orderBy(asc(cadres.staffNo), asc(users.id));
  const expiresAt = new Date(now.getTime() + (await getSecurityPolicy(db)).oneTimePasswordHours * 3_600_000);
  const staysDisabled = new Set(accounts.filter((a) => a.disabled && a.opened).map((a) => a.id));
  // Hash outside the transaction (slow by design), a few at a time on the thread pool.
  const issued: IssuedPassword[] = [];
  const hashes = new Map<number, string>();
  for (let i = 0; i < accounts.length; i += 4) {
    await Promise.all(
      accounts.slice(i, i + 4).map(async (a) => {
        const password = generateOneTimePassword();
        hashes.set(a.id, await hashPassword(password));
        issued.push({
          userId: a.id,
          name: a.name,
          staffNo: a.staffNo,
          unitName: a.unitName,
          email: a.email,
          password,
          expiresAt: expiresAt.toISOString(),
          stillDisabled: staysDisabled.has(a.id),
        });
      }),
    );
  }
  await db.transaction(async (tx) => {
    for (const a of accounts) {
      await tx
        .update(users)
        .set({
          passwordHash: hashes.get(a.id)!,
          mustChangePassword: true,
          oneTimePasswordExpiresAt: expiresAt,
          // Opening an account never opened; never reopening one that someone closed.
          ...(staysDisabled.has(a.id) ? {} : { disabled: false }),
        })
        .where(eq(users.id, a.id));
      await invalidateUserSessions(tx, a.id);
    }
    await audit(
      tx,
      actor,
      accounts.map((a) => ({
        action: "account.one_time_password_issued" as const,
        entityType: "user",
        entityId: a.id,
        before: { disabled: a.disabled },
        after: { mustChangePassword: true, disabled: staysDisabled.has(a.id), expiresAt: expiresAt.toISOString() },
      })),
    );
  });
  return issued.sort((a, b) => (a.staffNo ?? "").localeCompare(b.staffNo ?? "") || a.userId - b.userId);
}

/**
 * The security administrator's grant and revocation of roles. 三员分立: the audit role never goes with
 * the system or the security role (refused here with a message; the database refuses it too). Each
 * role granted or revoked is on the security log as well as the audit log.
 */
export async function setAccountRoles(db: Database, actor: Actor, userId: number, roles: GrantedRole[]): Promise<void> {
  if (separationOfDutiesConflict(roles)) throw invalid("admin.accounts.dutiesConflict", "roles");
  await db.transaction(async (tx) => {
    const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!exists) throw notFound();
    const before = (await tx.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)))
      .map((r) => r.role)
      .sort();
    const after = [...new Set(roles)].sort();
    if (before.join() === after.join()) return;
    await tx.delete(userRoles).where(eq(userRoles.userId, userId));
    if (after.length) await tx.insert(userRoles).values(after.map((role) => ({ userId, role })));
    await recordSecurityEvent(tx, [
      ...after
        .filter((r) => !before.includes(r))
        .map((role) => ({ kind: "role.granted" as const, userId, actorUserId: actor.userId, details: { role } })),
      ...before
        .filter((r) => !after.includes(r))
        .map((role) => ({ kind: "role.revoked" as const, userId, actorUserId: actor.userId, details: { role } })),
    ]);
    // New powers or fewer: either way, sessions pick them up on the next request (loaded per request).
    await audit(tx, actor, {
      action: "account.roles_changed",
      entityType: "user",
      entityId: userId,
      before: { roles: before },
      after: { roles: after },
    });
  });
}

/**
 * Accounts for people who are not cadres (IT staff): email and name, opened with a one-time password.
 * The system administrator creates them; roles are the security administrator's to grant (三员分立).
 */
export async function createStaffAccount(
  db: Database,
  actor: Actor,
  input: { email: string; displayName: string },
  now = new Date(),
): Promise<IssuedPassword> {
  const expiresAt = new Date(now.getTime() + (await getSecurityPolicy(db)).oneTimePasswordHours * 3_600_000);
  const password = generateOneTimePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .leftJoin(cadres, eq(cadres.id, users.cadreId))
      .where(or(sql`lower(${users.email}) = ${input.email}`, and(isNotNull(cadres.email), sql`lower(${cadres.email}) = ${input.email}`)))
      .limit(1);
    if (clash) throw conflict("admin.accounts.emailTaken", "email");
    const [user] = await tx
      .insert(users)
      .values({
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        mustChangePassword: true,
        oneTimePasswordExpiresAt: expiresAt,
        disabled: false,
      })
      .returning({ id: users.id });
    await audit(tx, actor, {
      action: "account.created",
      entityType: "user",
      entityId: user!.id,
      after: { email: input.email, displayName: input.displayName },
    });
    return {
      userId: user!.id,
      name: input.displayName,
      staffNo: null,
      unitName: null,
      email: input.email,
      password,
      expiresAt: expiresAt.toISOString(),
      stillDisabled: false,
    };
  });
}
