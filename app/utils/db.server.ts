import { type Connection, connect, type Database } from "~db/client";

/**
 * One pool per process: the server opens it at start (setConnection) and every loader and action finds
 * it here. A script that never opened one gets a pool on DATABASE_URL at first use.
 */
let current: Connection | undefined;

export function setConnection(connection: Connection | undefined) {
  current = connection;
}

export function getConnection(): Connection {
  if (!current) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set and no database connection was opened");
    current = connect(url);
  }
  return current;
}

export function getDb(): Database {
  return getConnection().db;
}
