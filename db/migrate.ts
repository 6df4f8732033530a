import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/**
 * db/migrations, seen from this file as it runs: from the source (db/migrate.ts, under tsx and the
 * tests) or compiled into the server build (build/index.js).
 */
export const MIGRATIONS_FOLDER =
  ["./migrations", "../db/migrations"]
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((folder) => existsSync(`${folder}/meta/_journal.json`)) ?? fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Applies pending migrations. An advisory lock on a single connection makes several app servers
 * starting at once take turns instead of racing on the same DDL.
 */
export async function runMigrations(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(hashtext('luoshi:migrate'))`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(hashtext('luoshi:migrate'))`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
