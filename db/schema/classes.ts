import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { rankEnum } from "./enums";
import { cadres } from "./organization";

/**
 * Night classes (夜课堂): series, sessions, venues, registrations and leave. The attendance capability
 * builds on these keys: a check-in names a session venue (class_session_venues.id), an attendance row
 * belongs to a registration (class_registrations.id, one per cadre and session), and approved leave
 * (class_leave_requests) is what makes a cadre excused.
 */

export const CLASS_SESSION_STATUSES = ["draft", "published", "closed", "cancelled"] as const;
export type ClassSessionStatus = (typeof CLASS_SESSION_STATUSES)[number];

export const REGISTRATION_STATUSES = ["registered", "cancelled"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** How a registration came about: enrolled as mandatory audience, by the cadre, or by the organization department. */
export const REGISTRATION_SOURCES = ["mandatory", "self", "admin"] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];

export const LEAVE_STATUSES = ["pending", "approved", "refused", "withdrawn"] as const;
export type LeaveStatus = (typeof LEAVE_STATUSES)[number];

export const classSessionStatusEnum = pgEnum("class_session_status", CLASS_SESSION_STATUSES);
export const registrationStatusEnum = pgEnum("class_registration_status", REGISTRATION_STATUSES);
export const registrationSourceEnum = pgEnum("class_registration_source", REGISTRATION_SOURCES);
export const leaveStatusEnum = pgEnum("class_leave_status", LEAVE_STATUSES);

/**
 * Who a session is for. Cadres match the rule when they hold at least `minRank` and sit in one of
 * `unitIds` or below (an empty list: any unit); a rule with neither criterion matches nobody, so an
 * audience of named cadres only is possible. `cadreIds` are added, `excludeCadreIds` taken out; only
 * active cadres ever count. Stored as JSON on the series and copied onto each session, so a session's
 * audience can be changed without touching its series.
 */
export interface AudienceRule {
  minRank: (typeof rankEnum.enumValues)[number] | null;
  unitIds: number[];
  cadreIds: number[];
  excludeCadreIds: number[];
}

/**
 * When a series meets. `weekly`: every `intervalWeeks` weeks (counted from the week of the series'
 * start date) on the ISO weekdays listed (1 = Monday … 7 = Sunday). `monthly`: the listed occurrences
 * of one weekday in each month (2 and 4 = "the 2nd and 4th Wednesday"; -1 = the last).
 */
export type Recurrence =
  | { kind: "weekly"; intervalWeeks: number; weekdays: number[] }
  | { kind: "monthly"; weekday: number; weeks: number[] };

export interface MaterialLink {
  label: string;
  url: string;
}

/** Places where cadres watch together. Online viewing is not a venue: a registration without one is online. */
export const classVenues = pgTable(
  "class_venues",
  {
    id: id(),
    name: text().notNull(),
    address: text().notNull().default(""),
    /** Seats offered by default; each session keeps its own copy. */
    capacity: integer().notNull(),
    /** The ranks this venue seats by default (tiered viewing, 分层收看). */
    ranks: rankEnum().array().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("class_venues_name_unique").on(t.name), check("class_venues_capacity", sql`${t.capacity} > 0`)],
);

export const classSeries = pgTable(
  "class_series",
  {
    id: id(),
    title: text().notNull(),
    description: text().notNull().default(""),
    recurrence: jsonb().$type<Recurrence>().notNull(),
    startDate: date({ mode: "string" }).notNull(),
    endDate: date({ mode: "string" }).notNull(),
    /** Wall-clock times in Asia/Shanghai, HH:mm. */
    startTime: text().notNull(),
    endTime: text().notNull(),
    trainingHours: numeric({ precision: 4, scale: 1, mode: "number" }).notNull(),
    /** Registration closes this many hours before each session starts. */
    deadlineHoursBefore: integer().notNull().default(6),
    audience: jsonb().$type<AudienceRule>().notNull(),
    audienceMandatory: boolean().notNull().default(true),
    /** Cadres outside the audience may register themselves. */
    openRegistration: boolean().notNull().default(true),
    liveUrl: text(),
    /** The form's one-time key: submitting the same creation twice makes one series. */
    idempotencyKey: text().unique(),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("class_series_title_unique").on(t.title),
    check("class_series_dates", sql`${t.startDate} <= ${t.endDate}`),
    check("class_series_times", sql`${t.startTime} < ${t.endTime}`),
  ],
);

/** The venues a series' sessions get when they are generated. */
export const classSeriesVenues = pgTable(
  "class_series_venues",
  {
    seriesId: integer()
      .notNull()
      .references(() => classSeries.id, { onDelete: "cascade" }),
    venueId: integer()
      .notNull()
      .references(() => classVenues.id),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.venueId] })],
);

