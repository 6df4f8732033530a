import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { audit } from "~/modules/audit/service.server";
import { type RequestOrigin, recordSecurityEvent } from "~/modules/security/events.server";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { openSecret, sealSecret } from "~/modules/security/secrets.server";
import { DomainError, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { recoveryCodes, users } from "~db/schema";
import { forgetRememberedDevices, rememberDevice } from "./devices.server";
import { queueSecurityNotice } from "./notices.server";
import { isAdministrative } from "./roles";
import { invalidateSession, invalidateUserSessions, markSecondFactorDone } from "./session.server";
import { signInRules } from "./sign-in.server";
import { accountKey, reserveAttempt, settleFailure, settleSuccess } from "./throttle.server";
import { manualKey, matchTotp, newRecoveryCodes, newTotpKey, recoveryCodeHash, TOTP_KEY_BYTES, totpKeyUri } from "./totp";

/** An enrolment must be finished within this long after the QR code was shown. */
export const ENROLMENT_VALID_MS = 60 * 60_000;

const keyContext = (userId: number) => `totp:user:${userId}`;
const pendingContext = (userId: number) => `totp-enrol:user:${userId}`;

export interface SecondFactorStatus {
  enrolled: boolean;
  enrolledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function secondFactorStatus(db: DbOrTx, userId: number): Promise<SecondFactorStatus> {
  const [row] = await db.select({ enrolledAt: users.totpEnrolledAt, key: users.totpKey }).from(users).where(eq(users.id, userId));
  if (!row) throw notFound();
  const [left] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return { enrolled: Boolean(row.key), enrolledAt: row.enrolledAt, recoveryCodesLeft: left?.n ?? 0 };
}

export interface EnrolmentStart {
  /** The new key, sealed, carried by the form until the first code proves the app has it. */
  pending: string;
  uri: string;
  qrSvg: string;
  manualKey: string;
}

/** A fresh key for the QR code; nothing is stored until the first code from the app matches. */
export async function startEnrolment(db: DbOrTx, userId: number, labels: { issuer: string; account: string }, now = new Date()) {
  const key = newTotpKey();
  const stamped = new Uint8Array(8 + TOTP_KEY_BYTES);
  new DataView(stamped.buffer).setBigUint64(0, BigInt(now.getTime()));
  stamped.set(key, 8);
  return enrolmentView(await sealSecret(db, stamped, pendingContext(userId)), key, labels);
}

async function enrolmentView(pending: string, key: Uint8Array, labels: { issuer: string; account: string }): Promise<EnrolmentStart> {
  const uri = totpKeyUri(labels.issuer, labels.account, key);
  return {
    pending,
    uri,
    qrSvg: await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }),
    manualKey: manualKey(key),
  };
}

async function openPending(db: DbOrTx, userId: number, pending: string, now: Date): Promise<Uint8Array | null> {
  const opened = await openSecret(db, pending, pendingContext(userId));
  if (!opened || opened.length !== 8 + TOTP_KEY_BYTES) return null;
  const issuedAt = Number(new DataView(opened.buffer, opened.byteOffset).getBigUint64(0));
  return now.getTime() - issuedAt > ENROLMENT_VALID_MS ? null : opened.slice(8);
}

/** The same QR code again after a mistyped first code (a new one would confuse whoever just scanned). */
export async function resumeEnrolment(
  db: DbOrTx,
  userId: number,
  pending: string,
  labels: { issuer: string; account: string },
  now = new Date(),
) {
  const key = await openPending(db, userId, pending, now);
  return key ? enrolmentView(pending, key, labels) : startEnrolment(db, userId, labels, now);
}

async function insertRecoveryCodes(tx: DbOrTx, userId: number, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: recoveryCodeHash(userId, c), createdAt: now })));
  return codes;
}

/**
 * The first code from the app proves it holds the key: the key is stored (sealed), ten recovery codes
 * are made and returned once, and this session counts as having given its second factor.
 */
