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
    /** When the password was last set: administrative roles must renew it after the policy's days. */
    passwordChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A one-time password (must_change_password) stops working after this; null for chosen passwords. */
    oneTimePasswordExpiresAt: timestamp({ withTimezone: true }),
    /**
     * Set only by the demo seed: the README's demo password, which the policy would refuse, never
     * expires on the demo accounts. No other path sets it (docs/decisions, MFA and roles).
     */
    demoPassword: boolean().notNull().default(false),
    /** The TOTP key (RFC 6238), sealed with the data key (AES-256-GCM); null until enrolled. */
    totpKey: text(),
    totpEnrolledAt: timestamp({ withTimezone: true }),
    /** The last 30-second step a code was accepted for: a code is never accepted twice. */
    totpLastStep: bigint({ mode: "number" }),
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
    /**
     * When the second factor was given (a code, a recovery code or a remembered device). Null: only
     * the password was, and the session opens nothing but the second-factor pages.
     */
    secondFactorAt: timestamp({ withTimezone: true }),
    /** What the user sees on their list of sign-ins. */
    userAgent: text().notNull().default(""),
    address: text().notNull().default(""),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

/**
 * Sign-in throttles: one row per counted thing (an account, a client address, a trusted device, an
 * account's second factor), updated with one atomic upsert per attempt, so concurrent attempts cannot
 * all slip under the limit. Rows expire with their window; the security log keeps the history.
 */
export const loginThrottles = pgTable(
  "login_throttles",
  {
    scope: text({ enum: ["account", "address", "device", "second_factor", "reset_account", "reset_address"] }).notNull(),
    key: text().notNull(),
    failures: integer().notNull().default(0),
    windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index().on(t.windowStartedAt)],
);

/**
 * Browsers that completed a sign-in (both factors): the cookie holds a random token, the row its
 * SHA-256. Such a browser is exempt from the per-address limit (a bureau behind one NAT keeps signing
 * in while one client there sprays guesses) and, if the user ticked it, from the second factor until
 * second_factor_until.
 */
export const loginDevices = pgTable(
  "login_devices",
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    secondFactorUntil: timestamp({ withTimezone: true }),
    userAgent: text().notNull().default(""),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

/** Ten single-use recovery codes per enrolment; only their hashes are kept. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.userId, t.codeHash)],
);

/** The hashes of an account's previous passwords, so the policy can refuse the last N. */
export const passwordHistory = pgTable(
  "password_history",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    passwordHash: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId, t.createdAt)],
);
