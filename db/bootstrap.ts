import path from "node:path";
import { type Connection, connect } from "./client";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "./embedded";
import { runMigrations } from "./migrate";

export interface OpenedDatabase {
  url: string;
  connection: Connection;
  embedded: EmbeddedDatabase | null;
  /** Closes the pool, then stops the embedded server if we started one. */
  close: () => Promise<void>;
}

/**
 * The one way the app, the CLI and the worker get a database: DATABASE_URL when set, otherwise an
 * embedded PostgreSQL whose files live in dataDir. Either way, migrations are applied before use.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  log?: (line: string) => void;
  poolSize?: number;
}): Promise<OpenedDatabase> {
  const log = options.log ?? (() => {});
  let embedded: EmbeddedDatabase | null = null;
  let url = options.databaseUrl;
  if (!url) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({ dataDir: path.resolve(options.dataDir), log });
    url = embedded.url();
    log(`Embedded PostgreSQL on port ${embedded.port} (${embedded.dataDir}) in ${Date.now() - started} ms`);
  }
  try {
    await runMigrations(url);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const connection = connect(url, { max: options.poolSize });
  return {
    url,
    connection,
    embedded,
    close: async () => {
      await connection.close();
      await embedded?.stop();
    },
  };
}
