import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { settings } from "~db/schema/index";
import { attendanceEnv } from "../config.server";
import { checkInKey } from "./token.server";

export const CHECKIN_SECRET_KEY = "attendance.checkin_secret";

const KEY = Symbol.for("luoshi.attendance.checkInKey");
type Holder = { [KEY]?: Promise<Buffer> };

/**
 * The key that signs check-in codes: from CHECKIN_SECRET, else a random secret made by whichever server
 * asks first and stored in the settings table (insert-if-absent, then read back), so all agree. Read
 * once per process; kept on globalThis because the server and the Remix build each load this module.
 */
export function checkInSigningKey(db: DbOrTx): Promise<Buffer> {
  const holder = globalThis as Holder;
  holder[KEY] ??= loadKey(db).catch((error: unknown) => {
    holder[KEY] = undefined;
    throw error;
  });
  return holder[KEY];
}

async function loadKey(db: DbOrTx): Promise<Buffer> {
  const fromEnv = attendanceEnv().CHECKIN_SECRET;
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

/** For tests that switch databases or secrets. */
export function forgetCheckInSigningKey() {
  (globalThis as Holder)[KEY] = undefined;
}
