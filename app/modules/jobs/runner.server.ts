import PgBoss from "pg-boss";
import { autoCloseSessions } from "~/modules/attendance/closing/auto-close.server";
import { startLogSealer } from "~/modules/audit/sealer.server";
import { followRosterChanges, sendClassReminders } from "~/modules/classes/jobs.server";
import { weeklyDigestJob } from "~/modules/digest/send.server";
import { drainOutbox, outboxHasDueMessages } from "~/modules/email/delivery.server";
import { setOutboxNudge } from "~/modules/email/nudge.server";
import { erasePhones, flagRecentBursts, remindFollowUps } from "~/modules/ratings/follow-up.server";
import { env } from "~/utils/env.server";
import { errorSummary } from "~/utils/log.server";
import { connect } from "~db/client";
import { nightlyCleanup } from "./cleanup.server";
import { JOB_TIME_ZONE, QUEUE_OPTIONS, QUEUES, SCHEDULES } from "./schedules";

export interface JobsHandle {
  stop(): Promise<void>;
}

/**
 * Starts the job queue (pg-boss, in PostgreSQL). With the worker on (RUN_WORKER, the default) this
 * process also runs jobs and keeps the schedules; with it off it only queues jobs, for workers started
 * with `npm run luoshi -- worker`. Any number of processes may do either: pg-boss hands each job to one
 * worker, and the stately queues keep one drain at a time.
 */
export async function startJobs(options: {
  databaseUrl: string;
  log?: (line: string) => void;
  /** Defaults to RUN_WORKER. */
  runWorker?: boolean;
}): Promise<JobsHandle> {
  const config = env();
  const log = options.log ?? (() => {});
  const runWorker = options.runWorker ?? config.RUN_WORKER;
  const connection = connect(options.databaseUrl, { max: 3 });
  const db = connection.db;

  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    max: 4,
    application_name: "luoshi-jobs",
    // Only workers keep the clock and the maintenance of pg-boss's own tables.
    schedule: runWorker,
    supervise: runWorker,
  });
  boss.on("error", (error) => log(`jobs: ${errorSummary(error)}`));
  await boss.start();
  for (const [name, queueOptions] of Object.entries(QUEUE_OPTIONS)) await boss.createQueue(name, { name, ...queueOptions });

  const drainSoon = () =>
    boss.send(QUEUES.emailDrain, {}).catch((error: unknown) => log(`jobs: could not queue the email drain: ${errorSummary(error)}`));

  let ticker: NodeJS.Timeout | undefined;
  if (runWorker) {
    const wanted = new Set(SCHEDULES.map((s) => s.queue as string));
    for (const stale of await boss.getSchedules()) if (!wanted.has(stale.name)) await boss.unschedule(stale.name);
    for (const s of SCHEDULES) await boss.schedule(s.queue, s.cron, {}, { tz: JOB_TIME_ZONE });

    await boss.work(QUEUES.emailDrain, { pollingIntervalSeconds: 1 }, async () => {
      const report = await drainOutbox(db);
      if (report.calls || report.suppressed) {
        log(`email: ${report.sent} sent, ${report.failed} failed, ${report.retried} to retry, ${report.suppressed} suppressed`);
      }
      return report;
    });
    await boss.work(QUEUES.nightlyCleanup, { pollingIntervalSeconds: 30 }, async () => {
      const result = await nightlyCleanup(db);
      log(`clean-up: ${JSON.stringify(result)}`);
      return result;
    });
    await boss.work(QUEUES.attendanceAutoClose, { pollingIntervalSeconds: 30 }, async () => {
      const result = await autoCloseSessions(db);
      if (result.closed.length || result.failed.length || result.warnings.raised) log(`attendance: ${JSON.stringify(result)}`);
      return result;
    });
    await boss.work(QUEUES.classReminders, { pollingIntervalSeconds: 30 }, async () => {
      const result = await sendClassReminders(db);
      if (result.queued) log(`classes: ${result.queued} reminders queued for ${result.sessions} sessions`);
      return result;
    });
    await boss.work(QUEUES.weeklyDigest, { pollingIntervalSeconds: 30 }, async () => {
      const result = await weeklyDigestJob(db);
      log(`digest: ${result.week}: ${result.queued} queued, ${result.existing} already there`);
      return result;
    });
    await boss.work(QUEUES.classRoster, { pollingIntervalSeconds: 30 }, async () => {
      const result = await followRosterChanges(db);
      if (result.enrolled || result.dropped) log(`classes: enrolments follow the roster: ${JSON.stringify(result)}`);
      return result;
    });

    await boss.work(QUEUES.ratingFollowUps, { pollingIntervalSeconds: 30 }, async () => {
      const result = await remindFollowUps(db);
      if (result.due || result.overdue) log(`ratings: follow-ups ${JSON.stringify(result)}`);
      return result;
    });
    await boss.work(QUEUES.ratingBursts, { pollingIntervalSeconds: 30 }, async () => flagRecentBursts(db));
    await boss.work(QUEUES.ratingPhoneErasure, { pollingIntervalSeconds: 30 }, async () => {
      const result = await erasePhones(db);
      if (result.erased) log(`ratings: ${result.erased} phone numbers erased`);
      return result;
    });

    // Retries come due on their own; look for them every few seconds, but only queue a job when there
    // is something to send, so an idle system writes nothing.
    let looking = false;
    const tick = () => {
      if (looking) return;
      looking = true;
      outboxHasDueMessages(db)
        .then((due) => (due ? drainSoon() : undefined))
        .catch((error: unknown) => log(`jobs: ${errorSummary(error)}`))
        .finally(() => (looking = false));
    };
    ticker = setInterval(tick, config.EMAIL_DRAIN_INTERVAL_SECONDS * 1000);
    ticker.unref();
    tick();
  }
  setOutboxNudge(() => drainSoon());
  // Every process seals the audit and security logs into their hash chains as rows are committed.
  const sealer = await startLogSealer({ databaseUrl: options.databaseUrl, db, log });
  log(
    `Jobs ${runWorker ? "worker running" : "queue ready (worker runs elsewhere)"}; email via ${config.RESEND_API_KEY ? "Resend" : "the in-app outbox (offline)"}`,
  );

  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      if (ticker) clearInterval(ticker);
      setOutboxNudge(undefined);
      await sealer.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await connection.close();
    },
  };
}
