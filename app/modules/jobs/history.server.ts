import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";
import { QUEUES } from "./schedules";

export interface JobRun {
  id: string;
  queue: string;
  state: string;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  output: unknown;
}

export interface StoredSchedule {
  name: string;
  cron: string;
  timezone: string;
  updatedOn: Date | null;
}

async function pgBossInstalled(db: DbOrTx): Promise<boolean> {
  const rows = await db.execute<{ ok: boolean }>(sql`select to_regclass('pgboss.job') is not null as ok`);
  return Boolean(rows[0]?.ok);
}

/** The last runs of our queues, live and archived, newest first (read straight from pg-boss's tables). */
export async function recentJobRuns(db: DbOrTx, limit = 20): Promise<JobRun[]> {
  if (!(await pgBossInstalled(db))) return [];
  const names = Object.values(QUEUES);
  const rows = await db.execute<{
    id: string;
    name: string;
    state: string;
    created_on: string;
    started_on: string | null;
    completed_on: string | null;
    output: unknown;
  }>(sql`
    select id, name, state::text as state, created_on, started_on, completed_on, output from (
      select id, name, state, created_on, started_on, completed_on, output from pgboss.job
        where name in ${names}
      union all
      select id, name, state, created_on, started_on, completed_on, output from pgboss.archive
        where name in ${names}
    ) runs
    order by created_on desc
    limit ${limit}`);
  const toDate = (v: string | null) => (v ? new Date(v) : null);
  return rows.map((r) => ({
    id: r.id,
    queue: r.name,
    state: r.state,
    createdOn: new Date(r.created_on),
    startedOn: toDate(r.started_on),
    completedOn: toDate(r.completed_on),
    output: r.output,
  }));
}

/** The schedules as the queue stores them (what workers actually run). */
export async function storedSchedules(db: DbOrTx): Promise<StoredSchedule[]> {
  if (!(await pgBossInstalled(db))) return [];
  const rows = await db.execute<{ name: string; cron: string; timezone: string; updated_on: string | null }>(
    sql`select name, cron, timezone, updated_on from pgboss.schedule order by name`,
  );
  return rows.map((r) => ({ name: r.name, cron: r.cron, timezone: r.timezone, updatedOn: r.updated_on ? new Date(r.updated_on) : null }));
}
