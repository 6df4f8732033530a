import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";

/**
 * Who changed what. Rows are only ever inserted: a trigger (migration 0001) refuses UPDATE, DELETE
 * and TRUNCATE, so not even a bug in the app can rewrite history.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer().references(() => users.id),
    /** Who acted when there is no user: "cli", "system", "seed". */
    actorLabel: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    reason: text(),
  },
  (t) => [index().on(t.at), index().on(t.entityType, t.entityId), index().on(t.actorUserId)],
);