export async function completeEnrolment(
  db: Database,
  session: { id: string; userId: number },
  input: { pending: string; code: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  const key = await openPending(db, session.userId, input.pending, now);
  if (!key) throw invalid("auth.secondFactor.enrolmentExpired", "code");
  const step = matchTotp(key, input.code, now, null);
  if (step === null) {
    await recordSecurityEvent(db, { kind: "second_factor.failed", userId: session.userId, reason: "enrolment_code", ...origin }, now);
    throw invalid("auth.secondFactor.wrongCode", "code");
  }
  const sealed = await sealSecret(db, key, keyContext(session.userId));
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ key: users.totpKey }).from(users).where(eq(users.id, session.userId)).for("update");
    if (!user) throw notFound();
    if (user.key) throw invalid("auth.secondFactor.alreadyEnrolled", "code");
    await tx.update(users).set({ totpKey: sealed, totpEnrolledAt: now, totpLastStep: step }).where(eq(users.id, session.userId));
    const codes = await insertRecoveryCodes(tx, session.userId, now);
    await markSecondFactorDone(tx, session.id, now);
    await recordSecurityEvent(tx, { kind: "second_factor.enrolled", userId: session.userId, ...origin }, now);
    return { recoveryCodes: codes };
  });
}

/** Accepts a code for the account's key: only once per step, however many requests race (one UPDATE). */
async function acceptTotp(db: DbOrTx, userId: number, code: string, now: Date): Promise<boolean> {
  const [row] = await db.select({ key: users.totpKey, lastStep: users.totpLastStep }).from(users).where(eq(users.id, userId));
  if (!row?.key) return false;
  const key = await openSecret(db, row.key, keyContext(userId));
  if (!key) return false;
  const step = matchTotp(key, code, now, row.lastStep);
  if (step === null) return false;
  const taken = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return taken.length > 0;
}

/** Uses up one recovery code; false when it is wrong or was used already. */
async function spendRecoveryCode(db: DbOrTx, userId: number, code: string, now: Date): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, recoveryCodeHash(userId, code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length > 0;
}

/**
 * Sign-in, step two: a code from the app or one recovery code. Failures are counted per account like
 * passwords (locked after the policy's limit, the owner emailed, this half-open session ended). With
 * "remember this device" (off unless ticked) the browser skips this step for the policy's days.
 */
export async function verifySecondFactor(
  db: Database,
  session: { id: string; userId: number },
  input: { code?: string; recoveryCode?: string; remember: boolean; deviceToken: string | null },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ device: { token: string; expiresAt: Date } }> {
  const policy = await getSecurityPolicy(db);
  const rule = signInRules(policy).account;
  const key = accountKey(session.userId, "");
  const event = { userId: session.userId, ...origin };
  const field = input.recoveryCode ? "recoveryCode" : "code";
  const reservation = await reserveAttempt(db, "second_factor", key, rule, now);
  if (!reservation.allowed) {
    await recordSecurityEvent(db, { ...event, kind: "second_factor.failed", reason: "locked" }, now);
    await invalidateSession(db, session.id);
    throw new DomainError("rate_limited", "auth.tooManyAttempts", { field, params: { minutes: Math.ceil(rule.lockMs / 60_000) } });
  }
  const ok = input.recoveryCode
    ? await spendRecoveryCode(db, session.userId, input.recoveryCode, now)
    : await acceptTotp(db, session.userId, input.code ?? "", now);
  if (!ok) {
    if (await settleFailure(db, "second_factor", key, rule, now)) {
      const until = new Date(now.getTime() + rule.lockMs);
      await recordSecurityEvent(
        db,
        { ...event, kind: "account.locked", reason: "second_factor_failures", details: { until: until.toISOString() } },
        now,
      );
      await queueSecurityNotice(
        db,
        session.userId,
        { notice: "account_locked", at: now.toISOString(), until: until.toISOString(), failures: rule.max, address: origin.address },
        `locked-2fa/${session.userId}/${now.getTime()}`,
      );
    }
    await recordSecurityEvent(
      db,
      { ...event, kind: "second_factor.failed", reason: input.recoveryCode ? "wrong_recovery_code" : "wrong_code" },
      now,
    );
    throw invalid(input.recoveryCode ? "auth.secondFactor.wrongRecoveryCode" : "auth.secondFactor.wrongCode", field);
  }
  await settleSuccess(db, "second_factor", key);
  await markSecondFactorDone(db, session.id, now);
  const device = await rememberDevice(
    db,
    {
      userId: session.userId,
      token: input.deviceToken,
      userAgent: origin.userAgent,
      rememberDays: input.remember ? policy.rememberDeviceDays : 0,
    },
    now,
  );
  const left = input.recoveryCode ? (await secondFactorStatus(db, session.userId)).recoveryCodesLeft : null;
  await recordSecurityEvent(
    db,
    {
      ...event,
      kind: input.recoveryCode ? "second_factor.recovery_code_used" : "second_factor.verified",
      details: { remembered: input.remember, ...(left === null ? {} : { recoveryCodesLeft: left }) },
    },
    now,
  );
  return { device };
}

