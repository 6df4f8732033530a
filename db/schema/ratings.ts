import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
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
import { cadres, units } from "./organization";

/**
 * Public rating by QR code (扫码评议): rating points with their public codes, the ratings themselves
 * (kept with their evidence), the follow-up case of every 不满意 (回访), the daily burst flags and the
 * yearly 十差 list. docs/decisions/0015 explains the anti-stuffing design.
 */

/** 态度, 效率, 推诿, 收费, 其他. */
export const RATING_REASONS = ["attitude", "efficiency", "buck_passing", "fees", "other"] as const;
export type RatingReason = (typeof RATING_REASONS)[number];

/** Why a kept rating does not count: the device already rated this point today, or its address is over the limit. */
export const NOT_COUNTED = ["repeat", "address_limit"] as const;
export type NotCounted = (typeof NOT_COUNTED)[number];

/** open → submitted (the unit has called and reported) → closed; `void` when its rating was discounted. */
export const RATING_CASE_STATES = ["open", "submitted", "closed", "void"] as const;
export type RatingCaseState = (typeof RATING_CASE_STATES)[number];

/** 属实, 不属实, 无法核实. */
export const RATING_FINDINGS = ["confirmed", "not_confirmed", "unverifiable"] as const;
export type RatingFinding = (typeof RATING_FINDINGS)[number];

/** How the organization department closed a case: closed, or closed with an accountability record opened. */
export const RATING_CASE_OUTCOMES = ["closed", "accountability"] as const;
export type RatingCaseOutcome = (typeof RATING_CASE_OUTCOMES)[number];

export const BURST_STATUSES = ["open", "kept", "discounted"] as const;
export type BurstStatus = (typeof BURST_STATUSES)[number];

export const TEN_WORST_STATUSES = ["published", "superseded"] as const;

export const ratingReasonEnum = pgEnum("rating_reason", RATING_REASONS);
export const ratingNotCountedEnum = pgEnum("rating_not_counted", NOT_COUNTED);
export const ratingCaseStateEnum = pgEnum("rating_case_state", RATING_CASE_STATES);
export const ratingFindingEnum = pgEnum("rating_finding", RATING_FINDINGS);
export const ratingCaseOutcomeEnum = pgEnum("rating_case_outcome", RATING_CASE_OUTCOMES);
export const ratingBurstStatusEnum = pgEnum("rating_burst_status", BURST_STATUSES);

/**
 * A place where the public rates a unit: the unit itself (its code is the unit's code, kept when the
 * unit's code later changes, so printed posters keep working) or a point the unit adds (a service-hall
 * window, a hotline desk). A retired point keeps its code: its URL says it is no longer in use.
 */
export const ratingPoints = pgTable(
  "rating_points",
  {
    id: id(),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    code: text().notNull().unique(),
    /** Empty for the unit's own point (the page shows the unit's name alone). */
    name: text().notNull().default(""),
    isUnitPoint: boolean().notNull().default(false),
    retiredAt: timestamp({ withTimezone: true }),
    retiredByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    retireReason: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.unitId),
    uniqueIndex("rating_points_one_unit_point").on(t.unitId).where(sql`${t.isUnitPoint}`),
    check("rating_points_code", sql`${t.code} ~ '^[A-Za-z0-9_-]{1,40}$'`),
  ],
);

/**
 * Every rating, counted or not, with its evidence: when, the device (the signed cookie's id) and a
 * keyed hash of the address (the address itself is not kept). No foreign keys: every insert would
 * share-lock its point's and unit's rows, and a burst at one hall would queue on them
 * (docs/decisions/0016); the inserting statement checks the point.
 */
export const publicRatings = pgTable(
  "public_ratings",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    pointId: integer().notNull(),
    unitId: integer().notNull(),
    ratedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The calendar day in Asia/Shanghai: one counted rating per device, point and day. */
    ratedOn: date({ mode: "string" }).notNull(),
    satisfied: boolean().notNull(),
    reasons: ratingReasonEnum().array().notNull().default(sql`'{}'`),
    comment: text(),
    deviceId: text().notNull(),
    addressHash: text().notNull(),
    counted: boolean().notNull(),
    notCounted: ratingNotCountedEnum(),
    /** Set when a reviewer discounts the burst this rating belongs to: it no longer counts. */
    discountedBurstId: integer(),
  },
  (t) => [
    uniqueIndex("public_ratings_one_counted_per_device_day").on(t.pointId, t.deviceId, t.ratedOn).where(sql`${t.counted}`),
    index("public_ratings_address_recent").on(t.pointId, t.addressHash, t.ratedAt),
    index().on(t.unitId, t.ratedOn),
    index().on(t.pointId, t.ratedOn),
    check("public_ratings_counted_reason", sql`${t.counted} = (${t.notCounted} is null)`),
  ],
);

