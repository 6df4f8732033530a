import { and, count, eq, gte, lt } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { loginFailures } from "~db/schema";

export interface RateLimitPolicy {
  maxPerAccount: number;
  maxPerAddress: number;
  windowMs: number;
}

/**
 * Failed sign-ins are rows in the database, so every app server counts the same ones. The account key is
 * the identifier as typed (normalised), not a user id: an unknown name is limited exactly like a real one,
 * so the limit reveals nothing about which accounts exist.
 */
export async function isLoginLimited(
  db: DbOrTx,
  keys: { account: string; address: string },
  policy: RateLimitPolicy,
  now = new Date(),
): Promise<boolean> {
  const since = new Date(now.getTime() - policy.windowMs);
  const countFor = async (scope: "account" | "address", key: string) => {
    const [row] = await db
      .select({ n: count() })
      .from(loginFailures)
      .where(and(eq(loginFailures.scope, scope), eq(loginFailures.key, key), gte(loginFailures.failedAt, since)));
    return row?.n ?? 0;
  };
  const [account, address] = await Promise.all([countFor("account", keys.account), countFor("address", keys.address)]);
  return account >= policy.maxPerAccount || address >= policy.maxPerAddress;
}

export async function recordLoginFailure(db: DbOrTx, keys: { account: string; address: string }, now = new Date()) {
  await db.insert(loginFailures).values([
    { scope: "account", key: keys.account, failedAt: now },
    { scope: "address", key: keys.address, failedAt: now },
  ]);
}

export async function clearAccountFailures(db: DbOrTx, account: string) {
  await db.delete(loginFailures).where(and(eq(loginFailures.scope, "account"), eq(loginFailures.key, account)));
}

export async function pruneLoginFailures(db: DbOrTx, olderThan: Date) {
  await db.delete(loginFailures).where(lt(loginFailures.failedAt, olderThan));
}
