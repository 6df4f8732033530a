import { sql } from "drizzle-orm";
import { closedSessionsByUnit } from "~/modules/attendance/digest.server";
import { comingSessionsByUnit } from "~/modules/classes/digest.server";
import { quotaShortfallsByUnit, submittedRecordsByUnit } from "~/modules/frontline/digest.server";
import { rankingStandingByUnit } from "~/modules/rankings/digest.server";
import { digestCaseCounts } from "~/modules/ratings/cases.server";
import { openNominationsByUnit } from "~/modules/shortlists/digest.server";
import { type IsoWeek, todayInShanghai } from "~/utils/dates";
import { idList } from "~/utils/sql.server";
import { type Timing, timed } from "~/utils/timing";
import type { DbOrTx } from "~db/client";
import { digestPeriods, emptyUnit, type GatheredUnit, type Listed, NAMES_SHOWN, RECORDS_SHOWN } from "./compose";

/**
 * What the weekly digest says, gathered for every recipient unit at once, through the functions each
 * capability exports for it (attendance, classes, frontline, rankings, shortlists and ratings own their
 * tables and their rules): each section is one set-based query over all the units (plus one per coming
 * session for its audience), never a query per unit, so a province's 10,000 units cost the same
 * handful of statements as one.
 *
 * "The unit" is what a head's scope and the attendance reports mean by it: the unit and every unit
 * below it. Last week's attendance counts each row for the unit the cadre belonged to on the session
 * date (as the reports do); the items waiting for action (registration, leave, verification,
 * nominations) belong to the cadre's unit today; quota shortfalls to the unit on the month's last day.
 */

function listed<T>(rows: T[] | null | undefined, total: number): Listed<T> {
  return { rows: rows ?? [], total: Number(total) };
}

export interface GatherOptions {
  week: IsoWeek;
  /** The root units (each with its sub-units). */
  unitIds: readonly number[];
  now?: Date;
  /** For benchmarks: each section's time, as "digest.gather.<section>". */
  timing?: Timing;
}

/** Everything every listed unit's digest says, by unit id. */
export async function gatherDigests(db: DbOrTx, options: GatherOptions): Promise<Map<number, GatheredUnit>> {
  const now = options.now ?? new Date();
  const roots = [...new Set(options.unitIds)];
  const out = new Map<number, GatheredUnit>();
  if (!roots.length) return out;
  const names = await db.execute<{ id: number; code: string; name: string }>(
    sql`select id, code, name from units where id in ${idList(roots)}`,
  );
  for (const u of names) out.set(Number(u.id), emptyUnit({ unitId: Number(u.id), code: u.code, name: u.name }));
  const unit = (id: number | string) => out.get(Number(id))!;
  const section = (name: string, work: () => Promise<void>) => timed(options.timing, `digest.gather.${name}`, work);
  const periods = digestPeriods(options.week);

  await section("attendance", async () => {
    const period = { from: periods.lastWeek.firstDay, to: periods.week.firstDay };
    for (const s of await closedSessionsByUnit(db, roots, period, { names: NAMES_SHOWN })) {
      unit(s.root_id).attendance.push({
        code: s.code,
        title: s.title,
        startsAt: new Date(s.starts_at).toISOString(),
        enrolled: Number(s.enrolled),
        present: Number(s.present),
        late: Number(s.late),
        excused: Number(s.excused),
        absent: Number(s.absent),
        absentees: listed(s.absentees, s.absent),
        latecomers: listed(
          s.latecomers?.map((p) => ({ name: p.name, checkedInAt: p.at ? new Date(p.at).toISOString() : null })),
          s.late,
        ),
      });
    }
  });

  await section("upcoming", async () => {
    const from = now > periods.week.start ? now : periods.week.start;
    for (const { session, units } of await comingSessionsByUnit(db, roots, { from, until: periods.upcomingUntil, names: NAMES_SHOWN })) {
      for (const r of units) {
        unit(r.root_id).upcoming.push({
          code: session.code,
          title: session.title,
          startsAt: session.startsAt.toISOString(),
          registrationDeadline: session.registrationDeadline.toISOString(),
          audience: Number(r.audience),
          notRegistered: listed(r.not_registered_names, r.not_registered),
          leavePending: listed(r.leave_pending_names, r.leave_pending),
        });
      }
    }
  });

  await section("frontline", async () => {
    for (const r of await submittedRecordsByUnit(db, roots, { records: RECORDS_SHOWN })) {
      const target = unit(r.root_id).frontlinePending;
      target.total = Number(r.total);
      target.rows.push({ name: r.name, category: r.category, place: r.place, startDate: r.start_date, endDate: r.end_date });
    }
  });

  await section("quota", async () => {
    const month = periods.quotaMonth;
    for (const [rootId, list] of await quotaShortfallsByUnit(db, roots, month, { names: NAMES_SHOWN })) {
      unit(rootId).quota = { month, shortfalls: list };
    }
  });

  await section("ranking", async () => {
    for (const [rootId, standing] of await rankingStandingByUnit(db, roots)) {
      unit(rootId).published = standing.published;
      unit(rootId).draft = standing.draft;
    }
  });

  await section("shortlists", async () => {
    for (const r of await openNominationsByUnit(db, roots, { names: NAMES_SHOWN })) {
      unit(r.root_id).nominations.push({
        roundId: Number(r.round_id),
        name: r.round_name,
        deadline: new Date(r.deadline).toISOString(),
        nominees: listed(r.names, r.total),
      });
    }
  });

  await section("ratings", async () => {
    const period = { from: periods.lastWeek.start, to: periods.week.start };
    for (const r of await digestCaseCounts(db, roots, period, todayInShanghai(now))) {
      unit(r.rootId).ratingCases = { newCases: r.newCases, overdue: r.overdue };
    }
  });
  return out;
}
