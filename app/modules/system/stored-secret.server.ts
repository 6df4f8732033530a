import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { settings } from "~db/schema";

/**
 * Secrets the servers generate for themselves (the check-in's signing key, the public rating's device
 * key): made by whichever server asks first, kept in `settings` (insert if absent, then read back), so
 * every server agrees without configuration.
 */
export async function storedSecret(db: DbOrTx, key: string): Promise<string> {
  await db
    .insert(settings)
    .values({ key, value: randomBytes(32).toString("hex") })
    .onConflictDoNothing({ target: settings.key });
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  if (typeof row?.value !== "string" || row.value.length < 32) throw new Error(`${key}: the stored secret is missing or too short`);
  return row.value;
}

const loaded = new Map<string, Promise<unknown>>();

/**
 * A value loaded once per process (the server, its fast paths and its worker are one module graph, so
 * this module's own map is the one place it lives). A failed load is forgotten, so the next call tries
 * again.
 */
export function oncePerProcess<T>(name: string, load: () => Promise<T>): Promise<T> {
  let value = loaded.get(name) as Promise<T> | undefined;
  if (!value) {
    value = load().catch((error: unknown) => {
      loaded.delete(name);
      throw error;
    });
    loaded.set(name, value);
  }
  return value;
}

/** For tests that switch databases or secrets. */
export function forgetOncePerProcess(name: string) {
  loaded.delete(name);
}
