import { randomUUID } from "node:crypto";
import { and, desc, eq, gte, ilike, lt, type SQL, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { env } from "~/utils/env.server";
import { invalid, notFound } from "~/utils/errors";
import { DEFAULT_LOCALE, type Locale, toLocale, translator } from "~/utils/i18n";
import { escapeLike } from "~/utils/sql.server";
import { singleLine } from "~/utils/text";
import type { Database, DbOrTx } from "~db/client";
import { type EmailAttachment, emailOutbox, emailSuppressions, type OutboxStatus, settings } from "~db/schema";
import { EMAIL_TEMPLATE_NAMES, type EmailTemplateName, type EmailTemplateProps } from "~emails/index";
import { nudgeOutbox } from "./nudge.server";
import { renderEmail } from "./render.server";

export interface EmailToQueue<N extends EmailTemplateName = EmailTemplateName> {
  template: N;
  props: EmailTemplateProps<N>;
  to: string;
  /** Unique per logical message: enqueuing the same key again does nothing. */
  idempotencyKey: string;
  userId?: number | null;
  /** Defaults to EMAIL_FROM. */
  from?: string;
  attachments?: EmailAttachment[];
}

export interface PreparedEmail {
  template: EmailTemplateName;
  props: object;
  locale: Locale;
  from: string;
  to: string;
  idempotencyKey: string;
  userId: number | null;
  subject: string;
  html: string;
  text: string;
  attachments: EmailAttachment[];
}

/**
 * Renders a message ahead of the transaction that queues it, so the transaction holds its locks only
 * for the inserts (rendering hundreds of invitations takes seconds).
 */
export async function prepareEmail<N extends EmailTemplateName>(email: EmailToQueue<N>): Promise<PreparedEmail> {
  const rendered = await renderEmail(email.template, email.props);
  const locale = toLocale((email.props as { locale?: string }).locale) ?? DEFAULT_LOCALE;
  return {
    template: email.template,
    props: email.props as object,
    locale,
    from: email.from ?? env().EMAIL_FROM,
    to: email.to.trim(),
    idempotencyKey: email.idempotencyKey,
    userId: email.userId ?? null,
    ...rendered,
    attachments: email.attachments ?? [],
  };
}

/**
 * Writes outbox rows; call it with the transaction of the action that causes the email, so that the
 * email exists exactly when the action does. Returns the keys that were new (the rest already existed).
 */
export async function enqueuePrepared(db: DbOrTx, emails: PreparedEmail[]): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < emails.length; i += 500) {
    const rows = await db
      .insert(emailOutbox)
      .values(
        emails.slice(i, i + 500).map((e) => ({
          idempotencyKey: e.idempotencyKey,
          template: e.template,
          locale: e.locale,
          fromAddress: e.from,
          toAddress: e.to,
          userId: e.userId,
          props: e.props,
          // A header: a CR or LF from a title must not reach it.
          subject: singleLine(e.subject),
          html: e.html,
          text: e.text,
          // Tests and older callers build PreparedEmail by hand; no attachments then.
          attachments: e.attachments ?? [],
        })),
      )
      .onConflictDoNothing({ target: emailOutbox.idempotencyKey })
      .returning({ key: emailOutbox.idempotencyKey });
    created.push(...rows.map((r) => r.key));
  }
  return created;
}

/** Render and queue one message in the caller's transaction. */
export async function enqueueEmail<N extends EmailTemplateName>(db: DbOrTx, email: EmailToQueue<N>): Promise<boolean> {
  const created = await enqueuePrepared(db, [await prepareEmail(email)]);
  return created.length > 0;
}

/** The sender named in every email's header: the setting when the organization has set it. */
export async function organizationName(db: DbOrTx, locale: Locale): Promise<string> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, "organization.name"));
  const value = row?.value;
  return typeof value === "string" && value.trim() ? value.trim() : translator(locale)("email.layout.defaultOrganization");
}

export function outboxTemplateNames(): string[] {
  return [...EMAIL_TEMPLATE_NAMES];
}