/**
 * The follow-up (回访) of a 不满意: the unit calls, reports what it found and, when confirmed, how it
 * rectified; the organization department closes it or opens an accountability record. The phone is
 * erased 90 days after closing (a scheduled job).
 */
export const ratingCases = pgTable(
  "rating_cases",
  {
    id: id(),
    ratingId: bigint({ mode: "number" }).notNull().unique(),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    pointId: integer().notNull(),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The third working day after the rating's day (China's calendar, 调休 included). */
    dueOn: date({ mode: "string" }).notNull(),
    state: ratingCaseStateEnum().notNull().default("open"),
    phone: text(),
    phoneErasedAt: timestamp({ withTimezone: true }),
    finding: ratingFindingEnum(),
    findingNote: text(),
    rectification: text(),
    submittedAt: timestamp({ withTimezone: true }),
    submittedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    /** The organization department's note when it returned the report to the unit. */
    returnNote: text(),
    outcome: ratingCaseOutcomeEnum(),
    reviewNote: text(),
    closedAt: timestamp({ withTimezone: true }),
    closedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    remindedAt: timestamp({ withTimezone: true }),
    escalatedAt: timestamp({ withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.unitId, t.state),
    index().on(t.state, t.dueOn),
    index().on(t.closedAt).where(sql`${t.phone} is not null`),
    check("rating_cases_closed", sql`(${t.state} in ('closed', 'void')) = (${t.closedAt} is not null)`),
  ],
);

/** Each follow-up call: reached or not, and what was said. */
export const ratingCaseCalls = pgTable(
  "rating_case_calls",
  {
    id: id(),
    caseId: integer()
      .notNull()
      .references(() => ratingCases.id, { onDelete: "cascade" }),
    reached: boolean().notNull(),
    note: text().notNull(),
    calledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    byUserId: integer().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index().on(t.caseId)],
);

/**
 * A day on which a point received far more counted ratings than it usually does: raised by the daily
 * job for review, never used to drop ratings silently. A reviewer keeps the day's ratings or discounts
 * them with a reason (audited).
 */
export const ratingBursts = pgTable(
  "rating_bursts",
  {
    id: id(),
    pointId: integer()
      .notNull()
      .references(() => ratingPoints.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    ratings: integer().notNull(),
    unsatisfied: integer().notNull(),
    /** The point's usual counted ratings per day over the 28 days before. */
    usual: numeric({ precision: 10, scale: 2, mode: "number" }).notNull(),
    devices: integer().notNull(),
    addresses: integer().notNull(),
    status: ratingBurstStatusEnum().notNull().default("open"),
    reviewNote: text(),
    reviewedAt: timestamp({ withTimezone: true }),
    reviewedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [unique("rating_bursts_point_day").on(t.pointId, t.day), index().on(t.status)],
);

/**
 * The year's 十差 list as published: the N units with most confirmed 不满意 cases, ties included, frozen
 * with the reason and a hash of the entries. A correction is a new version; the old one stays readable.
 */
export const ratingTenWorstLists = pgTable(
  "rating_ten_worst_lists",
  {
    id: id(),
    year: integer().notNull(),
    version: integer().notNull(),
    size: integer().notNull(),
    status: text({ enum: TEN_WORST_STATUSES }).notNull().default("published"),
    reason: text().notNull(),
    /** [{ unitId, code, name, kind, confirmed, cases, rank, tied, repeat }] as evaluated at publication. */
    entries: jsonb().notNull(),
    entriesHash: text().notNull(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [unique("rating_ten_worst_year_version").on(t.year, t.version), check("rating_ten_worst_size", sql`${t.size} between 1 and 100`)],
);

/**
 * What the ratings capability asked of accountability (组织处理): a case closed with an accountability
 * record, or a unit on the 十差 list two years running (its head). The single place the accountability
 * records of the defensible-evaluation work are wired in (ratings/accountability.server.ts).
 */
export const ratingAccountabilityRequests = pgTable(
  "rating_accountability_requests",
  {
    id: id(),
    source: text({ enum: ["case", "ten_worst"] }).notNull(),
    caseId: integer().references(() => ratingCases.id, { onDelete: "set null" }),
    tenWorstListId: integer().references(() => ratingTenWorstLists.id, { onDelete: "set null" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    cadreId: integer().references(() => cadres.id, { onDelete: "set null" }),
    note: text().notNull(),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    requestedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    /** Filled when an accountability record exists for this request (at merge with the accountability records). */
    accountabilityRecordId: integer(),
  },
  (t) => [
    uniqueIndex("rating_accountability_one_per_case").on(t.caseId).where(sql`${t.caseId} is not null`),
    uniqueIndex("rating_accountability_one_per_list_unit").on(t.tenWorstListId, t.unitId).where(sql`${t.tenWorstListId} is not null`),
  ],
);
