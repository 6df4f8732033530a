import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./_columns";
import { users } from "./auth";

export const ACCOUNT_TOKEN_PURPOSES = ["invitation", "password_reset"] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * Single-use links sent by email (invitation to set a password, password reset). As with sessions, the
 * random token is only in the link; the id is its SHA-256, so a leaked table opens no account.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text({ enum: ACCOUNT_TOKEN_PURPOSES }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    /** Set when a newer link of the same purpose replaces this one, or the account is closed. */
    revokedAt: timestamp({ withTimezone: true }),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId, t.purpose), index().on(t.expiresAt)],
);
