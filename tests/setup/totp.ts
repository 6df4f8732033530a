import { eq } from "drizzle-orm";
import { totpCode, totpStep } from "~/modules/auth/totp";
import { openSecret } from "~/modules/security/secrets.server";
import type { DbOrTx } from "~db/client";
import { users } from "~db/schema";

/**
 * The code an authenticator app would show for an account now: read from the account's sealed key,
 * as the app holds it. Codes are single-use per 30-second step, so this gives the next step not yet
 * used (the server accepts one step ahead for clock drift), or waits for one.
 */
export async function currentCode(db: DbOrTx, userId: number): Promise<string> {
  for (;;) {
    const [row] = await db.select({ key: users.totpKey, last: users.totpLastStep }).from(users).where(eq(users.id, userId));
    if (!row?.key) throw new Error(`account ${userId} has no second factor`);
    const key = await openSecret(db, row.key, `totp:user:${userId}`);
    if (!key) throw new Error("cannot open the TOTP key");
    const now = totpStep(new Date());
    const step = row.last === null || row.last < now ? now : row.last + 1;
    if (step <= now + 1) return totpCode(key, step);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The code for a key shown at enrolment (the base32 "manual key"). */
export function codeForManualKey(manualKey: string, at = new Date()): string {
  const base32 = manualKey.replace(/\s/g, "");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return totpCode(bytes, totpStep(at));
}
