import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { users } from "./auth";

/**
 * An uploaded spreadsheet between preview and confirmation. The parsed rows are kept so that
 * confirming applies exactly what was previewed, and a second confirmation finds it already applied.
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
    rows: jsonb().notNull(),
    summary: jsonb().notNull(),
    /** Rows written so far while applying, for the progress bar (updated outside the applying transaction). */
    processedRows: integer().notNull().default(0),
    totalRows: integer().notNull().default(0),
    createdByUserId: integer().references(() => users.id),
    createdAt: createdAt(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.createdAt)],
);
