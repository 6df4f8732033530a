import { addMonths, intervalDays, monthInterval } from "~/modules/frontline/days";
import { formatIsoWeek, type IsoWeek, shiftWeek, weekBounds } from "~/utils/dates";
import type { Locale } from "~/utils/i18n";
import type { UnitKind } from "~db/schema/enums";
import type { FrontlineCategory } from "~db/schema/frontline";
import type { DigestList, DigestUnit, WeeklyDigestEmailProps } from "~emails/weekly-digest";

/**
 * The weekly digest's rules, pure: from what was gathered for a unit head's units, the template's
 * props. A section with nothing to say is left out (null); a unit with nothing at all reads as one
 * all-clear line. Long lists stop at a fixed number of names and say how many more the linked page
 * shows, so a 300-cadre unit's email stays readable.
 */

/** Names shown per list (absentees, latecomers, unregistered, shortfalls, nominees). */
export const NAMES_SHOWN = 20;
/** Frontline records shown, each on its own line. */
export const RECORDS_SHOWN = 10;
/** Sessions ahead that the digest looks at, from the Monday it is sent. */
export const UPCOMING_DAYS = 14;

/** Up to the first rows of a list, with its full length (the query stops early; the total is exact). */
export interface Listed<T> {
  rows: T[];
  total: number;
}

export interface GatheredAttendanceSession {
  code: string;
  title: string;
  startsAt: string;
  enrolled: number;
  present: number;
  late: number;
  excused: number;
  absent: number;
  absentees: Listed<{ name: string }>;
  latecomers: Listed<{ name: string; checkedInAt: string | null }>;
}

export interface GatheredUpcomingSession {
  code: string;
  title: string;
  startsAt: string;
  registrationDeadline: string;
  audience: number;
  notRegistered: Listed<{ name: string }>;
  leavePending: Listed<{ name: string }>;
}

export interface GatheredRanking {
  quarter: string;
  group: UnitKind;
  rank: number | null;
  size: number;
  previousRank: number | null;
}

export interface GatheredUnit {
  unitId: number;
  code: string;
  name: string;
  /** Last week's closed sessions where the unit had enrolments. */
  attendance: GatheredAttendanceSession[];
  /** Published sessions of the coming days. */
  upcoming: GatheredUpcomingSession[];
  frontlinePending: Listed<{ name: string; category: FrontlineCategory; place: string; startDate: string; endDate: string }>;
  /** The last finished month's shortfalls against the monthly quota. */
  quota: { month: string; shortfalls: Listed<{ name: string; days: number; quota: number }> } | null;
  published: GatheredRanking | null;
  draft: { quarter: string; rank: number | null; size: number } | null;
  nominations: { roundId: number; name: string; deadline: string; nominees: Listed<{ name: string }> }[];
  /** Public-rating follow-ups: 不满意 cases opened last week, and cases past their due day. */
  ratingCases: { newCases: number; overdue: number } | null;
}

export function emptyUnit(unit: { unitId: number; code: string; name: string }): GatheredUnit {
  return {
    ...unit,
    attendance: [],
    upcoming: [],
    frontlinePending: { rows: [], total: 0 },
    quota: null,
    published: null,
    draft: null,
    nominations: [],
    ratingCases: null,
  };
}

/** The week a digest reports on and the window it looks ahead: the one place these are decided. */
export function digestPeriods(week: IsoWeek) {
  const current = weekBounds(week);
  const last = weekBounds(shiftWeek(week, -1));
  return {
    week: current,
    lastWeek: last,
    /** Sessions starting before this are "coming" (from the Monday the digest goes out). */
    upcomingUntil: new Date(current.start.getTime() + UPCOMING_DAYS * 86_400_000),
    /** The last month that had ended by last Sunday: its quota shortfalls are final. */
    quotaMonth: lastFinishedMonth(last.lastDay),
  };
}

