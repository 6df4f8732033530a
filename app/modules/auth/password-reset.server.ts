import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/modules/audit/service.server";
import {
  generateLinkToken,
  inspectLinkToken,
  lockValidLinkToken,
  markLinkTokenUsed,
  revokeLinkTokens,
} from "~/modules/email/link-tokens.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueuePrepared, organizationName, prepareEmail } from "~/modules/email/outbox.server";
import { type RequestOrigin, recordSecurityEvent } from "~/modules/security/events.server";
import { DomainError, invalid } from "~/utils/errors";
import { DEFAULT_LOCALE, toLocale } from "~/utils/i18n";
import type { Database } from "~db/client";
import { type AccountTokenPurpose, accountTokens, cadres, users } from "~db/schema";
import { MAX_PASSWORD_LENGTH } from "./constants";
import { hashPassword } from "./password.server";
import { checkNewPassword, storeNewPassword } from "./service.server";
import { createSession, generateSessionToken, invalidateUserSessions, type LoginSession, sessionPolicyFor } from "./session.server";
import { accountIsAdministrative, type SignInNext } from "./sign-in.server";
import { reserveAttempt } from "./throttle.server";

export const PASSWORD_RESET_VALID_MINUTES = 60;
/** Requests per address (429 beyond) and per typed identifier (silently ignored beyond) in the window. */
export const RESET_LIMITS = { perAddress: 10, perAccount: 3, windowMs: 60 * 60_000 };

export const ForgotPasswordSchema = z.object({
  identifier: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(200, "validation.tooLong"),
});

