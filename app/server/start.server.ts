import http from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { startJobs } from "~/modules/jobs/runner.server";
import { startupSecurityChecks } from "~/modules/security/startup.server";
import { setConnection } from "~/utils/db.server";
import { type Env, env, shouldSeedDemo } from "~/utils/env.server";
import { appOrigin } from "~/utils/origin.server";
import { openDatabase } from "~db/bootstrap";
import { seedIfEmpty } from "~db/seed";
import { createHttpHandler } from "./http.server";

/**
 * The production server (server.js calls this from the build): opens the database (DATABASE_URL, or
 * the embedded PostgreSQL), seeds the demo city where that is wanted, starts the job worker and serves
 * the app. SIGTERM and SIGINT close the server, the worker, the pool and the embedded database.
 */
export async function startServer(build: ServerBuild) {
  const config = env();
  const log = (line: string) => console.log(`[luoshi] ${line}`);
  if (config.DATABASE_URL && !config.APP_ORIGIN) {
    log(
      `Warning: APP_ORIGIN is not set. Links in emails, QR codes and calendars point to ${appOrigin()}, and pages served under any other address cannot submit forms. Set APP_ORIGIN to the address people use (https://…).`,
    );
  }

  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.LUOSHI_DATA_DIR, log });
  setConnection(database.connection);
  process.env.DATABASE_URL = database.url;

  if (shouldSeedDemo(config)) {
    const seeded = await seedIfEmpty(database.connection.db, { demoAccounts: true, log });
    if (seeded) log(seeded);
  }

  // 三员分立 on the data as it stands, and a warning where the data key shares the database.
  try {
    await startupSecurityChecks(database.connection.db, { external: Boolean(config.DATABASE_URL), log });
  } catch (error) {
    console.error(`[luoshi] ${error instanceof Error ? error.message : error}`);
    await database.close();
    process.exit(1);
  }

  // The job queue (outbox drain, schedules) runs in this process unless RUN_WORKER=false, when
  // separate `npm run luoshi -- worker` processes do the work.
  const jobs = await startJobs({ databaseUrl: database.url, log });

  const server = http.createServer(createHttpHandler({ build, db: database.connection.db, config }));
  server.listen(config.PORT, config.HOST, () => {
    log(`Ready on ${appOrigin()} (listening on ${config.HOST}:${config.PORT}) in ${Math.round(performance.now())} ms`);
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections?.();
    await closed;
    await jobs.stop();
    await database.close();
    log("stopped");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/** What the server warns about at start: a deployment on its own database without its public origin. */
export function startupWarnings(config: Pick<Env, "DATABASE_URL" | "APP_ORIGIN" | "PORT">): string[] {
  if (!config.DATABASE_URL || config.APP_ORIGIN) return [];
  return [
    `APP_ORIGIN is not set. Links in emails, QR codes and calendars point to http://localhost:${config.PORT}, and pages served under any other address cannot submit forms. Set APP_ORIGIN to the address people use (https://…).`,
  ];
}
