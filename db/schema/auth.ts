import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { grantedRoleEnum } from "./enums";
import { cadres } from "./organization";

/**
 * An account. Cadre accounts sign in with the cadre's email or staff number (kept on the cadre, never
 * copied here); accounts without a cadre (IT staff) have their own email.
 */
export const users = pgTable(
  "users",
  {
    id: id(),
    cadreId: integer()
      .unique()
      .references(() => cadres.id, { onDelete: "cascade" }),
    email: text(),
    displayName: text().notNull().default(""),
    passwordHash: text(),
    disabled: boolean().notNull().default(false),
    mustChangePassword: boolean().notNull().default(false),
    locale: text().notNull().default("zh-CN"),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_lower_unique").on(sql`lower(${t.email})`)],
);

export const userRoles = pgTable(
  "user_roles",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: grantedRoleEnum().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

/** Login sessions after Lucia's guidance: the id is the SHA-256 of the token; the token is only in the cookie. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Ends the session after inactivity; pushed forward as the user comes back. */
    idleExpiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Ends the session whatever the activity. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

/** Failed sign-ins, counted in the database so that every app server sees the same count. */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    scope: text({ enum: ["account", "address"] }).notNull(),
    key: text().notNull(),
    failedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.scope, t.key, t.failedAt)],
);
