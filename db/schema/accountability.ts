import { sql } from "drizzle-orm";
import { check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { bytea, createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { cadres, units } from "./organization";
import { rankingFlags } from "./ranking-meetings";

/**
 * Accountability records (组织处理 / 约谈, DESIGN.md "Accountability records"): what the organization
 * department did about a unit or a cadre — a reminder talk, an admonishment talk, a written inquiry …
 * up to an organizational adjustment — with who held it, when, what was found, the rectification asked
 * for by a deadline and the report that answers it, the follow-up, and who closed it. Some kinds keep
 * a cadre off the promotion shortlists for a period (the effect period, set by the department).
 */

/** 谈话提醒, 约谈, 函询, 批评教育, 责令检查, 诫勉, 组织调整 — the lightest first. */
export const ACCOUNTABILITY_KINDS = [
  "reminder_talk",
  "admonishment_talk",
  "written_inquiry",
  "criticism",
  "ordered_review",
  "admonition",
  "organizational_adjustment",
] as const;
export type AccountabilityKind = (typeof ACCOUNTABILITY_KINDS)[number];

/**
 * What opened the record: a 约谈 flag of the rankings, the department's own initiative, or a confirmed
 * case of the public rating (扫码评议, a later issue; its case id goes in source_ref).
 */
export const ACCOUNTABILITY_SOURCES = ["flag", "initiative", "public_rating"] as const;
export type AccountabilitySource = (typeof ACCOUNTABILITY_SOURCES)[number];

export const ACCOUNTABILITY_SUBJECTS = ["unit", "cadre"] as const;
export type AccountabilitySubject = (typeof ACCOUNTABILITY_SUBJECTS)[number];

export const ACCOUNTABILITY_STATUSES = ["open", "closed"] as const;
export type AccountabilityStatus = (typeof ACCOUNTABILITY_STATUSES)[number];

export const accountabilityKindEnum = pgEnum("accountability_kind", ACCOUNTABILITY_KINDS);
export const accountabilitySourceEnum = pgEnum("accountability_source", ACCOUNTABILITY_SOURCES);
export const accountabilitySubjectEnum = pgEnum("accountability_subject", ACCOUNTABILITY_SUBJECTS);
export const accountabilityStatusEnum = pgEnum("accountability_status", ACCOUNTABILITY_STATUSES);

export const accountabilityRecords = pgTable(
  "accountability_records",
  {
    id: id(),
    subject: accountabilitySubjectEnum().notNull(),
    /** The unit concerned: the subject of a unit record; the cadre's unit when a cadre record was opened. */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    /**
     * The cadre concerned: the subject of a cadre record; for a unit record, the principal held to
     * account (the head talked to), when named. Either way the record counts against this cadre.
     */
    cadreId: integer().references(() => cadres.id),
    kind: accountabilityKindEnum().notNull(),
    source: accountabilitySourceEnum().notNull(),
    /** The 约谈 flag this record answers (one record per flag). */
    flagId: integer().references(() => rankingFlags.id),
    /** The source's own reference when it is not a flag (a public-rating case). */
    sourceRef: text(),
    /** The day of the talk, inquiry or decision: the effect period starts here. */
    heldOn: date({ mode: "string" }).notNull(),
    /** Who held it, as written in the record (names and posts). */
    interviewers: text().notNull(),
    findings: text().notNull(),
    /** The rectification asked for, and by when; null when none is asked. */
    rectification: text(),
    rectificationDue: date({ mode: "string" }),
    reportText: text(),
    reportSubmittedAt: timestamp({ withTimezone: true }),
    reportSubmittedBy: integer().references(() => users.id, { onDelete: "set null" }),
    followUp: text(),
    followedUpAt: timestamp({ withTimezone: true }),
    followedUpBy: integer().references(() => users.id, { onDelete: "set null" }),
    /** The kind's effect period when the record was opened (months; 0: none), and its last day. */
    effectMonths: integer().notNull().default(0),
    effectUntil: date({ mode: "string" }),
    status: accountabilityStatusEnum().notNull().default("open"),
    closedAt: timestamp({ withTimezone: true }),
    closedBy: integer().references(() => users.id, { onDelete: "set null" }),
    closingNote: text(),
    /** A key the opening form carries, so that sending it twice opens one record. */
    requestKey: text(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.unitId),
    index().on(t.cadreId),
    index().on(t.status, t.rectificationDue),
    uniqueIndex("accountability_records_one_per_flag").on(t.flagId).where(sql`${t.flagId} is not null`),
    uniqueIndex("accountability_records_request_key").on(t.requestKey).where(sql`${t.requestKey} is not null`),
    check("accountability_records_cadre_subject", sql`${t.subject} = 'unit' or ${t.cadreId} is not null`),
    check("accountability_records_flag_source", sql`(${t.source} = 'flag') = (${t.flagId} is not null)`),
    check("accountability_records_closed", sql`(${t.status} = 'closed') = (${t.closedAt} is not null)`),
    check("accountability_records_effect", sql`${t.effectMonths} >= 0 and (${t.effectMonths} = 0) = (${t.effectUntil} is null)`),
    check("accountability_records_due", sql`${t.rectificationDue} is null or ${t.rectification} is not null`),
  ],
);

/** The rectification report's files, under the project's attachment rules (type from the bytes, size). */
export const accountabilityAttachments = pgTable(
  "accountability_attachments",
  {
    id: id(),
    recordId: integer()
      .notNull()
      .references(() => accountabilityRecords.id, { onDelete: "cascade" }),
    fileName: text().notNull(),
    contentType: text().notNull(),
    byteSize: integer().notNull(),
    sha256: text().notNull(),
    data: bytea().notNull(),
    uploadedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.recordId, t.sha256)],
);
