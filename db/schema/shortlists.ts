import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import type { Rank } from "./enums";
import { cadres, units } from "./organization";

/**
 * Promotion shortlists (优先提拔名单, DESIGN.md "Promotion shortlist"). A round is opened by the
 * organization department with optional eligibility rules; unit heads nominate; the department decides
 * each candidate under the quota and publishes the list. A published list changes only by a new version.
 */
export const SHORTLIST_ROUND_STATUSES = ["open", "published"] as const;
export type ShortlistRoundStatus = (typeof SHORTLIST_ROUND_STATUSES)[number];

export const SHORTLIST_DECISIONS = ["shortlisted", "deferred", "rejected"] as const;
export type ShortlistDecision = (typeof SHORTLIST_DECISIONS)[number];

export const shortlistRoundStatusEnum = pgEnum("shortlist_round_status", SHORTLIST_ROUND_STATUSES);
export const shortlistDecisionEnum = pgEnum("shortlist_decision", SHORTLIST_DECISIONS);

/**
 * The eligibility rules of a round, each optional (absent = not applied) and parameterised.
 * Attendance and ranking rules look back over the last `quarters` quarters (published rankings for
 * `topPercent`); training hours are those of `year`.
 */
export interface ShortlistRules {
  minRank?: Rank;
  frontline?: true;
  attendance?: { minRate: number; quarters: number };
  trainingHours?: { year: number };
  topPercent?: { percent: number; quarters: number };
  /** No accountability record open or in effect on the evaluation date. */
  noAccountability?: true;
}

export const shortlistRounds = pgTable(
  "shortlist_rounds",
  {
    id: id(),
    name: text().notNull(),
    description: text().notNull().default(""),
    /** How many candidates may be shortlisted. */
    quota: integer().notNull(),
    /** Nominations close at this instant. */
    deadline: timestamp({ withTimezone: true }).notNull(),
    /**
     * Nominations closed before the deadline by the organization department, with who and why: the only
     * way to publish before the deadline.
     */
    nominationsClosedAt: timestamp({ withTimezone: true }),
    nominationsClosedBy: integer().references(() => users.id, { onDelete: "set null" }),
    nominationsClosedReason: text(),
    rules: jsonb().$type<ShortlistRules>().notNull().default({}),
    status: shortlistRoundStatusEnum().notNull().default("open"),
    /** The latest published version (0 while none). */
    publishedVersion: integer().notNull().default(0),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("shortlist_rounds_quota_positive", sql`${t.quota} > 0`),
    check("shortlist_rounds_name_present", sql`length(trim(${t.name})) > 0`),
    check(
      "shortlist_rounds_closed_early_reason",
      sql`(${t.nominationsClosedAt} is null) = (${t.nominationsClosedReason} is null) and (${t.nominationsClosedReason} is null or length(trim(${t.nominationsClosedReason})) > 0)`,
    ),
  ],
);

/**
 * One candidate of a round: nominated by a unit head (or liaison) of the cadre's unit with a written
 * recommendation, then decided by the organization department. `eligibility` is the evaluation (pass/
 * fail per rule with evidence) at nomination time; a nominee who failed a rule needs `overrideReason`.
 */
export const shortlistNominations = pgTable(
  "shortlist_nominations",
  {
    id: id(),
    roundId: integer()
      .notNull()
      .references(() => shortlistRounds.id, { onDelete: "cascade" }),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    /** The cadre's unit when nominated (the nominating head's unit). */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    recommendation: text().notNull(),
    eligible: boolean().notNull(),
    eligibility: jsonb().notNull(),
    overrideReason: text(),
    nominatedBy: integer().references(() => users.id, { onDelete: "set null" }),
    decision: shortlistDecisionEnum(),
    decisionReason: text(),
    decidedBy: integer().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
    /** A withdrawn nomination stays for the record but is no longer a candidate. */
    withdrawnAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("shortlist_nominations_one_per_cadre").on(t.roundId, t.cadreId),
    index().on(t.unitId),
    index().on(t.cadreId),
    check("shortlist_nominations_override", sql`${t.eligible} or length(trim(coalesce(${t.overrideReason}, ''))) > 0`),
    check("shortlist_nominations_recommendation", sql`length(trim(${t.recommendation})) > 0`),
    check("shortlist_nominations_decision_reason", sql`${t.decision} is null or length(trim(coalesce(${t.decisionReason}, ''))) > 0`),
  ],
);

/**
 * A published list, frozen: every entry with its decision, reason and evidence as shown when published,
 * and a SHA-256 of the entries. Version 1 is the first publication; later versions need a reason.
 */
export const shortlistVersions = pgTable(
  "shortlist_versions",
  {
    id: id(),
    roundId: integer()
      .notNull()
      .references(() => shortlistRounds.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    reason: text(),
    entries: jsonb().notNull(),
    hash: text().notNull(),
    publishedBy: integer().references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("shortlist_versions_round_version").on(t.roundId, t.version),
    check("shortlist_versions_reason", sql`${t.version} = 1 or length(trim(coalesce(${t.reason}, ''))) > 0`),
  ],
);
