import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";

/** Organization-wide settings (quotas, thresholds, secrets generated on first start). */
export const settings = pgTable("settings", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: updatedAt(),
});
