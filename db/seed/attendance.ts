import { sql } from "drizzle-orm";
import { raiseAndResolveWarnings } from "~/modules/attendance/reports/warnings.server";
import { DEFAULT_ATTENDANCE_RULES } from "~/modules/attendance/rules";
import { audit } from "~/modules/audit/service.server";
import { shanghaiYear } from "~/utils/dates";
import type { DbOrTx } from "../client";
import { classSessions } from "../schema";
import { prng } from "./demo-city";

/**
 * Attendance for the demo city's past evenings, the same on every machine for a given day: most cadres
 * present (scanned in at the venue, or watching online long enough), some late, a few on approved leave,
 * a few absent, and a handful of units clearly worse than the rest, so that the reports, the unit view
 * and the low-attendance warnings have something to show. Plus one session under way today (the check-in
 * demonstration), enrolled like the next evening, whose venue screens show a live code.
 */

/** Units that attend badly in the demo (by name), and how badly. */
const LAGGARDS: Record<string, { absent: number; late: number }> = {
  市综合行政执法局: { absent: 0.24, late: 0.18 },
  白杨镇: { absent: 0.2, late: 0.2 },
  临港物流园: { absent: 0.28, late: 0.12 },
  城市燃气公司: { absent: 0.22, late: 0.16 },
};
const USUAL = { absent: 0.025, late: 0.06 };
const LEAVE = 0.035;

const LEAVE_REASONS = [
  "当晚参加省里召开的视频会议。",
  "带队外出招商，无法按时返回。",
  "值守防汛一线。",
  "陪同上级督查组检查。",
  "因病住院。",
];

const MINUTE = 60_000;

interface Enrolment extends Record<string, unknown> {
  session_id: number;
  cadre_id: number;
  venue_id: number | null;
  session_venue_id: number | null;
  unit_name: string;
  starts_at: string;
  ends_at: string;
  leave: boolean;
}

export async function seedDemoAttendance(db: DbOrTx, options: { now: Date }) {
  const { now } = options;
  const random = prng(20261125);

  // Every enrolment of the past evenings, in a fixed order so that the dice fall the same way each time.
  const enrolments = await db.execute<Enrolment>(sql`
    select r.session_id, r.cadre_id, r.venue_id, sv.id as session_venue_id, u.name as unit_name,
      to_json(s.starts_at) #>> '{}' as starts_at, to_json(s.ends_at) #>> '{}' as ends_at,
      exists (select 1 from class_leave_requests l where l.session_id = r.session_id and l.cadre_id = r.cadre_id and l.status = 'approved') as leave
    from class_registrations r
    join class_sessions s on s.id = r.session_id
    join cadres c on c.id = r.cadre_id
    join units u on u.id = c.unit_id
    left join class_session_venues sv on sv.session_id = r.session_id and sv.venue_id = r.venue_id
    where s.status = 'closed' and r.status = 'registered'
    order by s.starts_at, r.cadre_id`);

  const leaves: { session_id: number; cadre_id: number; reason: string; decided_at: string }[] = [];
  const records: {
    session_id: number;
    cadre_id: number;
    session_venue_id: number | null;
    status: string;
    source: string;
    checked_in_at: string | null;
    minutes_watched: number | null;
  }[] = [];
  for (const e of enrolments) {
    const odds = LAGGARDS[e.unit_name] ?? USUAL;
    const startsAt = new Date(e.starts_at).getTime();
    const duration = (new Date(e.ends_at).getTime() - startsAt) / MINUTE;
    const roll = random();
    const jitter = random();
    const base = {
      session_id: Number(e.session_id),
      cadre_id: Number(e.cadre_id),
      session_venue_id: null as number | null,
      checked_in_at: null as string | null,
      minutes_watched: null as number | null,
    };
    if (e.leave || roll < LEAVE) {
      if (!e.leave) {
        leaves.push({
          session_id: base.session_id,
          cadre_id: base.cadre_id,
          reason: LEAVE_REASONS[Math.floor(jitter * LEAVE_REASONS.length)]!,
          decided_at: new Date(startsAt - (1 + Math.floor(jitter * 3)) * 86_400_000).toISOString(),
        });
      }
      records.push({ ...base, status: "excused", source: "close" });
    } else if (roll < LEAVE + odds.absent) {
      // Online, an absence is often a viewer who left early.
      const watched = e.venue_id === null && jitter < 0.5 ? Math.round(duration * (0.2 + jitter)) : null;
      records.push({ ...base, status: "absent", source: watched === null ? "close" : "import", minutes_watched: watched });
    } else if (roll < LEAVE + odds.absent + odds.late) {
      const at = new Date(startsAt + (11 + Math.floor(jitter * 35)) * MINUTE).toISOString();
      if (e.venue_id === null)
        records.push({
          ...base,
          status: "late",
          source: "import",
          checked_in_at: at,
          minutes_watched: Math.round(duration - 11 - jitter * 8),
        });
      else
        records.push({
          ...base,
          status: "late",
          source: jitter < 0.15 ? "roster" : "qr",
          session_venue_id: e.session_venue_id,
          checked_in_at: at,
        });
    } else {
      const at = new Date(startsAt - Math.floor(jitter * 30) * MINUTE + Math.floor(random() * 9) * MINUTE).toISOString();
      if (e.venue_id === null)
        records.push({
          ...base,
          status: "present",
          source: "import",
          checked_in_at: at,
          minutes_watched: Math.round(duration * (0.85 + jitter * 0.15)),
        });
      else
        records.push({
          ...base,
          status: "present",
          source: jitter < 0.05 ? "roster" : "qr",
          session_venue_id: e.session_venue_id,
          checked_in_at: at,
        });
    }
  }
  for (let i = 0; i < leaves.length; i += 5000) {
    await db.execute(sql`
      insert into class_leave_requests (session_id, cadre_id, reason, status, decided_at, created_at)
      select x.session_id, x.cadre_id, x.reason, 'approved', x.decided_at, x.decided_at - interval '1 day'
      from jsonb_to_recordset(${JSON.stringify(leaves.slice(i, i + 5000))}::jsonb)
        as x(session_id integer, cadre_id integer, reason text, decided_at timestamptz)`);
  }
  for (let i = 0; i < records.length; i += 5000) {
    await db.execute(sql`
      insert into attendance_records (session_id, cadre_id, session_venue_id, status, source, checked_in_at, minutes_watched)
      select x.session_id, x.cadre_id, x.session_venue_id, x.status::attendance_status, x.source::attendance_source, x.checked_in_at, x.minutes_watched
      from jsonb_to_recordset(${JSON.stringify(records.slice(i, i + 5000))}::jsonb)
        as x(session_id integer, cadre_id integer, session_venue_id integer, status text, source text, checked_in_at timestamptz, minutes_watched integer)`);
  }

  const demo = await seedCheckInDemo(db, now);
  // Cadres below the threshold over their last five evenings get their warning (and its email) now,
  // rather than at the job's first run.
  const warnings = await raiseAndResolveWarnings(db, DEFAULT_ATTENDANCE_RULES, now);
  await audit(
    db,
    { userId: null, label: "seed" },
    {
      action: "seed.demo_attendance",
      entityType: "attendance",
      after: { records: records.length, leaves: leaves.length, demoSession: demo?.code ?? null, warnings: warnings.raised },
    },
  );
  return { records: records.length, warnings: warnings.raised };
}

