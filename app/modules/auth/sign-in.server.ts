import { eq, or, sql } from "drizzle-orm";
import { type RequestOrigin, recordSecurityEvent } from "~/modules/security/events.server";
import { passwordMaxAgeDays, type SecurityPolicy, sessionLimits } from "~/modules/security/policy";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { DomainError, invalid } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, userRoles, users } from "~db/schema";
import { findDevice, rememberDevice } from "./devices.server";
import { queueSecurityNotice } from "./notices.server";
import { verifyPassword } from "./password.server";
import { ADMIN_ROLES } from "./roles";
import { createSession, generateSessionToken, type LoginSession } from "./session.server";
import { accountKey, reserveAttempt, settleFailure, settleSuccess, type ThrottleRule, type ThrottleScope } from "./throttle.server";

/** Finds the account for an email (the account's or its cadre's) or a staff number. */
export async function findUserByIdentifier(db: DbOrTx, identifier: string) {
  const id = identifier.trim().toLowerCase();
  if (!id) return undefined;
  const [row] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      disabled: users.disabled,
      mustChangePassword: users.mustChangePassword,
      oneTimePasswordExpiresAt: users.oneTimePasswordExpiresAt,
      passwordChangedAt: users.passwordChangedAt,
      demoPassword: users.demoPassword,
      totpEnrolled: sql<boolean>`${users.totpKey} is not null`,
      administrative: sql<boolean>`exists (select 1 from ${userRoles} r where r.user_id = ${users.id} and r.role::text in ${ADMIN_ROLES})`,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(or(sql`lower(${users.email}) = ${id}`, sql`lower(${cadres.email}) = ${id}`, sql`lower(${cadres.staffNo}) = ${id}`))
    .limit(1);
  return row;
}

export async function accountIsAdministrative(db: DbOrTx, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: userRoles.userId })
    .from(userRoles)
    .where(sql`${userRoles.userId} = ${userId} and ${userRoles.role}::text in ${ADMIN_ROLES}`)
    .limit(1);
  return Boolean(row);
}

export function signInRules(policy: SecurityPolicy): { account: ThrottleRule; address: ThrottleRule } {
  const windowMs = policy.failureWindowMinutes * 60_000;
  return {
    account: { max: policy.maxFailuresPerAccount, windowMs, lockMs: policy.lockMinutes * 60_000 },
    // An address is held back for the rest of the window, never locked longer.
    address: { max: policy.maxFailuresPerAddress, windowMs, lockMs: windowMs },
  };
}

export function passwordExpired(
  account: { passwordChangedAt: Date; demoPassword: boolean; mustChangePassword: boolean },
  policy: SecurityPolicy,
  administrative: boolean,
  now: Date,
): boolean {
  const days = passwordMaxAgeDays(policy, administrative);
  if (!days || account.demoPassword || account.mustChangePassword) return false;
  return now.getTime() - account.passwordChangedAt.getTime() > days * 86_400_000;
}

export type SignInNext = "done" | "second_factor" | "enrol";

export interface SignInResult {
  token: string;
  session: LoginSession;
  next: SignInNext;
  /** The browser's device cookie, renewed after a complete sign-in. */
  device: { token: string; expiresAt: Date } | null;
}

/**
 * Sign-in, step one: the password. Every attempt is counted before the password is checked (atomic
 * per account, whatever identifier names it, and per client address), so a burst of concurrent guesses
 * cannot all be evaluated. A browser that completed a sign-in of this account before (its device
 * cookie) is counted on its own instead: it is neither held back by the address limit — a bureau behind
 * one NAT keeps signing in while one client there sprays guesses — nor by a lock someone else caused.
 * The lock emails the owner once. Every outcome goes to the security log.
 *
 * The session starts without the second factor when the account has one or holds an administrative
 * role (unless this browser was remembered): it then opens only the second-factor pages.
 */