export const classSessions = pgTable(
  "class_sessions",
  {
    id: id(),
    /** Short and unique, as the plan spreadsheet names it (2026-07); used in URLs. */
    code: text().notNull().unique(),
    seriesId: integer().references(() => classSeries.id),
    title: text().notNull(),
    lecturer: text().notNull().default(""),
    lecturerAffiliation: text().notNull().default(""),
    topicTags: text().array().notNull().default(sql`'{}'::text[]`),
    description: text().notNull().default(""),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    registrationDeadline: timestamp({ withTimezone: true }).notNull(),
    liveUrl: text(),
    replayUrl: text(),
    materials: jsonb().$type<MaterialLink[]>().notNull().default([]),
    trainingHours: numeric({ precision: 4, scale: 1, mode: "number" }).notNull(),
    status: classSessionStatusEnum().notNull().default("draft"),
    audience: jsonb().$type<AudienceRule>().notNull(),
    audienceMandatory: boolean().notNull().default(true),
    openRegistration: boolean().notNull().default(true),
    /** Bumped when the time or place changes, so calendars replace the event (iCalendar SEQUENCE). */
    revision: integer().notNull().default(0),
    publishedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    cancelReason: text(),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.startsAt),
    index().on(t.status, t.startsAt),
    // One session per series and start: generating the same dates twice adds nothing.
    uniqueIndex("class_sessions_series_start").on(t.seriesId, t.startsAt),
    check("class_sessions_times", sql`${t.startsAt} < ${t.endsAt}`),
    check("class_sessions_deadline", sql`${t.registrationDeadline} <= ${t.startsAt}`),
    check("class_sessions_hours", sql`${t.trainingHours} >= 0`),
  ],
);

/** A venue as one session uses it: its own capacity and tiers. The check-in key of the attendance capability. */
export const classSessionVenues = pgTable(
  "class_session_venues",
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => classSessions.id, { onDelete: "cascade" }),
    venueId: integer()
      .notNull()
      .references(() => classVenues.id),
    capacity: integer().notNull(),
    ranks: rankEnum().array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // A constraint, not just an index: registrations reference (session_id, venue_id).
    unique("class_session_venues_unique").on(t.sessionId, t.venueId),
    index().on(t.venueId),
    check("class_session_venues_capacity", sql`${t.capacity} > 0`),
  ],
);

/** Who runs a venue at one session (shows the check-in code, marks the roster). */
export const classVenueStaff = pgTable(
  "class_venue_staff",
  {
    sessionVenueId: integer()
      .notNull()
      .references(() => classSessionVenues.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.sessionVenueId, t.userId] }), index().on(t.userId)],
);

/**
 * One row per cadre and session, whatever is clicked twice (the unique index is the guarantee). A
 * registered cadre watches at `venueId`, or online when it is null. Waiting for a full venue does not
 * take the cadre's place away: they keep their current place (online at worst) and `waitlistVenueId`
 * names the venue they wait for, in `waitlistedAt` order.
 */
export const classRegistrations = pgTable(
  "class_registrations",
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => classSessions.id, { onDelete: "cascade" }),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    status: registrationStatusEnum().notNull().default("registered"),
    source: registrationSourceEnum().notNull(),
    venueId: integer(),
    waitlistVenueId: integer(),
    waitlistedAt: timestamp({ withTimezone: true }),
    registeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("class_registrations_one_per_cadre").on(t.sessionId, t.cadreId),
    index().on(t.cadreId),
    index("class_registrations_seats").on(t.sessionId, t.venueId).where(sql`${t.status} = 'registered'`),
    index("class_registrations_waitlist").on(t.sessionId, t.waitlistVenueId, t.waitlistedAt).where(sql`${t.waitlistVenueId} is not null`),
    // A venue named on a registration must be one of that session's venues.
    foreignKey({
      name: "class_registrations_venue_fk",
      columns: [t.sessionId, t.venueId],
      foreignColumns: [classSessionVenues.sessionId, classSessionVenues.venueId],
    }),
    foreignKey({
      name: "class_registrations_waitlist_venue_fk",
      columns: [t.sessionId, t.waitlistVenueId],
      foreignColumns: [classSessionVenues.sessionId, classSessionVenues.venueId],
    }),
    check(
      "class_registrations_waitlist",
      sql`(${t.waitlistVenueId} is null) = (${t.waitlistedAt} is null)
        and (${t.waitlistVenueId} is null or ${t.status} = 'registered')
        and (${t.waitlistVenueId} is null or ${t.waitlistVenueId} is distinct from ${t.venueId})`,
    ),
  ],
);

/** 请假: asked by the cadre before the start, decided by the unit head or liaison. Approved = excused. */
export const classLeaveRequests = pgTable(
  "class_leave_requests",
  {
    id: id(),
    sessionId: integer()
      .notNull()
      .references(() => classSessions.id, { onDelete: "cascade" }),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    reason: text().notNull(),
    status: leaveStatusEnum().notNull().default("pending"),
    requestedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    decidedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
    decisionComment: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // A cadre has at most one live request per session; a refused or withdrawn one may be asked again.
    uniqueIndex("class_leave_requests_live").on(t.sessionId, t.cadreId).where(sql`${t.status} in ('pending', 'approved')`),
    index().on(t.cadreId),
    index("class_leave_requests_pending").on(t.sessionId).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * The secret address of a cadre's calendar feed. The token is stored as it is, unlike session tokens:
 * it only reads the cadre's class times, which sit in the same database, and the page must be able to
 * show the address again. Resetting it replaces the row.
 */
export const classCalendarFeeds = pgTable("class_calendar_feeds", {
  cadreId: integer()
    .primaryKey()
    .references(() => cadres.id, { onDelete: "cascade" }),
  token: text().notNull().unique(),
  createdAt: createdAt(),
});
