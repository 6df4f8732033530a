import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle; services accept either, so callers can compose them in one transaction. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Tx;

export interface Connection {
  db: Database;
  client: postgres.Sql;
  close: () => Promise<void>;
}

export function connect(url: string, options: { max?: number } = {}): Connection {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // temp_buffers: a quarter's ranking stages one row per cadre in a temporary table (about 13 MB at
    // province scale); with the default 8 MB it is written out and read back from files on every scan.
    // Allocated only in a connection that uses a temporary table, and only as far as it is used.
    connection: { TimeZone: "UTC", temp_buffers: "32MB" },
  });
  const db = drizzle({ client, schema, casing: "snake_case" });
  return { db, client, close: () => client.end({ timeout: 5 }) };
}

/** drizzle wraps driver errors; the PostgreSQL SQLSTATE is on the cause. */
export function pgErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const PG_UNIQUE_VIOLATION = "23505";
