import { recentJobRuns, storedSchedules } from "~/modules/jobs/history.server";
import { JOB_TIME_ZONE, SCHEDULES } from "~/modules/jobs/schedules";
import { formatDateTime } from "~/utils/dates";
import type { CliCommand } from "../context";

/** `jobs [--limit N]`: the schedules (as defined and as stored) and the most recent runs. */
const run: CliCommand = async (args, ctx) => {
  const limitAt = args.indexOf("--limit");
  const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : 20;
  if (!Number.isInteger(limit) || limit < 1) {
    ctx.err("Usage: npm run luoshi -- jobs [--limit N]");
    return 2;
  }
  const when = (d: Date | null) => (d ? formatDateTime(d, "en") : "—");

  ctx.out(`Schedules (${JOB_TIME_ZONE}):`);
  const stored = new Map((await storedSchedules(ctx.db)).map((s) => [s.name, s]));
  for (const s of SCHEDULES) {
    const live = stored.get(s.queue);
    const state = live ? (live.cron === s.cron ? "active" : `stored as "${live.cron}"`) : "not yet registered (no worker has started)";
    ctx.out(`  ${s.cron.padEnd(12)} ${s.queue.padEnd(22)} ${s.summary} [${state}]`);
  }

  const runs = await recentJobRuns(ctx.db, limit);
  ctx.out("");
  ctx.out(runs.length ? `Recent runs (newest first, times in ${JOB_TIME_ZONE}):` : "No runs yet.");
  for (const r of runs) {
    const output = r.output && typeof r.output === "object" ? JSON.stringify(r.output) : "";
    ctx.out(
      `  ${when(r.createdOn).padEnd(17)} ${r.queue.padEnd(22)} ${r.state.padEnd(10)} done ${when(r.completedOn).padEnd(17)} ${output}`,
    );
  }
  return 0;
};

export default run;