export const SetPasswordSchema = z
  .object({
    newPassword: z.string({ error: "validation.required" }).min(1, "validation.required").max(MAX_PASSWORD_LENGTH, "validation.tooLong"),
    confirmPassword: z.string({ error: "validation.required" }).min(1, "validation.required"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "validation.passwordsDiffer", path: ["confirmPassword"] });

/**
 * "Forgot password": always the same answer whatever the identifier, so the page tells nobody which
 * accounts exist. Requests are counted in login_throttles (atomic, shared by every app server): too
 * many from one address is refused openly (that reveals nothing about accounts); too many for one
 * identifier are silently dropped.
 * Only open accounts with an email address get a link; a closed account is opened by invitation.
 */
export async function requestPasswordReset(
  db: Database,
  input: { identifier: string; address: string; origin: string },
  now = new Date(),
): Promise<void> {
  const window = { windowMs: RESET_LIMITS.windowMs, lockMs: RESET_LIMITS.windowMs };
  const byAddress = await reserveAttempt(db, "reset_address", input.address, { ...window, max: RESET_LIMITS.perAddress }, now);
  if (!byAddress.allowed) {
    throw new DomainError("rate_limited", "auth.tooManyAttempts", {
      field: "form",
      params: { minutes: Math.round(RESET_LIMITS.windowMs / 60_000) },
    });
  }
  const byName = await reserveAttempt(
    db,
    "reset_account",
    input.identifier.trim().toLowerCase(),
    { ...window, max: RESET_LIMITS.perAccount },
    now,
  );
  if (!byName.allowed) return;

  const id = input.identifier.trim().toLowerCase();
  const [account] = await db
    .select({
      id: users.id,
      disabled: users.disabled,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      locale: users.locale,
      email: sql<string | null>`coalesce(${cadres.email}, ${users.email})`,
      name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '')`,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(sql`lower(${users.email}) = ${id} or lower(${cadres.email}) = ${id} or lower(${cadres.staffNo}) = ${id}`)
    .limit(1);
  const eligible = account && !account.disabled && account.hasPassword && account.email;

  const locale = toLocale(account?.locale) ?? DEFAULT_LOCALE;
  const { token, id: tokenId } = generateLinkToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_VALID_MINUTES * 60_000);
  // Rendered whether or not there is an account, so the answer takes about as long either way.
  const email = await prepareEmail({
    template: "password-reset",
    to: account?.email ?? "nobody@invalid",
    idempotencyKey: `password-reset/${tokenId}`,
    userId: account?.id ?? null,
    props: {
      locale,
      organizationName: await organizationName(db, locale),
      name: account?.name ?? "",
      url: `${input.origin}/reset-password/${token}`,
      expiresAt: expiresAt.toISOString(),
      validMinutes: PASSWORD_RESET_VALID_MINUTES,
    },
  });
  if (!eligible) return;

  await db.transaction(async (tx) => {
    await revokeLinkTokens(tx, [account.id], ["password_reset"], now);
    await tx.insert(accountTokens).values({ id: tokenId, userId: account.id, purpose: "password_reset", expiresAt, createdAt: now });
    await enqueuePrepared(tx, [email]);
    await audit(
      tx,
      { userId: null, label: "self-service" },
      {
        action: "account.password_reset_requested",
        entityType: "user",
        entityId: account.id,
      },
    );
  });
  nudgeOutbox();
}

/**
 * Redeems an emailed link with a new password (checked against the policy like every other): sets it,
 * uses up the link and every other outstanding link of the account, ends every session (whoever else
 * was signed in is out) and signs this browser in — to the second factor first where one is needed.
 */
export async function setPasswordFromLink(
  db: Database,
  input: { token: string; purpose: AccountTokenPurpose; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ token: string; session: LoginSession; userId: number; next: SignInNext }> {
  // The policy is checked before anything is spent, against the account the link opens.
  const peek = await inspectLinkToken(db, input.token, input.purpose, now);
  if (peek.state !== "valid" || !peek.userId) throw invalid(`email.pages.token.${peek.state}`, "form");
  await checkNewPassword(db, peek.userId, input.password);
  const passwordHash = await hashPassword(input.password);
  const sessionToken = generateSessionToken();
  const result = await db.transaction(async (tx) => {
    const link = await lockValidLinkToken(tx, input.token, input.purpose, now);
    const [user] = await tx
      .select({ disabled: users.disabled, enrolled: sql<boolean>`${users.totpKey} is not null` })
      .from(users)
      .where(eq(users.id, link.userId))
      .for("update");
    if (!user) throw new DomainError("invalid", "email.pages.token.invalid", { field: "form" });
    // A reset link cannot reopen an account the organization department closed; an invitation opens it.
    if (input.purpose === "password_reset" && user.disabled) throw new DomainError("invalid", "auth.accountDisabled", { field: "form" });

    await storeNewPassword(tx, link.userId, passwordHash, now);
    await tx.update(users).set({ disabled: false, lastLoginAt: now }).where(eq(users.id, link.userId));
    await markLinkTokenUsed(tx, link.id, now);
    await revokeLinkTokens(tx, [link.userId], ["invitation", "password_reset"], now);
    await invalidateUserSessions(tx, link.userId);
    const limits = await sessionPolicyFor(tx, link.userId);
    const complete = !user.enrolled && !(await accountIsAdministrative(tx, link.userId));
    const session = await createSession(tx, sessionToken, link.userId, limits, now, { ...origin, secondFactorAt: complete ? now : null });
    await audit(
      tx,
      { userId: link.userId },
      {
        action: input.purpose === "invitation" ? "account.invitation_accepted" : "account.password_reset",
        entityType: "user",
        entityId: link.userId,
        after: input.purpose === "invitation" ? { disabled: false } : undefined,
      },
    );
    await recordSecurityEvent(tx, { kind: "password.reset", userId: link.userId, reason: input.purpose, ...origin }, now);
    const next: SignInNext = complete ? "done" : user.enrolled ? "second_factor" : "enrol";
    return { token: sessionToken, session, userId: link.userId, next };
  });
  return result;
}

export function resetPasswordWithToken(db: Database, token: string, password: string, origin: RequestOrigin, now = new Date()) {
  return setPasswordFromLink(db, { token, purpose: "password_reset", password }, origin, now);
}
