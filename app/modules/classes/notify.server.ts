import { eq, inArray } from "drizzle-orm";
import { enqueuePrepared, organizationName, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { DEFAULT_LOCALE, type Locale, toLocale } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { cadres, type EmailAttachment, users } from "~db/schema";
import type { ClassSessionSummary } from "~emails/class-details";
import type { EmailTemplateName, EmailTemplateProps } from "~emails/index";
import type { ClassSessionRow } from "./sessions.server";

/**
 * Night-class emails, always queued in the transaction of the event that causes them (the outbox
 * pattern), each under an idempotency key naming that event, so a retried job or request sends once.
 */

export interface Recipient {
  cadreId: number;
  userId: number | null;
  name: string;
  email: string;
  locale: Locale;
}

/** Cadres with an address to write to; the rest are left out (they see everything on their page). */
export async function recipients(db: DbOrTx, cadreIds: number[]): Promise<Map<number, Recipient>> {
  const out = new Map<number, Recipient>();
  const ids = [...new Set(cadreIds)];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .select({ cadreId: cadres.id, name: cadres.name, email: cadres.email, userId: users.id, locale: users.locale })
      .from(cadres)
      .leftJoin(users, eq(users.cadreId, cadres.id))
      .where(inArray(cadres.id, ids.slice(i, i + 1000)));
    for (const r of rows) {
      if (!r.email) continue;
      out.set(r.cadreId, {
        cadreId: r.cadreId,
        userId: r.userId,
        name: r.name,
        email: r.email,
        locale: toLocale(r.locale) ?? DEFAULT_LOCALE,
      });
    }
  }
  return out;
}

export function sessionLinks(origin: string, code: string) {
  return {
    sessionUrl: `${origin}/classes/${encodeURIComponent(code)}`,
    icsUrl: `${origin}/classes/ics/${encodeURIComponent(code)}.ics`,
    classesUrl: `${origin}/classes`,
  };
}

export function sessionSummary(
  session: Pick<
    ClassSessionRow,
    "code" | "title" | "lecturer" | "lecturerAffiliation" | "startsAt" | "endsAt" | "trainingHours" | "liveUrl"
  >,
  venue: { name: string; address: string } | null,
): ClassSessionSummary {
  return {
    code: session.code,
    title: session.title,
    lecturer: session.lecturer,
    lecturerAffiliation: session.lecturerAffiliation,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    trainingHours: session.trainingHours,
    venue: venue ? { name: venue.name, address: venue.address } : null,
    liveUrl: session.liveUrl,
  };
}

type PropsWithoutBase<N extends EmailTemplateName> = Omit<EmailTemplateProps<N>, "locale" | "organizationName" | "name">;

export interface ClassEmailItem<N extends EmailTemplateName> {
  recipient: Recipient;
  key: string;
  props: PropsWithoutBase<N>;
  attachments?: EmailAttachment[];
}

/** Renders one message per recipient, in their own language; writes nothing. */
export async function prepareClassEmails<N extends EmailTemplateName>(
  db: DbOrTx,
  template: N,
  items: ClassEmailItem<N>[],
): Promise<PreparedEmail[]> {
  const orgNames = new Map<Locale, string>();
  const prepared: PreparedEmail[] = [];
  for (const item of items) {
    const locale = item.recipient.locale;
    if (!orgNames.has(locale)) orgNames.set(locale, await organizationName(db, locale));
    const props = {
      ...item.props,
      locale,
      organizationName: orgNames.get(locale)!,
      name: item.recipient.name,
    } as unknown as EmailTemplateProps<N>;
    prepared.push(
      await prepareEmail({
        template,
        props,
        to: item.recipient.email,
        idempotencyKey: item.key,
        userId: item.recipient.userId,
        attachments: item.attachments,
      }),
    );
  }
  return prepared;
}

/**
 * Renders and queues, inside the caller's transaction. These events touch a handful of cadres; the one
 * that touches everyone (a cancellation) renders ahead of its transaction and queues what it prepared.
 */
export async function queueClassEmails<N extends EmailTemplateName>(db: DbOrTx, template: N, items: ClassEmailItem<N>[]): Promise<number> {
  if (!items.length) return 0;
  return (await enqueuePrepared(db, await prepareClassEmails(db, template, items))).length;
}
