import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "~/modules/audit/service.server";
import { generateLinkToken, revokeLinkTokens } from "~/modules/email/link-tokens.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueuePrepared, organizationName, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import type { RequestOrigin } from "~/modules/security/events.server";
import { fields } from "~/utils/forms";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import type { Database } from "~db/client";
import { accountTokens, cadres, units, users } from "~db/schema";
import { setPasswordFromLink } from "./password-reset.server";

export const INVITATION_VALID_DAYS = 7;
/** Rendering is a few milliseconds per email; this keeps one request to a few seconds. */
export const MAX_INVITATIONS_PER_REQUEST = 500;

export const InviteAccountsSchema = z.object({
  userIds: z
    .preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(fields.id()))
    .pipe(z.array(z.number()).min(1, "email.invite.noneSelected").max(MAX_INVITATIONS_PER_REQUEST, "email.invite.tooMany")),
});

export type InviteSkipReason = "not_found" | "no_email" | "already_active" | "inactive_cadre" | "closed";

export interface InvitationResult {
  invited: number[];
  skipped: { userId: number; reason: InviteSkipReason }[];
}

/**
 * Invitations replace one-time passwords as the default way into a new account: each selected account
 * gets an email with a link to set its own password, valid for a week. A newer invitation replaces an
 * older one. Accounts already open are skipped (they have "forgot password"), as are accounts without
 * an address to write to.
 */
export async function inviteAccounts(
  db: Database,
  actor: Actor,
  userIds: number[],
  options: { origin: string; now?: Date },
): Promise<InvitationResult> {
  const now = options.now ?? new Date();
  const ids = [...new Set(userIds)];
  const accounts = await db
    .select({
      id: users.id,
      disabled: users.disabled,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      locale: users.locale,
      email: sql<string | null>`coalesce(${cadres.email}, ${users.email})`,
      name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '')`,
      staffNo: cadres.staffNo,
      cadreStatus: cadres.status,
      unitName: units.name,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .leftJoin(units, eq(units.id, cadres.unitId))
    .where(inArray(users.id, ids.length ? ids : [0]));
  const byId = new Map(accounts.map((a) => [a.id, a]));

  const result: InvitationResult = { invited: [], skipped: [] };
  const expiresAt = new Date(now.getTime() + INVITATION_VALID_DAYS * 86_400_000);
  const organization = new Map<Locale, string>();
  const tokens: { id: string; userId: number }[] = [];
  const emails: PreparedEmail[] = [];
  for (const userId of ids) {
    const account = byId.get(userId);
    const reason: InviteSkipReason | null = !account
      ? "not_found"
      : account.cadreStatus && account.cadreStatus !== "active"
        ? "inactive_cadre"
        : !account.disabled && account.hasPassword
          ? "already_active"
          : account.hasPassword
            ? // Someone closed this account: an invitation must not reopen it; enabling it is its own act.
              "closed"
            : !account.email
              ? "no_email"
              : null;
    if (reason || !account) {
      result.skipped.push({ userId, reason: reason ?? "not_found" });
      continue;
    }
    const locale = toLocale(account.locale) ?? DEFAULT_LOCALE;
    if (!organization.has(locale)) organization.set(locale, await organizationName(db, locale));
    const { token, id } = generateLinkToken();
    tokens.push({ id, userId });
    emails.push(
      await prepareEmail({
        template: "invitation",
        to: account.email!,
        userId,
        idempotencyKey: `invitation/${id}`,
        props: {
          locale,
          organizationName: organization.get(locale)!,
          name: account.name,
          unitName: account.unitName ?? "",
          staffNo: account.staffNo,
          url: `${options.origin}/invite/${token}`,
          expiresAt: expiresAt.toISOString(),
          validDays: INVITATION_VALID_DAYS,
        },
      }),
    );
    result.invited.push(userId);
  }
  if (!tokens.length) return result;

  await db.transaction(async (tx) => {
    await revokeLinkTokens(tx, result.invited, ["invitation"], now);
    await tx.insert(accountTokens).values(
      tokens.map((t) => ({
        id: t.id,
        userId: t.userId,
        purpose: "invitation" as const,
        expiresAt,
        createdByUserId: actor.userId,
        createdAt: now,
      })),
    );
    await enqueuePrepared(tx, emails);
    await audit(
      tx,
      actor,
      result.invited.map((userId) => ({
        action: "account.invited",
        entityType: "user",
        entityId: userId,
        after: { expiresAt: expiresAt.toISOString() },
      })),
    );
  });
  nudgeOutbox();
  return result;
}

/** Opening an invitation: sets the password, opens the account and signs the user in. */
export function acceptInvitation(db: Database, token: string, password: string, origin: RequestOrigin, now = new Date()) {
  return setPasswordFromLink(db, { token, purpose: "invitation", password }, origin, now);
}
