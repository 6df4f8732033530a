import { dictionary } from "@zxcvbn-ts/language-common";
import { desc, eq, sql } from "drizzle-orm";
import type { SecurityPolicy } from "~/modules/security/policy";
import type { FormMessage } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, passwordHistory, users } from "~db/schema";
import { verifyPassword } from "./password.server";
import { type PasswordOwner, passwordProblems } from "./password-policy";

/**
 * The common-password list: the ~49,000 most common passwords that zxcvbn-ts ships and maintains
 * (@zxcvbn-ts/language-common), lower-cased, loaded once.
 */
let common: Set<string> | undefined;
export function isCommonPassword(lowerCased: string): boolean {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common.has(lowerCased);
}

export async function passwordOwner(db: DbOrTx, userId: number): Promise<PasswordOwner> {
  const [row] = await db
    .select({
      staffNo: cadres.staffNo,
      email: sql<string | null>`coalesce(${cadres.email}, ${users.email})`,
      name: sql<string | null>`coalesce(${cadres.name}, nullif(${users.displayName}, ''))`,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(eq(users.id, userId));
  return row ?? {};
}

/**
 * Every reason the policy refuses a new password for this account, including reuse of one of the last
 * N (checked against the stored argon2 hashes: slow by design, at most 24).
 */
export async function newPasswordProblems(
  db: DbOrTx,
  userId: number,
  password: string,
  policy: SecurityPolicy,
  currentHash: string | null,
): Promise<FormMessage[]> {
  const problems = passwordProblems(password, policy, await passwordOwner(db, userId), isCommonPassword);
  if (policy.passwordHistory > 0) {
    const previous = await db
      .select({ hash: passwordHistory.passwordHash })
      .from(passwordHistory)
      .where(eq(passwordHistory.userId, userId))
      .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
      .limit(policy.passwordHistory);
    const hashes = [currentHash, ...previous.map((p) => p.hash)].filter((h): h is string => Boolean(h)).slice(0, policy.passwordHistory);
    for (const hash of hashes) {
      if (await verifyPassword(hash, password)) {
        problems.push({ key: "auth.policy.reused", params: { count: policy.passwordHistory } });
        break;
      }
    }
  }
  return problems;
}

/** Keeps the hash being replaced, and only as many as the longest history the policy allows. */
export async function rememberPreviousPassword(db: DbOrTx, userId: number, previousHash: string | null, now = new Date()) {
  if (!previousHash) return;
  await db.insert(passwordHistory).values({ userId, passwordHash: previousHash, createdAt: now });
  await db.execute(sql`
    delete from password_history where user_id = ${userId} and id not in (
      select id from password_history where user_id = ${userId} order by created_at desc, id desc limit 24)`);
}
