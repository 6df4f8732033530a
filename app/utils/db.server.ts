import { type Connection, connect, type Database } from "~db/client";

/**
 * One pool per process. The server (run by tsx) and the Remix build each load their own copy of this
 * module, so the connection lives on globalThis where both find it.
 */
const KEY = Symbol.for("luoshi.db");
type Holder = { [KEY]?: Connection };

export function setConnection(connection: Connection | undefined) {
  (globalThis as Holder)[KEY] = connection;
}

export function getConnection(): Connection {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set and no database connection was opened");
    holder[KEY] = connect(url);
  }
  return holder[KEY];
}

export function getDb(): Database {
  return getConnection().db;
}
