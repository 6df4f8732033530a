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

type Holder = Record<symbol, Promise<unknown> | undefined>;

/**
 * A value loaded once per process, kept on globalThis: server.ts and the Remix build each load the
 * modules that ask, and must share one key. A failed load is forgotten, so the next call tries again.
 */
export function oncePerProcess<T>(name: string, load: () => Promise<T>): Promise<T> {
  const holder = globalThis as unknown as Holder;
  const key = Symbol.for(name);
  holder[key] ??= load().catch((error: unknown) => {
    holder[key] = undefined;
    throw error;
  });
  return holder[key] as Promise<T>;
}

/** For tests that switch databases or secrets. */
export function forgetOncePerProcess(name: string) {
  (globalThis as unknown as Holder)[Symbol.for(name)] = undefined;
}
