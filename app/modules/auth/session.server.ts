import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, desc, eq, lt, ne, or, sql } from "drizzle-orm";
import { recordSecurityEvent } from "~/modules/security/events.server";
import { readPolicy, sessionLimits } from "~/modules/security/policy";
import type { DbOrTx } from "~db/client";
import { sessions } from "~db/schema";
import { ADMIN_ROLES } from "./roles";

/**
 * Sessions as Lucia's authors now teach them (lucia-auth.com, "Sessions"): a random token lives only in
 * the cookie, the database keeps its SHA-256 as the session id, so a leaked table holds no usable token.
 * See docs/decisions/0003-sessions-after-lucia.md. Idle and absolute limits come from the security
 * policy, per role: an administrative account's session ends after 30 idle minutes by default.
 */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export interface LoginSession {
  id: string;
  userId: number;
  idleExpiresAt: Date;
  expiresAt: Date;
  /** Null while only the password has been given. */
  secondFactorAt: Date | null;
}

export interface SessionDetails {
  userAgent?: string;
  address?: string;
  secondFactorAt?: Date | null;
}

/** 20 random bytes (160 bits), base32: case-insensitive and URL-safe. */
export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: DbOrTx,
  token: string,
  userId: number,
  policy: SessionPolicy,
  now = new Date(),
  details: SessionDetails = {},
): Promise<LoginSession> {
  const session = {
    id: sessionIdFromToken(token),
    userId,
    idleExpiresAt: new Date(now.getTime() + policy.idleMs),
    expiresAt: new Date(now.getTime() + policy.maxMs),
    secondFactorAt: details.secondFactorAt ?? null,
  };
  await db.insert(sessions).values({
    ...session,
    createdAt: now,
    lastSeenAt: now,
    userAgent: (details.userAgent ?? "").slice(0, 300),
    address: (details.address ?? "").slice(0, 100),
  });
  return session;
}

/** The session limits of an account now: per role, from the security policy. */
export async function sessionPolicyFor(db: DbOrTx, userId: number): Promise<SessionPolicy> {
  const [row] = await db.execute<{ admin: boolean; policy: unknown }>(sql`
    select exists (select 1 from user_roles r where r.user_id = ${userId} and r.role::text in ${ADMIN_ROLES}) as admin,
      (select value from settings where key = 'security.policy') as policy`);
  return sessionLimits(readPolicy(row?.policy), Boolean(row?.admin));
}

/**
 * Returns the live session for a token, or null. The limits are the policy's for the account's roles
 * now (granting an administrative role shortens the sessions it already has). Activity pushes the idle
 * deadline forward, written at most once a minute so that a page full of requests does not write on
 * each one. A session found expired is ended and the security log says why.
 */
export async function validateSessionToken(db: DbOrTx, token: string, now = new Date()): Promise<LoginSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const [row] = await db.execute<{
    user_id: number;
    created_at: string;
    last_seen_at: string;
    idle_expires_at: string;
    expires_at: string;
    second_factor_at: string | null;
    address: string;
    user_agent: string;
    admin: boolean;
    policy: unknown;
  }>(sql`
    select s.user_id, s.created_at, s.last_seen_at, s.idle_expires_at, s.expires_at, s.second_factor_at, s.address, s.user_agent,
      exists (select 1 from user_roles r where r.user_id = s.user_id and r.role::text in ${ADMIN_ROLES}) as admin,
      (select value from settings where key = 'security.policy') as policy
    from sessions s where s.id = ${id}`);
  if (!row) return null;
  const limits = sessionLimits(readPolicy(row.policy), row.admin);
  const createdAt = new Date(row.created_at);
  const lastSeenAt = new Date(row.last_seen_at);
  const expiresAt = new Date(Math.min(new Date(row.expires_at).getTime(), createdAt.getTime() + limits.maxMs));
  const idleExpiresAt = new Date(
    Math.min(new Date(row.idle_expires_at).getTime(), lastSeenAt.getTime() + limits.idleMs, expiresAt.getTime()),
  );
  if (now >= expiresAt || now >= idleExpiresAt) {
    const deleted = await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
    if (deleted.length) {
      await recordSecurityEvent(db, {
        kind: "session.ended",
        userId: row.user_id,
        reason: now >= expiresAt ? "absolute_timeout" : "idle_timeout",
        address: row.address,
        userAgent: row.user_agent,
      });
    }
    return null;
  }
  const session: LoginSession = {
    id,
    userId: row.user_id,
    idleExpiresAt,
    expiresAt,
    secondFactorAt: row.second_factor_at ? new Date(row.second_factor_at) : null,
  };
  if (now.getTime() - lastSeenAt.getTime() > 60_000) {
    session.idleExpiresAt = new Date(Math.min(now.getTime() + limits.idleMs, expiresAt.getTime()));
    await db.update(sessions).set({ lastSeenAt: now, idleExpiresAt: session.idleExpiresAt, expiresAt }).where(eq(sessions.id, id));
  }
  return session;
}

export async function markSecondFactorDone(db: DbOrTx, sessionId: string, now = new Date()): Promise<void> {
  await db.update(sessions).set({ secondFactorAt: now, lastSeenAt: now }).where(eq(sessions.id, sessionId));
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends an account's sessions (all, or all but one); returns how many ended. */
export async function invalidateUserSessions(db: DbOrTx, userId: number, exceptSessionId?: string): Promise<number> {
  const ended = await db
    .delete(sessions)
    .where(exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId))
    .returning({ id: sessions.id });
  return ended.length;
}

/** Expired sessions, ended by the nightly clean-up; each on the security log. */
export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<void> {
  const ended = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.idleExpiresAt, now)))
    .returning({ userId: sessions.userId, expiresAt: sessions.expiresAt, address: sessions.address, userAgent: sessions.userAgent });
  await recordSecurityEvent(
    db,
    ended.map((s) => ({
      kind: "session.ended" as const,
      userId: s.userId,
      reason: s.expiresAt < now ? "absolute_timeout" : "idle_timeout",
      address: s.address,
      userAgent: s.userAgent,
    })),
  );
}

export interface SessionListing {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
  address: string;
  secondFactorAt: Date | null;
}

/** An account's live sign-ins, the latest used first. */
export async function listUserSessions(db: DbOrTx, userId: number): Promise<SessionListing[]> {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      userAgent: sessions.userAgent,
      address: sessions.address,
      secondFactorAt: sessions.secondFactorAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), sql`${sessions.expiresAt} > now()`, sql`${sessions.idleExpiresAt} > now()`))
    .orderBy(desc(sessions.lastSeenAt));
}