/** The latest calendar month whose last day is on or before `date` (YYYY-MM-DD). */
export function lastFinishedMonth(date: string): string {
  const month = date.slice(0, 7);
  return monthInterval(month).end === date ? month : addMonths(month, -1);
}

function cut<T, U = T>(listed: Listed<T>, shown: number, map: (row: T) => U = (row) => row as unknown as U): DigestList<U> {
  const items = listed.rows.slice(0, shown).map(map);
  return { items, more: Math.max(0, listed.total - items.length) };
}

/** The links of a unit's digest: each goes to the page where the item is dealt with. */
export function digestLinks(origin: string, unitId: number, week: IsoWeek) {
  const { lastWeek, quotaMonth } = digestPeriods(week);
  return {
    attendance: `${origin}/attendance/units/${unitId}?from=${lastWeek.firstDay}&to=${lastWeek.lastDay}`,
    session: (code: string) => `${origin}/classes/unit?session=${encodeURIComponent(code)}`,
    leave: `${origin}/classes/leave`,
    verify: `${origin}/frontline/verify`,
    quota: `${origin}/frontline/units/${unitId}?from=${quotaMonth}&to=${quotaMonth}`,
    ranking: (quarter: string) => `${origin}/rankings/${quarter}/units/${unitId}`,
    // The nominations tab lists the ones waiting for a decision; the round opens on its eligibility table.
    round: (roundId: number) => `${origin}/shortlists/${roundId}?tab=nominations`,
    ratingCases: (state: "open" | "overdue") => `${origin}/ratings/cases?state=${state}&unit=${unitId}`,
  };
}

export function composeUnit(unit: GatheredUnit, origin: string, week: IsoWeek): DigestUnit {
  const links = digestLinks(origin, unit.unitId, week);
  const attended = unit.attendance.filter((s) => s.absent + s.late > 0);
  const upcoming = unit.upcoming.filter((s) => s.notRegistered.total + s.leavePending.total > 0);
  const pending = unit.frontlinePending.total > 0;
  const short = unit.quota !== null && unit.quota.shortfalls.total > 0;
  const rounds = unit.nominations.filter((r) => r.nominees.total > 0);
  return {
    name: unit.name,
    attendance: attended.length
      ? {
          sessions: attended.map((s) => ({
            title: s.title,
            startsAt: s.startsAt,
            enrolled: s.enrolled,
            present: s.present,
            late: s.late,
            excused: s.excused,
            absent: s.absent,
            absentees: cut(s.absentees, NAMES_SHOWN),
            latecomers: cut(s.latecomers, NAMES_SHOWN),
          })),
          url: links.attendance,
        }
      : null,
    upcoming: upcoming.length
      ? {
          sessions: upcoming.map((s) => ({
            title: s.title,
            startsAt: s.startsAt,
            registrationDeadline: s.registrationDeadline,
            audience: s.audience,
            notRegistered: cut(s.notRegistered, NAMES_SHOWN),
            leavePending: cut(s.leavePending, NAMES_SHOWN),
            url: links.session(s.code),
            leaveUrl: s.leavePending.total > 0 ? links.leave : null,
          })),
        }
      : null,
    frontline:
      pending || short
        ? {
            pending: pending
              ? {
                  total: unit.frontlinePending.total,
                  records: unit.frontlinePending.rows
                    .slice(0, RECORDS_SHOWN)
                    .map((r) => ({ ...r, days: intervalDays({ start: r.startDate, end: r.endDate }) })),
                  url: links.verify,
                }
              : null,
            quota: short ? { month: unit.quota!.month, shortfalls: cut(unit.quota!.shortfalls, NAMES_SHOWN), url: links.quota } : null,
          }
        : null,
    ranking:
      unit.published || unit.draft?.rank != null
        ? {
            published: unit.published
              ? {
                  quarter: unit.published.quarter,
                  group: unit.published.group,
                  rank: unit.published.rank,
                  size: unit.published.size,
                  // Positive: moved up (a smaller rank number).
                  change:
                    unit.published.rank !== null && unit.published.previousRank !== null
                      ? unit.published.previousRank - unit.published.rank
                      : null,
                  url: links.ranking(unit.published.quarter),
                }
              : null,
            draft: unit.draft?.rank != null ? { quarter: unit.draft.quarter, rank: unit.draft.rank, size: unit.draft.size } : null,
          }
        : null,
    shortlists: rounds.length
      ? {
          rounds: rounds.map((r) => ({
            name: r.name,
            deadline: r.deadline,
            nominees: cut(r.nominees, NAMES_SHOWN),
            url: links.round(r.roundId),
          })),
        }
      : null,
    ratings: unit.ratingCases
      ? {
          newCases: unit.ratingCases.newCases,
          overdue: unit.ratingCases.overdue,
          url: links.ratingCases(unit.ratingCases.overdue > 0 ? "overdue" : "open"),
        }
      : null,
  };
}

