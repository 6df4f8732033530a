import { and, eq } from "drizzle-orm";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { cadres, userRoles, users } from "~db/schema";

export interface EmailRecipient {
  userId: number;
  email: string;
  name: string;
  locale: Locale;
}

/**
 * The organization department's enabled accounts that have an address (the account's, else its
 * cadre's), each with their name and language: who hears of a publication.
 */
export async function orgAdminRecipients(db: DbOrTx): Promise<EmailRecipient[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      cadreEmail: cadres.email,
      name: users.displayName,
      cadreName: cadres.name,
      locale: users.locale,
    })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(and(eq(userRoles.role, "org_admin"), eq(users.disabled, false)));
  return rows
    .map((r) => ({
      userId: r.userId,
      email: r.email ?? r.cadreEmail,
      name: r.cadreName ?? r.name,
      locale: toLocale(r.locale) ?? DEFAULT_LOCALE,
    }))
    .filter((r): r is EmailRecipient => Boolean(r.email));
}