/**
 * Today's check-in demonstration: a session starting a quarter of an hour after the seed (so check-in
 * is open at once and a scan counts as on time), enrolled exactly like the next evening of the series,
 * at the same venues. Nothing is recorded yet: the venue screens show a live code.
 */
async function seedCheckInDemo(db: DbOrTx, now: Date) {
  const [next] = await db.execute<{ id: number; audience: unknown }>(sql`
    select id, audience from class_sessions
    where status = 'published' and series_id is not null and starts_at > ${now.toISOString()}::timestamptz
    order by starts_at limit 1`);
  if (!next) return null;
  const startsAt = new Date(Math.ceil((now.getTime() + 15 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE);
  const year = shanghaiYear(now);
  const code = `${year}-D1`;
  const [session] = await db
    .insert(classSessions)
    .values({
      code,
      title: "夜课堂签到演示：狠抓落实的方法与路径",
      lecturer: "曾晓东",
      lecturerAffiliation: "省委党校领导科学教研部",
      topicTags: ["狠抓落实"],
      description: "演示用课程：分会场屏幕显示每 30 秒更新的签到二维码，干部用手机扫码签到。",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 150 * MINUTE),
      registrationDeadline: new Date(now.getTime() - MINUTE),
      liveUrl: "https://live.example.gov.cn/night-class",
      trainingHours: 1.5,
      status: "published",
      audience: next.audience as typeof classSessions.$inferInsert.audience,
      audienceMandatory: true,
      openRegistration: true,
      publishedAt: new Date(now.getTime() - 3 * 86_400_000),
    })
    .returning({ id: classSessions.id });
  await db.execute(sql`
    insert into class_session_venues (session_id, venue_id, capacity, ranks)
    select ${session!.id}, venue_id, capacity, ranks from class_session_venues where session_id = ${next.id} order by id`);
  await db.execute(sql`
    insert into class_registrations (session_id, cadre_id, source, venue_id, registered_at)
    select ${session!.id}, cadre_id, source, venue_id, ${new Date(now.getTime() - 3 * 86_400_000).toISOString()}::timestamptz
    from class_registrations where session_id = ${next.id} and status = 'registered'`);
  return { code };
}