export interface OutboxFilter {
  status?: OutboxStatus;
  template?: string;
  recipient?: string;
  from?: Date;
  to?: Date;
}

export const OUTBOX_PAGE_SIZE = 50;

export async function listOutbox(db: DbOrTx, filter: OutboxFilter, page = 1) {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(emailOutbox.status, filter.status));
  if (filter.template) where.push(eq(emailOutbox.template, filter.template));
  if (filter.recipient) where.push(ilike(emailOutbox.toAddress, `%${escapeLike(filter.recipient)}%`));
  if (filter.from) where.push(gte(emailOutbox.createdAt, filter.from));
  if (filter.to) where.push(lt(emailOutbox.createdAt, filter.to));
  const rows = await db
    .select({
      id: emailOutbox.id,
      createdAt: emailOutbox.createdAt,
      template: emailOutbox.template,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      transport: emailOutbox.transport,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(emailOutbox.id))
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
  return { rows: rows.slice(0, OUTBOX_PAGE_SIZE), hasMore: rows.length > OUTBOX_PAGE_SIZE };
}

export async function getOutboxMessage(db: DbOrTx, id: number) {
  const [message] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!message) throw notFound();
  const [suppression] = await db.select().from(emailSuppressions).where(eq(emailSuppressions.address, message.toAddress.toLowerCase()));
  return { message, suppression: suppression ?? null };
}

/** Only the rendered HTML, for the sandboxed preview frame. */
export async function getOutboxHtml(db: DbOrTx, id: number): Promise<string> {
  const [row] = await db.select({ html: emailOutbox.html }).from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!row) throw notFound();
  return row.html;
}

/**
 * Queues a failed or skipped message again, as a fresh series of attempts. It goes alone, under its own
 * idempotency key: if an earlier attempt did reach the provider under that key (a timeout, a 5xx), the
 * provider answers with the earlier result instead of sending twice. A message the provider accepted
 * and the mailbox then bounced is a deliberate resend, so it gets a new key.
 */
export async function retryOutboxMessage(db: Database, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        status: emailOutbox.status,
        lastError: emailOutbox.lastError,
        attempts: emailOutbox.attempts,
        key: emailOutbox.idempotencyKey,
        providerMessageId: emailOutbox.providerMessageId,
      })
      .from(emailOutbox)
      .where(eq(emailOutbox.id, id))
      .for("update");
    if (!row) throw notFound();
    if (row.status !== "failed" && row.status !== "suppressed") throw invalid("email.outbox.cannotRetry", "form");
    await tx
      .update(emailOutbox)
      .set({
        status: "queued",
        attempts: 0,
        nextAttemptAt: new Date(),
        lastError: null,
        batchKey: row.providerMessageId ? `${row.key}/resend/${randomUUID()}` : row.key,
      })
      .where(eq(emailOutbox.id, id));
    await audit(tx, actor, {
      action: "email.retry",
      entityType: "email_outbox",
      entityId: id,
      before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
      after: { status: "queued" },
    });
  });
  nudgeOutbox();
}

/** Lets the outbox write to an address again (the recipient fixed their mailbox). */
export async function liftSuppression(db: Database, actor: Actor, address: string): Promise<void> {
  const normalised = address.trim().toLowerCase();
  await db.transaction(async (tx) => {
    const [removed] = await tx.delete(emailSuppressions).where(eq(emailSuppressions.address, normalised)).returning();
    if (!removed) throw notFound();
    await audit(tx, actor, {
      action: "email.suppression_lifted",
      entityType: "email_address",
      entityId: normalised,
      before: { reason: removed.reason, detail: removed.detail },
    });
  });
}

/** Counts by status, for the top of the outbox page. */
export async function outboxCounts(db: DbOrTx) {
  const rows = await db.select({ status: emailOutbox.status, n: sql<number>`count(*)::int` }).from(emailOutbox).groupBy(emailOutbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<OutboxStatus, number>>;
}
