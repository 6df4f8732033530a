import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { loginDevices } from "~db/schema";

/** How long a browser stays known after its last full sign-in. */
export const DEVICE_DAYS = 180;

function deviceId(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`device:${token}`)));
}

export interface KnownDevice {
  id: string;
  userId: number;
  secondFactorUntil: Date | null;
}

/** The device row a cookie names, if it belongs to this account and is still valid. */
export async function findDevice(db: DbOrTx, token: string | null, userId: number, now = new Date()): Promise<KnownDevice | null> {
  if (!token || !/^[a-z2-7]{32}$/.test(token)) return null;
  const [row] = await db
    .select({ id: loginDevices.id, userId: loginDevices.userId, secondFactorUntil: loginDevices.secondFactorUntil })
    .from(loginDevices)
    .where(and(eq(loginDevices.id, deviceId(token)), eq(loginDevices.userId, userId), gt(loginDevices.expiresAt, now)));
  return row ?? null;
}

/**
 * After a full sign-in: the browser's device row (new, or the one its cookie names), pushed forward;
 * remembered for the second factor for `rememberDays` when asked (0: not remembered).
 */
export async function rememberDevice(
  db: DbOrTx,
  input: { userId: number; token: string | null; userAgent: string; rememberDays: number },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const existing = await findDevice(db, input.token, input.userId, now);
  const token = existing && input.token ? input.token : encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
  const expiresAt = new Date(now.getTime() + DEVICE_DAYS * 86_400_000);
  const secondFactorUntil = input.rememberDays > 0 ? new Date(now.getTime() + input.rememberDays * 86_400_000) : null;
  await db
    .insert(loginDevices)
    .values({
      id: deviceId(token),
      userId: input.userId,
      expiresAt,
      secondFactorUntil,
      userAgent: input.userAgent.slice(0, 300),
      lastUsedAt: now,
    })
    .onConflictDoUpdate({
      target: loginDevices.id,
      set: {
        expiresAt,
        lastUsedAt: now,
        // Ticking "remember" extends it; not ticking keeps what an earlier sign-in chose.
        secondFactorUntil: secondFactorUntil ? secondFactorUntil : sql`${loginDevices.secondFactorUntil}`,
      },
    });
  return { token, expiresAt };
}

/** Every remembered second factor of an account ends (reset, or "sign out elsewhere"). */
export async function forgetRememberedDevices(db: DbOrTx, userId: number, exceptToken?: string | null): Promise<void> {
  const except = exceptToken ? deviceId(exceptToken) : null;
  await db
    .update(loginDevices)
    .set({ secondFactorUntil: null })
    .where(and(eq(loginDevices.userId, userId), except ? ne(loginDevices.id, except) : undefined));
}

export async function deleteExpiredDevices(db: DbOrTx, now = new Date()) {
  await db.delete(loginDevices).where(lt(loginDevices.expiresAt, now));
}
