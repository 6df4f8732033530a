import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./_columns";
import { users } from "./auth";

/** A file sent with a message (an .ics invitation): base64 content, kept with the row like the body. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** Base64. */
  content: string;
}

export const OUTBOX_STATUSES = ["queued", "sending", "sent", "failed", "suppressed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The transactional outbox: a domain action that causes an email inserts its row in the same
 * transaction, so a rolled-back action sends nothing and a committed one is always either sent or
 * visibly failed. Subject, HTML and text are rendered when the row is written, so every retry sends
 * byte-for-byte the same request (which an idempotency key requires) and the admin page shows exactly
 * what went out.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** One per logical message (invitation/<token id>, digest/<unit>/<iso week>): enqueuing it twice is a no-op. */
    idempotencyKey: text().notNull().unique(),
    template: text().notNull(),
    locale: text().notNull(),
    /** Frozen with the content: a retry must repeat the first request exactly. */
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    /** The account the message is for, when there is one. */
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    props: jsonb().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    /** Sent only in single calls: the provider's batch endpoint takes no attachments. */
    attachments: jsonb().$type<EmailAttachment[]>().notNull().default([]),
    status: text({ enum: OUTBOX_STATUSES }).notNull().default("queued"),
    attempts: integer().notNull().default(0),
    /** When a queued row may next be tried; while `sending`, when the claim lapses (a crashed worker's lease). */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The Idempotency-Key of the provider call this row belongs to. Rows sent in one batch share it and
     * are always retried together, so a retry after a crash repeats the very same request.
     */
    batchKey: text(),
    lastError: text(),
    /** "resend", or "outbox" when no RESEND_API_KEY is set and the in-app outbox stands in for the mailbox. */
    transport: text({ enum: ["resend", "outbox"] }),
    providerMessageId: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("email_outbox_due").on(t.nextAttemptAt).where(sql`${t.status} in ('queued', 'sending')`),
    index().on(t.batchKey),
    index().on(t.createdAt),
    index("email_outbox_to_lower").on(sql`lower(${t.toAddress})`),
    index().on(t.providerMessageId),
  ],
);

export const SUPPRESSION_REASONS = ["bounced", "complained"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Addresses the provider told us not to write to again (hard bounce, spam complaint). */
export const emailSuppressions = pgTable("email_suppressions", {
  /** Lower-cased. */
  address: text().primaryKey(),
  reason: text({ enum: SUPPRESSION_REASONS }).notNull(),
  detail: text(),
  providerMessageId: text(),
  createdAt: createdAt(),
});
