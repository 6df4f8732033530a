import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { env } from "~/utils/env.server";
import type { DbOrTx } from "~db/client";
import { settings } from "~db/schema/index";
import { checkInKey } from "./token.server";

export const CHECKIN_SECRET_KEY = "attendance.checkin_secret";

let signingKey: Promise<Buffer> | undefined;

/**
 * The key that signs check-in codes: from CHECKIN_SECRET, else a random secret made by whichever server
 * asks first and stored in the settings table (insert-if-absent, then read back), so all agree. Read
 * once per process.
 */
export function checkInSigningKey(db: DbOrTx): Promise<Buffer> {
  signingKey ??= loadKey(db).catch((error: unknown) => {
    signingKey = undefined;
    throw error;
  });
  return signingKey;
}

async function loadKey(db: DbOrTx): Promise<Buffer> {
  const fromEnv = env().CHECKIN_SECRET;
  if (fromEnv) return checkInKey(fromEnv);
  await db
    .insert(settings)
    .values({ key: CHECKIN_SECRET_KEY, value: randomBytes(32).toString("hex") })
    .onConflictDoNothing({ target: settings.key });
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, CHECKIN_SECRET_KEY));
  if (typeof row?.value !== "string" || row.value.length < 32)
    throw new Error("attendance: the stored check-in secret is missing or too short");
  return checkInKey(row.value);
}
