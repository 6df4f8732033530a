import { type RankBand, rankBand } from "~/modules/organization/rules";
import type { ClassSessionStatus } from "~db/schema/classes";
import type { Rank } from "~db/schema/enums";

/**
 * The rules of attendance as plain functions: present or late, the check-in window, online viewing
 * against the threshold, the attendance rate, the yearly training-hours requirement, low attendance.
 * The check-in statement (checkin/statement.server.ts) applies the grace, opening and end comparisons in
 * the database; the integration tests (attendance-checkin) hold it to the same grace edge as the rule.
 */

export interface AttendanceRules {
  /** A check-in later than start + grace is late. */
  graceMinutes: number;
  /** Check-in opens this long before the start (doors open) and closes at the end. */
  opensMinutesBefore: number;
  /** Online: present when the share of the session watched reaches this (0–1). */
  onlineShare: number;
  /** A late attendance counts this much in the rate. */
  lateWeight: number;
  /** How often the venue code changes. */
  rotationSeconds: number;
  /** Published sessions close on their own this many hours after they end. */
  autoCloseHours: number;
  /** Yearly training hours required, by rank band (cadre-training regulation: 110 from deputy county up, 90 below). */
  yearlyHours: Record<RankBand, number>;
  /** A cadre whose rate over their last `sessions` sessions is below `threshold` is warned once. */
  lowAttendance: { sessions: number; threshold: number };
  /** Suspicious patterns: cadres on one device in a session; cadres from one address within a window. */
  flags: { deviceCadres: number; addressCadres: number; addressWindowSeconds: number };
}

export const DEFAULT_ATTENDANCE_RULES: AttendanceRules = {
  graceMinutes: 10,
  opensMinutesBefore: 60,
  onlineShare: 0.8,
  lateWeight: 0.5,
  rotationSeconds: 30,
  autoCloseHours: 3,
  yearlyHours: { leading: 110, section: 90, staff: 90 },
  lowAttendance: { sessions: 5, threshold: 0.7 },
  flags: { deviceCadres: 2, addressCadres: 30, addressWindowSeconds: 60 },
};

/** How long a valid scan is remembered in the browser, so that logging in first does not lose it. */
export const SCAN_REMEMBER_SECONDS = 600;

const MINUTE = 60_000;

/** Present until start + grace inclusive; late from the first instant after. */
export function classifyArrival(at: Date, startsAt: Date, graceMinutes: number): "present" | "late" {
  return at.getTime() > startsAt.getTime() + graceMinutes * MINUTE ? "late" : "present";
}

export interface CheckInSession {
  status: ClassSessionStatus;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Whether a check-in at `at` is possible: a published session, from `opensMinutesBefore` before the
 * start to the end. Answers an i18n key, or null.
 */
export function checkInProblem(session: CheckInSession, at: Date, opensMinutesBefore: number): string | null {
  if (session.status === "cancelled") return "attendance.errors.cancelled";
  if (session.status === "closed") return "attendance.errors.closed";
  if (session.status !== "published") return "attendance.errors.notOpen";
  if (at.getTime() < session.startsAt.getTime() - opensMinutesBefore * MINUTE) return "attendance.errors.tooEarly";
  if (at.getTime() > session.endsAt.getTime()) return "attendance.errors.ended";
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Online viewing

/** One line of the live platform's viewing log, as the import reads it. */
export interface ViewingRow {
  joinAt: Date | null;
  leaveAt: Date | null;
  minutes: number | null;
}

export interface Viewing {
  /** Minutes of the session watched: intervals merged (two devices at once count once), clipped to the session. */
  minutes: number;
  /** The first join, when the log gives times. */
  firstJoinAt: Date | null;
}

/**
 * Adds up one cadre's rows. Rows with join and leave times count the part inside the session, merged
 * so that overlaps count once; rows with only minutes add them; the total never exceeds the session.
 */
export function sumViewing(rows: ViewingRow[], session: { startsAt: Date; endsAt: Date }): Viewing {
  const start = session.startsAt.getTime();
  const end = session.endsAt.getTime();
  const intervals: [number, number][] = [];
  let loose = 0;
  let firstJoin: number | null = null;
  for (const r of rows) {
    if (r.joinAt) firstJoin = Math.min(firstJoin ?? Infinity, r.joinAt.getTime());
    if (r.joinAt && r.leaveAt) {
      const from = Math.max(start, r.joinAt.getTime());
      const to = Math.min(end, r.leaveAt.getTime());
      if (to > from) intervals.push([from, to]);
    } else if (r.minutes !== null) {
      loose += r.minutes;
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let merged = 0;
  let current: [number, number] | null = null;
  for (const [from, to] of intervals) {
    if (current && from <= current[1]) current[1] = Math.max(current[1], to);
    else {
      if (current) merged += current[1] - current[0];
      current = [from, to];
    }
  }
  if (current) merged += current[1] - current[0];
  const duration = (end - start) / MINUTE;
  const minutes = Math.min(duration, merged / MINUTE + loose);
  return { minutes: Math.round(minutes * 100) / 100, firstJoinAt: firstJoin === null ? null : new Date(firstJoin) };
}

/**
 * Online attendance: present when the share watched reaches the threshold, late when it does but the
 * first join came after start + grace, absent otherwise.
 */
export function classifyViewing(
  viewing: Viewing,
  session: { startsAt: Date; endsAt: Date },
  rules: Pick<AttendanceRules, "onlineShare" | "graceMinutes">,
): "present" | "late" | "absent" {
  const duration = (session.endsAt.getTime() - session.startsAt.getTime()) / MINUTE;
  // Compared in hundredths of a minute, so that 72 of 90 minutes is exactly 80 %.
  if (Math.round(viewing.minutes * 100) < Math.round(rules.onlineShare * duration * 100)) return "absent";
  if (viewing.firstJoinAt && classifyArrival(viewing.firstJoinAt, session.startsAt, rules.graceMinutes) === "late") return "late";
  return "present";
}

// ---------------------------------------------------------------------------------------------------
// Figures

export interface AttendanceCounts {
  enrolled: number;
  present: number;
  late: number;
  excused: number;
  absent: number;
}

export const EMPTY_COUNTS: AttendanceCounts = { enrolled: 0, present: 0, late: 0, excused: 0, absent: 0 };

/** DESIGN.md: (present + late × late weight) / (enrolled − excused); null when nobody was expected. */
export function attendanceRate(
  counts: Pick<AttendanceCounts, "enrolled" | "present" | "late" | "excused">,
  lateWeight: number,
): number | null {
  const expected = counts.enrolled - counts.excused;
  if (expected <= 0) return null;
  return (counts.present + counts.late * lateWeight) / expected;
}

/** The yearly training hours a cadre of this rank must earn. */
export function requiredHours(rank: Rank, rules: Pick<AttendanceRules, "yearlyHours">): number {
  return rules.yearlyHours[rankBand(rank)];
}

/** Low attendance needs a full window of sessions: two bad evenings out of two are not a pattern yet. */
export function isLowAttendance(rate: number | null, sessions: number, rules: Pick<AttendanceRules, "lowAttendance">): boolean {
  return sessions >= rules.lowAttendance.sessions && rate !== null && rate < rules.lowAttendance.threshold;
}
