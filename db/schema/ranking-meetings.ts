import { sql } from "drizzle-orm";
import { check, date, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { unitKindEnum } from "./enums";
import { cadres, units } from "./organization";
import { flagStatusEnum, meetingRoleEnum, quarterCheck, rankings } from "./rankings";

/**
 * The quarter's ranking meeting (拼搏赶超交流会), generated from a published ranking: its agenda, the
 * commitments of lagging units, and the admonishment flags (约谈) of units at the bottom twice running.
 */

/** The quarter's 拼搏赶超交流会, generated from its published ranking. One per quarter. */
export const rankingMeetings = pgTable(
  "ranking_meetings",
  {
    id: id(),
    quarter: text().notNull().unique(),
    /** The published version the agenda was generated from. */
    rankingId: integer()
      .notNull()
      .references(() => rankings.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    place: text().notNull(),
    /** K: how many units of each peer group present experience, and how many make commitments. */
    agendaSize: integer().notNull(),
    minutes: text().notNull().default(""),
    minutesRecordedAt: timestamp({ withTimezone: true }),
    minutesRecordedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    invitationsSentAt: timestamp({ withTimezone: true }),
    /** Bumped when the time or place changes: calendars replace the event, invitations go again. */
    revision: integer().notNull().default(1),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("ranking_meetings_quarter", quarterCheck(t.quarter)),
    check("ranking_meetings_times", sql`${t.startsAt} < ${t.endsAt}`),
    check("ranking_meetings_agenda_size", sql`${t.agendaSize} between 1 and 20`),
  ],
);

/** One speaker slot of the agenda. Removed slots stay, with who removed them and why. */
export const rankingMeetingItems = pgTable(
  "ranking_meeting_items",
  {
    id: id(),
    meetingId: integer()
      .notNull()
      .references(() => rankingMeetings.id, { onDelete: "cascade" }),
    peerGroup: unitKindEnum().notNull(),
    role: meetingRoleEnum().notNull(),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    /** The unit's rank in the ranking, how many share it (并列), and the size of its peer group. */
    rank: integer(),
    tieSize: integer(),
    groupSize: integer(),
    /** The unit head when the slot was made; the name is kept for the printed agenda. */
    speakerCadreId: integer().references(() => cadres.id, { onDelete: "set null" }),
    speakerName: text(),
    /** Generated from the ranking, or added by hand with a reason. */
    source: text({ enum: ["generated", "added"] }).notNull(),
    reason: text(),
    removedAt: timestamp({ withTimezone: true }),
    removedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    removedReason: text(),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ranking_meeting_items_one_live").on(t.meetingId, t.unitId).where(sql`${t.removedAt} is null`),
    index().on(t.unitId),
    check("ranking_meeting_items_reason", sql`${t.source} = 'generated' or ${t.reason} is not null`),
    check("ranking_meeting_items_removed", sql`(${t.removedAt} is null) = (${t.removedReason} is null)`),
  ],
);

export const COMMITMENT_STATUSES = ["open", "done"] as const;
export const commitmentStatusEnum = pgEnum("ranking_commitment_status", COMMITMENT_STATUSES);

/**
 * A lagging unit's commitment (表态) at the meeting: what, who answers for it (a cadre of the unit),
 * by when, and whether it was done. "Overdue" is not stored: an open commitment past its deadline.
 */
export const rankingCommitments = pgTable(
  "ranking_commitments",
  {
    id: id(),
    meetingId: integer()
      .notNull()
      .references(() => rankingMeetings.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    text: text().notNull(),
    responsibleCadreId: integer().references(() => cadres.id, { onDelete: "set null" }),
    responsibleName: text().notNull(),
    deadline: date({ mode: "string" }).notNull(),
    status: commitmentStatusEnum().notNull().default("open"),
    doneAt: timestamp({ withTimezone: true }),
    doneByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    recordedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("ranking_commitments_one_per_unit").on(t.meetingId, t.unitId),
    index().on(t.responsibleCadreId),
    index().on(t.status, t.deadline),
    check("ranking_commitments_done", sql`(${t.status} = 'done') = (${t.doneAt} is not null)`),
  ],
);

/** Progress on a commitment, in the words of its owner or the organization department; kept, never edited. */
export const rankingCommitmentNotes = pgTable(
  "ranking_commitment_notes",
  {
    id: id(),
    commitmentId: integer()
      .notNull()
      .references(() => rankingCommitments.id, { onDelete: "cascade" }),
    note: text().notNull(),
    /** The note that marked the commitment done (or reopened it). */
    kind: text({ enum: ["progress", "done", "reopened"] })
      .notNull()
      .default("progress"),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.commitmentId)],
);

/**
 * 约谈: a unit in the bottom K of its peer group in two consecutive published quarters. One flag per
 * unit and (second) quarter; resolved with a note.
 */
export const rankingFlags = pgTable(
  "ranking_flags",
  {
    id: id(),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    quarter: text().notNull(),
    previousQuarter: text().notNull(),
    rankingId: integer()
      .notNull()
      .references(() => rankings.id),
    previousRankingId: integer()
      .notNull()
      .references(() => rankings.id),
    peerGroup: unitKindEnum().notNull(),
    rank: integer().notNull(),
    groupSize: integer().notNull(),
    previousRank: integer().notNull(),
    previousGroupSize: integer().notNull(),
    status: flagStatusEnum().notNull().default("open"),
    resolutionNote: text(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("ranking_flags_one_per_quarter").on(t.unitId, t.quarter),
    index("ranking_flags_open").on(t.status, t.quarter),
    check("ranking_flags_quarter", sql`${quarterCheck(t.quarter)} and ${quarterCheck(t.previousQuarter)}`),
    check("ranking_flags_resolved", sql`(${t.status} = 'resolved') = (${t.resolvedAt} is not null)`),
  ],
);