export async function signIn(
  db: Database,
  input: { identifier: string; password: string; deviceToken: string | null } & RequestOrigin,
  now = new Date(),
): Promise<SignInResult> {
  const policy = await getSecurityPolicy(db);
  const rules = signInRules(policy);
  const identifier = input.identifier.trim();
  const user = await findUserByIdentifier(db, identifier);
  const device = user ? await findDevice(db, input.deviceToken, user.id, now) : null;
  const counters: { scope: ThrottleScope; key: string; rule: ThrottleRule }[] = device
    ? [{ scope: "device", key: device.id, rule: rules.account }]
    : [
        { scope: "account", key: accountKey(user?.id, identifier), rule: rules.account },
        { scope: "address", key: input.address, rule: rules.address },
      ];
  const event = { userId: user?.id ?? null, identifier, address: input.address, userAgent: input.userAgent };

  for (const counter of counters) {
    const reservation = await reserveAttempt(db, counter.scope, counter.key, counter.rule, now);
    if (!reservation.allowed) {
      await recordSecurityEvent(
        db,
        { ...event, kind: "sign_in.failed", reason: counter.scope === "address" ? "address_limited" : "locked" },
        now,
      );
      const until = reservation.lockedUntil ?? new Date(now.getTime() + counter.rule.windowMs);
      throw new DomainError("rate_limited", "auth.tooManyAttempts", {
        field: "form",
        params: { minutes: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000)) },
      });
    }
  }

  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !passwordOk) {
    for (const counter of counters) {
      const lockedNow = await settleFailure(db, counter.scope, counter.key, counter.rule, now);
      if (lockedNow && user && counter.scope === "account") {
        const until = new Date(now.getTime() + counter.rule.lockMs);
        await recordSecurityEvent(
          db,
          { ...event, kind: "account.locked", reason: "too_many_failures", details: { until: until.toISOString() } },
          now,
        );
        await queueSecurityNotice(
          db,
          user.id,
          {
            notice: "account_locked",
            at: now.toISOString(),
            until: until.toISOString(),
            failures: counter.rule.max,
            address: input.address,
          },
          `locked/${user.id}/${now.getTime()}`,
        );
      }
    }
    await recordSecurityEvent(db, { ...event, kind: "sign_in.failed", reason: user ? "wrong_password" : "unknown_account" }, now);
    throw invalid("auth.invalidCredentials", "form");
  }
  for (const counter of counters) await settleSuccess(db, counter.scope, counter.key);

  // Only someone who knows the password learns that the account is disabled, or its password spent.
  if (user.disabled) {
    await recordSecurityEvent(db, { ...event, kind: "sign_in.failed", reason: "disabled" }, now);
    throw invalid("auth.accountDisabled", "form");
  }
  if (user.mustChangePassword && user.oneTimePasswordExpiresAt && user.oneTimePasswordExpiresAt <= now) {
    await recordSecurityEvent(db, { ...event, kind: "sign_in.failed", reason: "one_time_password_expired" }, now);
    throw invalid("auth.oneTimePasswordExpired", "form");
  }

  const needsSecondFactor = user.totpEnrolled || user.administrative;
  const remembered = Boolean(user.totpEnrolled && device?.secondFactorUntil && device.secondFactorUntil > now);
  const complete = !needsSecondFactor || remembered;
  const token = generateSessionToken();
  const session = await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    return createSession(tx, token, user.id, sessionLimits(policy, user.administrative), now, {
      userAgent: input.userAgent,
      address: input.address,
      secondFactorAt: complete ? now : null,
    });
  });
  const renewed = complete
    ? await rememberDevice(db, { userId: user.id, token: input.deviceToken, userAgent: input.userAgent, rememberDays: 0 }, now)
    : null;
  const next: SignInNext = complete ? "done" : user.totpEnrolled ? "second_factor" : "enrol";
  await recordSecurityEvent(
    db,
    [
      {
        ...event,
        kind: "sign_in.succeeded",
        reason: complete ? (remembered ? "remembered_device" : "password") : "second_factor_pending",
      },
      ...(passwordExpired(user, policy, user.administrative, now) ? [{ ...event, kind: "password.expired" as const }] : []),
    ],
    now,
  );
  return { token, session, next, device: renewed };
}
