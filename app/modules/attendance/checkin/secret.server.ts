import { oncePerProcess, storedSecret } from "~/modules/system/stored-secret.server";
import { env } from "~/utils/env.server";
import type { DbOrTx } from "~db/client";
import { checkInKey } from "./token.server";

export const CHECKIN_SECRET_KEY = "attendance.checkin_secret";

/**
 * The key that signs check-in codes: from CHECKIN_SECRET, else a random secret made by whichever server
 * asks first and stored in the settings table (system/stored-secret.server.ts), so all agree. Read
 * once per process.
 */
export function checkInSigningKey(db: DbOrTx): Promise<Buffer> {
  return oncePerProcess("attendance.checkInKey", async () =>
    checkInKey(env().CHECKIN_SECRET || (await storedSecret(db, CHECKIN_SECRET_KEY))),
  );
}
