import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt, ne, or } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { sessions } from "~db/schema";

/**
 * Sessions as Lucia's authors now teach them (lucia-auth.com, "Sessions"): a random token lives only in
 * the cookie, the database keeps its SHA-256 as the session id, so a leaked table holds no usable token.
 * See docs/decisions/0003-sessions-after-lucia.md.
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
): Promise<LoginSession> {
  const session = {
    id: sessionIdFromToken(token),
    userId,
    idleExpiresAt: new Date(now.getTime() + policy.idleMs),
    expiresAt: new Date(now.getTime() + policy.maxMs),
  };
  await db.insert(sessions).values({ ...session, createdAt: now, lastSeenAt: now });
  return session;
}

/**
 * Returns the live session for a token, or null. Activity pushes the idle deadline forward, written at
 * most once a minute so that a page full of requests does not write on each one.
 */
export async function validateSessionToken(
  db: DbOrTx,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<LoginSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  if (!row) return null;
  if (now >= row.expiresAt || now >= row.idleExpiresAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  const session: LoginSession = { id, userId: row.userId, idleExpiresAt: row.idleExpiresAt, expiresAt: row.expiresAt };
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    session.idleExpiresAt = new Date(Math.min(now.getTime() + policy.idleMs, row.expiresAt.getTime()));
    await db.update(sessions).set({ lastSeenAt: now, idleExpiresAt: session.idleExpiresAt }).where(eq(sessions.id, id));
  }
  return session;
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(db: DbOrTx, userId: number, exceptSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<void> {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.idleExpiresAt, now)));
}
