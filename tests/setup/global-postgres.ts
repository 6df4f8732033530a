import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";

/**
 * One throw-away PostgreSQL for the integration run (or DATABASE_URL's server, if set), with a migrated
 * template database; every test file clones its own database from it, so tests never share rows and
 * never touch the dev data in .data/.
 */
export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop = async () => {};
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    // Under the system temp dir: the 'postgres' user must be able to reach it even when the
    // checkout lives in a mode-700 home directory.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-test-pg-"));
    await fs.chmod(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
    adminUrl = pg.url("postgres");
    stop = async () => {
      await pg.stop();
      await fs.rm(dir, { recursive: true, force: true });
    };
  }
  const template = `luoshi_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  await runMigrations(withDatabase(adminUrl, template));
  await admin.end();
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);
  return async () => {
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const leftovers = await cleanup<
      { datname: string }[]
    >`select datname from pg_database where datname like ${`t_${process.pid}_%`} or datname = ${template}`;
    for (const { datname } of leftovers) await cleanup.unsafe(`drop database if exists ${datname} with (force)`);
    await cleanup.end();
    await stop();
  };
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}
