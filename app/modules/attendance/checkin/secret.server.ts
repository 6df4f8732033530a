import { forgetOncePerProcess, oncePerProcess, storedSecret } from "~/modules/system/stored-secret.server";
import type { DbOrTx } from "~db/client";
import { attendanceEnv } from "../config.server";
import { checkInKey } from "./token.server";

export const CHECKIN_SECRET_KEY = "attendance.checkin_secret";

const KEY = "luoshi.attendance.checkInKey";

/**
 * The key that signs check-in codes: from CHECKIN_SECRET, else a random secret made by whichever server
 * asks first and stored in the settings table (insert-if-absent, then read back), so all agree. Read
 * once per process; kept on globalThis because the server and the Remix build each load this module.
 */
export function checkInSigningKey(db: DbOrTx): Promise<Buffer> {
  return oncePerProcess(KEY, async () => checkInKey(attendanceEnv().CHECKIN_SECRET || (await storedSecret(db, CHECKIN_SECRET_KEY))));
}

/** For tests that switch databases or secrets. */
export function forgetCheckInSigningKey() {
  forgetOncePerProcess(KEY);
}