/** Ten new recovery codes (the old ones stop working), after a current code from the app. */
export async function renewRecoveryCodes(db: Database, userId: number, code: string, origin: RequestOrigin, now = new Date()) {
  if (!(await acceptTotp(db, userId, code, now))) throw invalid("auth.secondFactor.wrongCode", "code");
  return db.transaction(async (tx) => {
    const codes = await insertRecoveryCodes(tx, userId, now);
    await recordSecurityEvent(tx, { kind: "second_factor.recovery_codes_renewed", userId, ...origin }, now);
    return codes;
  });
}

/** Someone without an administrative role may turn the optional second factor off again. */
export async function disableSecondFactor(
  db: Database,
  user: { id: number; roles: readonly string[] },
  code: string,
  origin: RequestOrigin,
  now = new Date(),
) {
  if (isAdministrative(user.roles)) throw invalid("auth.secondFactor.requiredForRole", "code");
  if (!(await acceptTotp(db, user.id, code, now))) throw invalid("auth.secondFactor.wrongCode", "code");
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpKey: null, totpEnrolledAt: null, totpLastStep: null }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await forgetRememberedDevices(tx, user.id);
    await recordSecurityEvent(tx, { kind: "second_factor.disabled", userId: user.id, ...origin }, now);
  });
}

/**
 * A security administrator's reset (the phone was lost): the key, the recovery codes and the remembered
 * browsers are gone, every session of the account ends, and the owner is emailed. An administrative
 * account enrols again at its next sign-in.
 */
export async function resetSecondFactor(
  db: Database,
  actor: { userId: number; name: string },
  userId: number,
  reason: string,
  origin: RequestOrigin,
  now = new Date(),
) {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ key: users.totpKey, enrolledAt: users.totpEnrolledAt })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) throw notFound();
    if (!user.key) throw invalid("admin.security.notEnrolled", "form");
    await tx.update(users).set({ totpKey: null, totpEnrolledAt: null, totpLastStep: null }).where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await forgetRememberedDevices(tx, userId);
    const ended = await invalidateUserSessions(tx, userId);
    await audit(tx, actor, {
      action: "account.second_factor_reset",
      entityType: "user",
      entityId: userId,
      before: { secondFactor: true, enrolledAt: user.enrolledAt?.toISOString() ?? null },
      after: { secondFactor: false, sessionsEnded: ended },
      reason,
    });
    await recordSecurityEvent(
      tx,
      { kind: "second_factor.reset", userId, actorUserId: actor.userId, reason: "by_security_admin", ...origin, details: { reason } },
      now,
    );
    await queueSecurityNotice(
      tx,
      userId,
      { notice: "second_factor_reset", at: now.toISOString(), byName: actor.name, reason },
      `second-factor-reset/${userId}/${now.getTime()}`,
    );
  });
}

/** For the accounts list: whether each account has a second factor. */
export const secondFactorEnrolledSql = sql<boolean>`${users.totpKey} is not null`;
