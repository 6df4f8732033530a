import { eq, sql } from "drizzle-orm";
import { queueClassEmails, recipients } from "~/modules/classes/notify.server";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { linkOrigin } from "~/utils/origin.server";
import { idList } from "~/utils/sql.server";
import type { Database, DbOrTx } from "~db/client";
import { settings } from "~db/schema/index";
import type { AttendanceRules } from "../rules";
import { getAttendanceRules } from "../settings.server";

const CHECKED_KEY = "attendance.low_attendance_checked";

export interface WarningRun {
  skipped: boolean;
  raised: number;
  resolved: number;
  emailed: number;
}

/**
 * Low attendance: each cadre's rate over their last N closed sessions (N and the threshold from the
 * rules). A cadre below the threshold with no open warning gets one, and one email, in one transaction;
 * an open warning whose rate has recovered is resolved. One open warning per cadre (a partial unique
 * index), and the email's idempotency key names the warning, so a job run twice, or on two workers at
 * once, warns once. Nothing has changed unless a session closed or the rules moved since the last run,
 * and then the run is skipped.
 */
export async function evaluateLowAttendance(db: Database, options: { now?: Date; force?: boolean } = {}): Promise<WarningRun> {
  const now = options.now ?? new Date();
  const rules = await getAttendanceRules(db);
  const outcome = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:attendance-warnings'))`);
    const [latest] = await tx.execute<{ closed: string | null }>(
      sql`select to_json(max(closed_at)) #>> '{}' as closed from class_sessions where status = 'closed'`,
    );
    const marker = { closed: latest?.closed ?? null, ...rules.lowAttendance, lateWeight: rules.lateWeight };
    const [last] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, CHECKED_KEY));
    if (!options.force && JSON.stringify(last?.value) === JSON.stringify(marker))
      return { skipped: true, raised: 0, resolved: 0, emailed: 0 };
    const run = await raiseAndResolveWarnings(tx, rules, now);
    await tx
      .insert(settings)
      .values({ key: CHECKED_KEY, value: marker })
      .onConflictDoUpdate({ target: settings.key, set: { value: marker, updatedAt: now } });
    return run;
  });
  if (outcome.emailed) nudgeOutbox();
  return outcome;
}

/**
 * The set-based part, inside the caller's transaction (the job's, or the demo seed's): raise a warning
 * (and queue its email) for every cadre below the threshold without an open one, resolve the open ones
 * whose rate has recovered.
 */
export async function raiseAndResolveWarnings(tx: DbOrTx, rules: AttendanceRules, now: Date): Promise<WarningRun> {
  const { sessions: n, threshold } = rules.lowAttendance;
  // Each cadre's last n rows of closed sessions (of the last two years: older ones say nothing of now).
  const windowSql = sql`
    with ranked as (
      select a.cadre_id, a.status, s.id as session_id,
        row_number() over (partition by a.cadre_id order by s.starts_at desc, s.id desc) as k
      from attendance_records a join class_sessions s on s.id = a.session_id
      join cadres c on c.id = a.cadre_id and c.status = 'active'
      where s.status = 'closed' and s.starts_at > ${now.toISOString()}::timestamptz - interval '730 days'
    ),
    windowed as (
      select cadre_id, count(*)::int as sessions,
        max(session_id) filter (where k = 1) as last_session_id,
        case when count(*) > count(*) filter (where status = 'excused')
          then ((count(*) filter (where status = 'present')) + ${rules.lateWeight}::float8 * (count(*) filter (where status = 'late')))::float8
            / (count(*) - count(*) filter (where status = 'excused'))
        end as rate
      from ranked where k <= ${n} group by cadre_id
    )`;
  const raised = await tx.execute<{ id: number; cadre_id: number; rate: number; sessions: number }>(sql`
    ${windowSql}
    insert into attendance_warnings (cadre_id, rate, sessions, last_session_id, raised_at)
    select cadre_id, round(rate::numeric, 4), sessions, last_session_id, ${now.toISOString()}::timestamptz
    from windowed where sessions >= ${n} and rate < ${threshold}
    on conflict (cadre_id) where resolved_at is null do nothing
    returning id, cadre_id, rate::float8 as rate, sessions`);
  const resolved = await tx.execute(sql`
    ${windowSql}
    update attendance_warnings w set resolved_at = ${now.toISOString()}::timestamptz
    from windowed
    where w.resolved_at is null and w.cadre_id = windowed.cadre_id and windowed.rate >= ${threshold}
    returning w.id`);

  const cadreIds = raised.map((r) => Number(r.cadre_id));
  const people = await recipients(tx, cadreIds);
  const missed = cadreIds.length ? await missedInWindow(tx, cadreIds, n) : new Map<number, MissedItem[]>();
  const origin = linkOrigin();
  const emailed = await queueClassEmails(
    tx,
    "attendance-low-warning",
    raised.flatMap((r) => {
      const recipient = people.get(Number(r.cadre_id));
      if (!recipient) return [];
      const props = {
        rate: Number(r.rate),
        sessions: Number(r.sessions),
        threshold,
        missed: missed.get(Number(r.cadre_id)) ?? [],
        attendanceUrl: `${origin}/attendance`,
      };
      return [{ recipient, key: `attendance-low/${r.id}`, props }];
    }),
  );
  return { skipped: false, raised: raised.length, resolved: resolved.length, emailed };
}

type MissedItem = { startsAt: string; title: string; status: "absent" | "late" };

async function missedInWindow(tx: DbOrTx, cadreIds: number[], n: number) {
  const rows = await tx.execute<{ cadre_id: number; starts_at: string; title: string; status: "absent" | "late" }>(sql`
    select x.cadre_id, to_json(x.starts_at) #>> '{}' as starts_at, x.title, x.status from (
      select a.cadre_id, s.starts_at, s.title, a.status::text as status,
        row_number() over (partition by a.cadre_id order by s.starts_at desc, s.id desc) as k
      from attendance_records a join class_sessions s on s.id = a.session_id
      where s.status = 'closed' and a.cadre_id in ${idList(cadreIds)}
    ) x where x.k <= ${n} and x.status in ('absent', 'late') order by x.starts_at`);
  const out = new Map<number, MissedItem[]>();
  for (const r of rows) {
    const id = Number(r.cadre_id);
    out.set(id, [...(out.get(id) ?? []), { startsAt: r.starts_at, title: r.title, status: r.status }]);
  }
  return out;
}
