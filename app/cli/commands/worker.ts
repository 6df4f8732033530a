import { drainOutbox } from "~/modules/email/delivery.server";
import { startJobs } from "~/modules/jobs/runner.server";
import { env } from "~/utils/env.server";
import { openDatabase } from "~db/bootstrap";
import type { CliCommand } from "../context";

/**
 * `worker`: runs the job worker on its own until SIGINT/SIGTERM, so that app servers can set
 * RUN_WORKER=false and share one or more separate workers. `worker --drain-once` sends what is due in
 * the email outbox and exits (for cron-less set-ups and for the crash test).
 */
const run: CliCommand = async (args, ctx) => {
  if (args.includes("--drain-once")) {
    const report = await drainOutbox(ctx.db);
    ctx.out(JSON.stringify(report));
    return 0;
  }
  if (args.length) {
    ctx.err("Usage: npm run luoshi -- worker [--drain-once]");
    return 2;
  }
  // The dispatcher's connection does not carry its URL; opening again shares the same server (and
  // the same embedded PostgreSQL, if that is what is running) and hands pg-boss a connection string.
  const config = env();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.LUOSHI_DATA_DIR, poolSize: 1 });
  const jobs = await startJobs({ databaseUrl: database.url, log: ctx.err, runWorker: true });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  ctx.err("Stopping the worker…");
  await jobs.stop();
  await database.close();
  return 0;
};

export default run;
