import { sql } from "drizzle-orm";
import { check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { bytea, createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { importBatches } from "./imports";
import { cadres } from "./organization";

/** The eight kinds of frontline work (DESIGN.md "Frontline experience"). */
export const FRONTLINE_CATEGORIES = [
  "supervision",
  "stability",
  "petition",
  "pairing",
  "investment",
  "major_project",
  "sinking_service",
  "field_research",
] as const;
export type FrontlineCategory = (typeof FRONTLINE_CATEGORIES)[number];

/** The six kinds the Lanzhou rule asks of promotion candidates; sinking service and field research do not qualify. */
export const QUALIFYING_CATEGORIES = [
  "supervision",
  "stability",
  "petition",
  "pairing",
  "investment",
  "major_project",
] as const satisfies readonly FrontlineCategory[];

export const FRONTLINE_STATUSES = ["draft", "submitted", "verified", "returned"] as const;
export type FrontlineStatus = (typeof FRONTLINE_STATUSES)[number];

export const frontlineCategoryEnum = pgEnum("frontline_category", FRONTLINE_CATEGORIES);
export const frontlineStatusEnum = pgEnum("frontline_status", FRONTLINE_STATUSES);

/** A record longer than this is a typing mistake (2025 for 2026), not a posting. */
export const MAX_RECORD_DAYS = 366;

/**
 * One stretch of frontline work by one cadre. Dates are calendar days in Asia/Shanghai, both ends
 * included. Day counts are the union of a cadre's intervals, computed when asked (days.sql.server.ts),
 * so no count is stored that could drift from the records.
 */
export const frontlineRecords = pgTable(
  "frontline_records",
  {
    id: id(),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    category: frontlineCategoryEnum().notNull(),
    place: text().notNull(),
    startDate: date({ mode: "string" }).notNull(),
    endDate: date({ mode: "string" }).notNull(),
    /** What was done. */
    summary: text().notNull(),
    /** Which problem was solved. */
    outcome: text().notNull().default(""),
    evidence: text().notNull().default(""),
    links: text().array().notNull().default(sql`'{}'::text[]`),
    status: frontlineStatusEnum().notNull().default("draft"),
    /**
     * Bumped by every change of content or state: an edit form sent against an older revision is
     * refused, and each verification or return gets its own email idempotency key.
     */
    revision: integer().notNull().default(1),
    source: text({ enum: ["app", "import"] })
      .notNull()
      .default("app"),
    importBatchId: integer().references(() => importBatches.id, { onDelete: "set null" }),
    /** Who typed it in: the cadre, a liaison on their behalf, or whoever imported the ledger. */
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    submittedAt: timestamp({ withTimezone: true }),
    submittedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    verifiedAt: timestamp({ withTimezone: true }),
    verifiedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    returnedAt: timestamp({ withTimezone: true }),
    returnedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    /** The last return's comment; kept after resubmission so the verifier sees what was asked. */
    returnComment: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.cadreId, t.startDate),
    // Verified records per cadre in start order, with their end: a quarter's frontline days per cadre
    // (rankings) read this index alone, already in the order the running count of days needs.
    index().on(t.status, t.cadreId, t.startDate, t.endDate),
    index().on(t.importBatchId),
    /**
     * The natural key of a record: re-importing a ledger, or sending the same form twice, finds the
     * record already there instead of adding a second that would only overlap the first.
     */
    uniqueIndex("frontline_records_natural_key").on(t.cadreId, t.category, t.startDate, t.endDate, t.place),
    check("frontline_records_dates", sql`${t.startDate} <= ${t.endDate}`),
    check("frontline_records_length", sql`${t.endDate} - ${t.startDate} < ${sql.raw(String(MAX_RECORD_DAYS))}`),
  ],
);

/**
 * Evidence files (photos, scanned sign-in sheets, PDFs), kept in PostgreSQL so that app servers stay
 * stateless and a backup holds the evidence with the record. Size and type are limited on upload.
 */
export const frontlineAttachments = pgTable(
  "frontline_attachments",
  {
    id: id(),
    recordId: integer()
      .notNull()
      .references(() => frontlineRecords.id, { onDelete: "cascade" }),
    fileName: text().notNull(),
    contentType: text().notNull(),
    byteSize: integer().notNull(),
    sha256: text().notNull(),
    data: bytea().notNull(),
    uploadedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  // The same file uploaded twice (a double tap on a slow phone) is stored once.
  (t) => [uniqueIndex().on(t.recordId, t.sha256)],
);
