import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { bytea, createdAt, id } from "./_columns";
import { users } from "./auth";

/**
 * An uploaded spreadsheet between preview and confirmation. The file itself is kept (import_files), and
 * confirming reads it again with the sheet and header row the preview used, so that it applies exactly
 * what was previewed without the rows being held anywhere; a second confirmation finds it applied.
 */
export const importBatches = pgTable(
  "import_batches",
  {
    id: id(),
    kind: text().notNull(),
    fileName: text().notNull(),
    fileHash: text().notNull(),
    status: text({ enum: ["previewed", "applied", "discarded"] })
      .notNull()
      .default("previewed"),
    summary: jsonb().notNull(),
    fileBytes: integer().notNull().default(0),
    /** Rows written so far while applying, for the progress bar (updated outside the applying transaction). */
    processedRows: integer().notNull().default(0),
    totalRows: integer().notNull().default(0),
    createdByUserId: integer().references(() => users.id),
    createdAt: createdAt(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.createdAt)],
);

/** An uploaded file, in pieces of a megabyte: written and read back as a stream, never whole in memory. */
export const importFiles = pgTable(
  "import_files",
  {
    batchId: integer()
      .notNull()
      .references(() => importBatches.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.seq] })],
);
