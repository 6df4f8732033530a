import { customType, integer, timestamp } from "drizzle-orm/pg-core";

/** Integer identity keys: compact, fast to join at province scale; scope checks (not secrecy of ids) protect access. */
export const id = () => integer().primaryKey().generatedAlwaysAsIdentity();

export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** Bytes kept in PostgreSQL (evidence files, uploaded spreadsheets), so app servers stay stateless. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
