import { eq, sql } from "drizzle-orm";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueuePrepared, organizationName, prepareEmail } from "~/modules/email/outbox.server";
import { DEFAULT_LOCALE, toLocale } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { cadres, users } from "~db/schema";
import type { SecurityNoticeEmailProps } from "~emails/security-notice";

/**
 * Tells an account's owner, by email through the outbox, that something happened to their account
 * that they may not have done themselves: a lockout, a reset of their second factor, sessions ended.
 * Queued in the caller's transaction; an account without an address is not told (nothing to write to).
 */
export async function queueSecurityNotice(
  db: DbOrTx,
  userId: number,
  notice: Omit<SecurityNoticeEmailProps, "locale" | "organizationName" | "name">,
  idempotencyKey: string,
): Promise<boolean> {
  const [account] = await db
    .select({
      email: sql<string | null>`coalesce(${cadres.email}, ${users.email})`,
      name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '')`,
      locale: users.locale,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(eq(users.id, userId));
  if (!account?.email) return false;
  const locale = toLocale(account.locale) ?? DEFAULT_LOCALE;
  const email = await prepareEmail({
    template: "security-notice",
    to: account.email,
    userId,
    idempotencyKey: `security-notice/${idempotencyKey}`,
    props: { ...notice, locale, organizationName: await organizationName(db, locale), name: account.name },
  });
  await enqueuePrepared(db, [email]);
  nudgeOutbox();
  return true;
}