export interface DigestRecipientInput {
  locale: Locale;
  organizationName: string;
  /** Who reads it. */
  name: string;
  /** The head's name when a liaison gets a copy. */
  copyOf: string | null;
}

/** The props of one digest: the recipient's units in the order given, each composed on its own. */
export function composeDigest(
  recipient: DigestRecipientInput,
  week: IsoWeek,
  units: GatheredUnit[],
  origin: string,
): WeeklyDigestEmailProps {
  const { week: bounds, lastWeek } = digestPeriods(week);
  return {
    locale: recipient.locale,
    organizationName: recipient.organizationName,
    name: recipient.name,
    copyOf: recipient.copyOf,
    week: { year: week.year, week: week.week, firstDay: bounds.firstDay, lastDay: bounds.lastDay },
    lastWeek: { firstDay: lastWeek.firstDay, lastDay: lastWeek.lastDay },
    units: units.map((u) => composeUnit(u, origin, week)),
  };
}

/** One digest per head and ISO week; a liaison's copy of it has a key of its own. */
export function digestKey(headCadreId: number, week: IsoWeek, liaisonCadreId?: number): string {
  const base = `digest/${headCadreId}/${formatIsoWeek(week)}`;
  return liaisonCadreId === undefined ? base : `${base}/liaison/${liaisonCadreId}`;
}

export interface PlannedRecipient {
  cadreId: number;
  userId: number | null;
  name: string;
  email: string;
  locale: Locale;
}

export interface PlannedDigest {
  key: string;
  recipient: PlannedRecipient;
  /** The head's name on a liaison's copy. */
  copyOf: string | null;
  /** The units the message covers, in order. */
  unitIds: number[];
}

/**
 * Who gets which digest this week: each head one message covering every unit they head; each liaison
 * of a unit that copies its liaisons a copy covering the units of that head they liaise for (never
 * the head themselves). Pure, so the rule is tested apart from the database.
 */
export function planDigests(
  heads: (PlannedRecipient & { units: { unitId: number; copiesLiaisons: boolean }[] })[],
  liaisons: ReadonlyMap<number, PlannedRecipient[]>,
  week: IsoWeek,
): PlannedDigest[] {
  const out: PlannedDigest[] = [];
  for (const head of heads) {
    const { units, ...recipient } = head;
    out.push({ key: digestKey(head.cadreId, week), recipient, copyOf: null, unitIds: units.map((u) => u.unitId) });
    const copies = new Map<number, PlannedDigest>();
    for (const unit of units) {
      if (!unit.copiesLiaisons) continue;
      for (const liaison of liaisons.get(unit.unitId) ?? []) {
        if (liaison.cadreId === head.cadreId) continue;
        const copy = copies.get(liaison.cadreId) ?? {
          key: digestKey(head.cadreId, week, liaison.cadreId),
          recipient: liaison,
          copyOf: head.name,
          unitIds: [],
        };
        copy.unitIds.push(unit.unitId);
        copies.set(liaison.cadreId, copy);
      }
    }
    out.push(...copies.values());
  }
  return out;
}
