import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { setConnection } from "~/utils/db.server";
import { type Connection, connect } from "~db/client";

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh, migrated database of this file's own, cloned from the template, and made the app's
 * connection (getDb()) for the routes under test. Dropped after the file's tests.
 */
export async function testDatabase(): Promise<Connection & { url: string }> {
  const adminUrl = inject("pgAdminUrl");
  const template = inject("pgTemplate");
  const templatePid = template.split("_").pop();
  const name = `t_${templatePid}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const connection = connect(url, { max: 5 });
  setConnection(connection);
  afterAll(async () => {
    setConnection(undefined);
    await connection.close();
    const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await drop.unsafe(`drop database if exists ${name} with (force)`);
    await drop.end();
  });
  return { ...connection, url };
}
