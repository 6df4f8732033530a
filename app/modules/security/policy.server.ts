import { eq } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import type { Database, DbOrTx } from "~db/client";
import { settings } from "~db/schema";
import { recordSecurityEvent } from "./events.server";
import { readPolicy, type SecurityPolicy } from "./policy";

export const SECURITY_POLICY_SETTING = "security.policy";

export async function getSecurityPolicy(db: DbOrTx): Promise<SecurityPolicy> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, SECURITY_POLICY_SETTING));
  return readPolicy(row?.value);
}

const CACHE_MS = 30_000;
const cache = new WeakMap<object, { at: number; policy: Promise<SecurityPolicy> }>();

/** For the check-in's hot path only: the policy read at most every 30 s per connection pool. */
export function cachedSecurityPolicy(db: DbOrTx, now = Date.now()): Promise<SecurityPolicy> {
  const hit = cache.get(db);
  if (hit && now - hit.at < CACHE_MS) return hit.policy;
  const policy = getSecurityPolicy(db);
  cache.set(db, { at: now, policy });
  return policy;
}

/** The security administrator's change of policy: audited field by field and on the security log. */
export async function updateSecurityPolicy(
  db: Database,
  actor: { userId: number },
  next: SecurityPolicy,
  origin: { address: string; userAgent: string },
): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, SECURITY_POLICY_SETTING)).for("update");
    const before = readPolicy(row?.value);
    const changedKeys = (Object.keys(next) as (keyof SecurityPolicy)[]).filter((k) => before[k] !== next[k]);
    if (!changedKeys.length) return { changed: false };
    await tx
      .insert(settings)
      .values({ key: SECURITY_POLICY_SETTING, value: next })
      .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: new Date() } });
    const pick = (p: SecurityPolicy) => Object.fromEntries(changedKeys.map((k) => [k, p[k]]));
    await audit(tx, actor, {
      action: "security.policy_changed",
      entityType: "settings",
      entityId: SECURITY_POLICY_SETTING,
      before: pick(before),
      after: pick(next),
    });
    await recordSecurityEvent(tx, {
      kind: "policy.changed",
      actorUserId: actor.userId,
      userId: actor.userId,
      address: origin.address,
      userAgent: origin.userAgent,
      details: { changed: changedKeys },
    });
    return { changed: true };
  });
}
