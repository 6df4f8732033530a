import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./auth";

/**
 * The columns that make a log tamper-evident: rows are sealed in commit order into a chain, each
 * carrying the hash of the one before (see app/modules/audit/chain.server.ts and docs/decisions).
 * Null until sealed, which happens right after the inserting transaction commits.
 */
const chainColumns = () => ({
  /** Position in the chain; gaps mean a row was removed. */
  chainSeq: bigint({ mode: "number" }),
  prevHash: text(),
  /** "<algorithm>:<hex>", e.g. "sha256:…" or "sm3:…": the algorithm is configuration. */
  hash: text(),
});

/**
 * Who changed what. Rows are only ever inserted: a trigger (migration 0001) refuses UPDATE, DELETE
 * and TRUNCATE, so not even a bug in the app can rewrite history; the only update allowed is sealing
 * a row into the hash chain, once.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer().references(() => users.id),
    /** Who acted when there is no user: "cli", "system", "seed". */
    actorLabel: text(),
    /** The actor as they were when they acted: name, granted and derived roles, units they headed. */
    actorName: text(),
    actorRoles: text().array(),
    actorUnits: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    reason: text(),
    ...chainColumns(),
  },
  (t) => [
    index().on(t.at),
    index().on(t.entityType, t.entityId),
    index().on(t.actorUserId),
    index().on(t.action),
    uniqueIndex().on(t.chainSeq),
  ],
);

export const SECURITY_EVENT_KINDS = [
  "sign_in.succeeded",
  "sign_in.failed",
  "sign_out",
  "account.locked",
  "account.unlocked",
  "second_factor.enrolled",
  "second_factor.verified",
  "second_factor.failed",
  "second_factor.recovery_code_used",
  "second_factor.recovery_codes_renewed",
  "second_factor.reset",
  "second_factor.disabled",
  "password.changed",
  "password.reset",
  "password.expired",
  "password.refused",
  "role.granted",
  "role.revoked",
  "session.ended",
  "policy.changed",
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/**
 * The security log (等保 安全审计): sign-ins and their failures, lockouts, second factors, passwords,
 * role grants, ended sessions and policy changes. Append-only like the audit log, hash-chained too,
 * and kept for the policy's retention (never below 180 days); only the nightly prune deletes, and only
 * rows older than that.
 */
export const securityEvents = pgTable(
  "security_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    kind: text({ enum: SECURITY_EVENT_KINDS }).notNull(),
    /** The account concerned (no foreign key: the log outlives accounts). */
    userId: integer(),
    /** Who did it when it is not the account itself (a security admin ending sessions). */
    actorUserId: integer(),
    /** The name or number as typed at sign-in, for failures against unknown accounts. */
    identifier: text(),
    address: text(),
    userAgent: text(),
    /** Why it failed, or what ended: "wrong_password", "locked", "idle_timeout", … */
    reason: text(),
    details: jsonb(),
    ...chainColumns(),
  },
  (t) => [index().on(t.at), index().on(t.userId, t.at), index().on(t.kind, t.at), uniqueIndex().on(t.chainSeq)],
);

/**
 * Where a pruned chain now starts: the nightly prune of the security log records the last removed
 * row's position and hash, so a verifier can tell a prune from a deletion.
 */
export const logChainAnchors = pgTable("log_chain_anchors", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  log: text({ enum: ["audit_log", "security_events"] }).notNull(),
  uptoSeq: bigint({ mode: "number" }).notNull(),
  lastHash: text().notNull(),
  removedRows: integer().notNull(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
