import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { classRegistrations, classSessions } from "./classes";
import { cadres } from "./organization";

/**
 * Attendance (考勤) of night-class sessions. One row per cadre and session at most (the unique
 * constraint makes a double scan, a retry or two concurrent requests write one row), and only for an
 * enrolment: the row references the cadre's registration. While a session is open, rows appear as
 * cadres check in, staff mark the roster or the viewing log is imported; closing the session writes a
 * row for everyone still missing (excused with approved leave, else absent), so a closed session has
 * exactly one row per enrolment and every figure is a count over these rows.
 */

export const ATTENDANCE_STATUSES = ["present", "late", "excused", "absent"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** How the row came about: the cadre's scan, the venue roster, the viewing-log import, closing, or a correction after closing. */
export const ATTENDANCE_SOURCES = ["qr", "roster", "import", "close", "correction"] as const;
export type AttendanceSource = (typeof ATTENDANCE_SOURCES)[number];

/** Patterns worth a look by staff; recorded, never used to refuse a check-in. */
export const ATTENDANCE_FLAG_KINDS = ["shared_device", "shared_address", "other_venue"] as const;
export type AttendanceFlagKind = (typeof ATTENDANCE_FLAG_KINDS)[number];

export const ATTENDANCE_FLAG_STATUSES = ["open", "dismissed", "confirmed"] as const;
export type AttendanceFlagStatus = (typeof ATTENDANCE_FLAG_STATUSES)[number];

export const MAKEUP_STATUSES = ["submitted", "confirmed", "rejected"] as const;
export type MakeupStatus = (typeof MAKEUP_STATUSES)[number];

export const attendanceStatusEnum = pgEnum("attendance_status", ATTENDANCE_STATUSES);
export const attendanceSourceEnum = pgEnum("attendance_source", ATTENDANCE_SOURCES);
export const attendanceFlagKindEnum = pgEnum("attendance_flag_kind", ATTENDANCE_FLAG_KINDS);
export const attendanceFlagStatusEnum = pgEnum("attendance_flag_status", ATTENDANCE_FLAG_STATUSES);
export const makeupStatusEnum = pgEnum("attendance_makeup_status", MAKEUP_STATUSES);

export const attendanceRecords = pgTable(
  "attendance_records",
  {
    id: id(),
    sessionId: integer().notNull(),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    /**
     * Where the cadre was seen (class_session_venues.id): the venue scanned or whose roster marked them;
     * null online or when nothing was seen. Deliberately no foreign key: every check-in at a venue would
     * take a share lock on that one venue row, and a thousand concurrent share lockers of one row queue
     * on its multixact (measured: 120 against 300 check-ins/s in bench/checkin.ts). The classes service
     * refuses to remove a venue that registrations name, and pages join it with a left join.
     */
    sessionVenueId: integer(),
    status: attendanceStatusEnum().notNull(),
    source: attendanceSourceEnum().notNull(),
    /** The arrival: the scan (or the first join online) that decides present or late. */
    checkedInAt: timestamp({ withTimezone: true }),
    /** Online: minutes watched, summed over the viewing log's rows. */
    minutesWatched: integer(),
    /** Came without being enrolled; the registration was made at the door. */
    walkIn: boolean().notNull().default(false),
    /** Checked in at a venue other than the one the registration names (online counts as other). */
    otherVenue: boolean().notNull().default(false),
    /** The scanning browser's long-lived random id and the client address, for the suspicious-pattern flags. */
    deviceId: text(),
    clientAddress: text(),
    recordedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Its index also carries `status` (INCLUDE, migration 0014, which drizzle cannot express), so that
    // a quarter's counts per cadre read the index alone.
    unique("attendance_records_one_per_cadre").on(t.sessionId, t.cadreId),
    // Attendance exists only for an enrolment; deleting the session or cadre takes it along.
    foreignKey({
      name: "attendance_records_registration_fk",
      columns: [t.sessionId, t.cadreId],
      foreignColumns: [classRegistrations.sessionId, classRegistrations.cadreId],
    }).onDelete("cascade"),
    index().on(t.cadreId),
    index("attendance_records_venue").on(t.sessionVenueId, t.checkedInAt),
    index("attendance_records_device").on(t.sessionId, t.deviceId).where(sql`${t.deviceId} is not null`),
    index("attendance_records_address").on(t.sessionId, t.clientAddress, t.checkedInAt).where(sql`${t.clientAddress} is not null`),
    check("attendance_records_minutes", sql`${t.minutesWatched} is null or ${t.minutesWatched} >= 0`),
  ],
);

/** A suspicious pattern on one check-in, for staff to review (confirm or dismiss). */
export const attendanceFlags = pgTable(
  "attendance_flags",
  {
    id: id(),
    /** The record's session (no foreign key, for the same reason as the record's venue: the record cascades). */
    sessionId: integer().notNull(),
    recordId: integer()
      .notNull()
      .references(() => attendanceRecords.id, { onDelete: "cascade" }),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    kind: attendanceFlagKindEnum().notNull(),
    /** What was seen: the other cadres on the device or address, the registered venue. */
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: attendanceFlagStatusEnum().notNull().default("open"),
    reviewedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    reviewedAt: timestamp({ withTimezone: true }),
    reviewNote: text(),
    createdAt: createdAt(),
  },
  (t) => [unique("attendance_flags_one_per_kind").on(t.recordId, t.kind), index().on(t.sessionId, t.status), index().on(t.cadreId)],
);

/** 补学: a cadre excused from a session studies the replay; a confirmed make-up earns the session's hours. */
export const attendanceMakeups = pgTable(
  "attendance_makeups",
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => classSessions.id, { onDelete: "cascade" }),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    status: makeupStatusEnum().notNull().default("submitted"),
    /** What the cadre says they studied. */
    note: text().notNull().default(""),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
    decisionComment: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("attendance_makeups_one_per_cadre").on(t.sessionId, t.cadreId), index().on(t.cadreId), index().on(t.status)],
);

/**
 * Low attendance: a cadre whose rate over their last N sessions fell below the threshold. One open
 * warning per cadre at most (the partial unique index), so the email goes once; it is resolved when
 * the rate recovers, and a later fall raises a new one.
 */
export const attendanceWarnings = pgTable(
  "attendance_warnings",
  {
    id: id(),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    /** The rate when raised, over `sessions` sessions ending with `lastSessionId`. */
    rate: numeric({ precision: 5, scale: 4, mode: "number" }).notNull(),
    sessions: integer().notNull(),
    lastSessionId: integer().references(() => classSessions.id, { onDelete: "set null" }),
    raisedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("attendance_warnings_one_open").on(t.cadreId).where(sql`${t.resolvedAt} is null`), index().on(t.cadreId)],
);
