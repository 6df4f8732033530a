import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  doublePrecision,
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
import { rankEnum, unitKindEnum } from "./enums";
import { importBatches } from "./imports";
import { cadres, units } from "./organization";

/**
 * Quarterly rankings (季度排名); the ranking meeting (拼搏赶超交流会) and its flags are in
 * ranking-meetings.ts.
 *
 * A ranking row holds the inputs of the quarter as they were frozen (per cadre and per unit: the raw
 * counts, hours, days, grades, ratings and the unit each cadre belonged to on the quarter's last day)
 * and the results computed from those columns alone. Publishing freezes them with the model version
 * and a hash of the inputs, so a published ranking can be recomputed from its own rows and gives the
 * same result, whatever happened to the live data since. The rows deliberately hold no foreign keys to
 * cadres or units: deleting a cadre must not change a published ranking.
 *
 * At province scale a quarter writes 100,000 cadre rows in one statement, so inputs and results share
 * a row and the tables carry their primary key and nothing else: a foreign key to `rankings` is a
 * trigger per row, and each secondary index cost about as much as the insert itself
 * (bench/ranking.ts; the second rankings migration). Their rows are written and deleted only by
 * compute.server.ts; the pages read one ranking at a time through the primary key's ranking_id prefix.
 */

export const RANKING_STATUSES = ["draft", "published", "superseded"] as const;
export type RankingStatus = (typeof RANKING_STATUSES)[number];

/** 平时考核 grades, best first. */
export const ASSESSMENT_GRADES = ["good", "fairly_good", "average", "poor"] as const;
export type AssessmentGrade = (typeof ASSESSMENT_GRADES)[number];

export const RANKING_BANDS = ["leading", "section", "staff"] as const;
export type RankingBand = (typeof RANKING_BANDS)[number];

/** Experience presentation (介绍经验) or commitment statement (表态发言). */
export const MEETING_ROLES = ["experience", "commitment"] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];

export const FLAG_STATUSES = ["open", "resolved"] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export const rankingStatusEnum = pgEnum("ranking_status", RANKING_STATUSES);
export const assessmentGradeEnum = pgEnum("assessment_grade", ASSESSMENT_GRADES);
export const rankBandEnum = pgEnum("rank_band", RANKING_BANDS);
export const meetingRoleEnum = pgEnum("ranking_meeting_role", MEETING_ROLES);
export const flagStatusEnum = pgEnum("ranking_flag_status", FLAG_STATUSES);

/** A quarter as the organization department writes it: 2026Q3. */
export const quarterCheck = (column: AnyPgColumn) => sql`${column} ~ '^[0-9]{4}Q[1-4]$'`;

/**
 * The scoring model of a year. Every edit is a new version (never an update), so a ranking names the
 * exact weights and parameters it was computed with.
 */
export const rankingModels = pgTable(
  "ranking_models",
  {
    id: id(),
    year: integer().notNull(),
    version: integer().notNull(),
    /** Indicator → weight, in the model's order (jsonb keeps the object; the order lives in the code). */
    cadreWeights: jsonb().$type<Record<string, number>>().notNull(),
    unitWeights: jsonb().$type<Record<string, number>>().notNull(),
    /** Late weight, grade values, agenda size K, assessment deadline (see app/modules/rankings/model.ts). */
    params: jsonb().$type<Record<string, unknown>>().notNull(),
    reason: text(),
    createdByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [unique("ranking_models_year_version").on(t.year, t.version), check("ranking_models_version", sql`${t.version} >= 1`)],
);

/**
 * One version of a quarter's ranking. At most one draft and one published version per quarter; a
 * correction is a new version whose publication marks the previous one superseded.
 */
export const rankings = pgTable(
  "rankings",
  {
    id: id(),
    quarter: text().notNull(),
    version: integer().notNull(),
    status: rankingStatusEnum().notNull().default("draft"),
    modelId: integer()
      .notNull()
      .references(() => rankingModels.id),
    /** SHA-256 (hex) of the canonical text of the frozen inputs and the model. */
    inputsHash: text(),
    cadreCount: integer().notNull().default(0),
    unitCount: integer().notNull().default(0),
    /** Why this version replaces the published one; required for every version after a publication. */
    correctionReason: text(),
    computedAt: timestamp({ withTimezone: true }),
    computedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp({ withTimezone: true }),
    publishedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    supersededAt: timestamp({ withTimezone: true }),
    supersededByRankingId: integer().references((): AnyPgColumn => rankings.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("rankings_quarter_version").on(t.quarter, t.version),
    uniqueIndex("rankings_one_draft").on(t.quarter).where(sql`${t.status} = 'draft'`),
    uniqueIndex("rankings_one_published").on(t.quarter).where(sql`${t.status} = 'published'`),
    check("rankings_quarter", quarterCheck(t.quarter)),
    check("rankings_published", sql`${t.status} = 'draft' or (${t.publishedAt} is not null and ${t.inputsHash} is not null)`),
    check("rankings_superseded", sql`(${t.status} = 'superseded') = (${t.supersededAt} is not null)`),
  ],
);

const counts = () => ({
  enrolled: integer().notNull().default(0),
  present: integer().notNull().default(0),
  late: integer().notNull().default(0),
  excused: integer().notNull().default(0),
});

/**
 * The explanation of one indicator: raw numerator and denominator (exact), the value in [0, 1] (null:
 * not applicable), the weight used after rescaling over the applicable indicators, and the
 * contribution to the score in points. The last three are for reading only (double precision): the
 * score itself is computed from exact ratios in the same statement.
 */
function indicator<P extends string>(prefix: P) {
  const exact = () => numeric({ mode: "number" });
  const shown = () => doublePrecision();
  return {
    [`${prefix}Num`]: exact(),
    [`${prefix}Den`]: exact(),
    [`${prefix}Value`]: shown(),
    [`${prefix}Weight`]: shown(),
    [`${prefix}Contribution`]: shown(),
  } as Record<`${P}${"Num" | "Den"}`, ReturnType<typeof exact>> &
    Record<`${P}${"Value" | "Weight" | "Contribution"}`, ReturnType<typeof shown>>;
}

/**
 * One cadre in one ranking: the frozen inputs (who, where, band, raw figures of the quarter) and,
 * computed from those alone, the score, rank and the explanation of every indicator.
 */
export const rankingCadreResults = pgTable(
  "ranking_cadre_results",
  {
    rankingId: integer().notNull(),
    cadreId: integer().notNull(),
    staffNo: text().notNull(),
    name: text().notNull(),
    /** The unit on the quarter's last day: the cadre counts as its member. */
    unitId: integer().notNull(),
    /** The rank (职级) on the quarter's last day, and its band (the cadre's peer group). */
    cadreRank: rankEnum().notNull(),
    band: rankBandEnum().notNull(),
    ...counts(),
    /** Hours earned in the quarter (attendance and confirmed make-up study). */
    hoursEarned: numeric({ mode: "number" }).notNull().default(0),
    /** The part of hoursEarned that came from confirmed make-up study (补学). */
    hoursMakeup: numeric({ mode: "number" }).notNull().default(0),
    /** The yearly requirement of the band ÷ 4. */
    hoursRequired: numeric({ mode: "number" }).notNull().default(0),
    frontlineDays: integer().notNull().default(0),
    /** The monthly quota of the band × 3; 0 means no quota. */
    frontlineQuota: integer().notNull().default(0),
    grade: assessmentGradeEnum(),
    /** Null: no applicable indicator, not ranked. */
    score: numeric({ precision: 9, scale: 4, mode: "number" }),
    /** Place in the band: competition ranking (1, 2, 2, 4), rows equal on score and attendance share it (并列). */
    rank: integer(),
    /** How many rows of the band share this rank (1: not tied); null when not ranked. */
    tieSize: integer(),
    ...indicator("attendance"),
    ...indicator("training"),
    ...indicator("frontline"),
    ...indicator("assessment"),
  },
  (t) => [primaryKey({ columns: [t.rankingId, t.cadreId] })],
);

/**
 * One unit in one ranking: the frozen inputs (attendance and frontline days attributed to it by date,
 * ratings) and the results. Members are the ranking's cadres whose unit it was on the last day.
 */
export const rankingUnitResults = pgTable(
  "ranking_unit_results",
  {
    rankingId: integer().notNull(),
    unitId: integer().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    /** The peer group: the unit's kind, or the group the department ranks it in. */
    peerGroup: unitKindEnum().notNull(),
    /** 参与排名 on the day of computing: a unit left out is frozen with its figures but never scored or ranked. */
    participates: boolean().notNull().default(true),
    ...counts(),
    frontlineDays: integer().notNull().default(0),
    satisfied: integer().notNull().default(0),
    unsatisfied: integer().notNull().default(0),
    score: numeric({ precision: 9, scale: 4, mode: "number" }),
    /** Place in the peer group, shared by rows equal on score and attendance (as for cadres). */
    rank: integer(),
    tieSize: integer(),
    /** Members on the quarter's last day, and those of deputy-section rank or above. */
    members: integer().notNull(),
    membersSectionUp: integer().notNull(),
    /** Frontline days per member before the min–max normalisation, and the peer group's bounds. */
    frontlineRaw: doublePrecision(),
    frontlineMin: doublePrecision(),
    frontlineMax: doublePrecision(),
    ...indicator("attendance"),
    ...indicator("training"),
    ...indicator("frontline"),
    ...indicator("satisfaction"),
  },
  (t) => [primaryKey({ columns: [t.rankingId, t.unitId] })],
);

/** 平时考核: the unit head's grade of a cadre for a quarter. One per cadre and quarter. */
export const rankingAssessments = pgTable(
  "ranking_assessments",
  {
    id: id(),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    quarter: text().notNull(),
    grade: assessmentGradeEnum().notNull(),
    comment: text().notNull().default(""),
    /** The unit the cadre was graded in. */
    unitId: integer().references(() => units.id, { onDelete: "set null" }),
    gradedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    source: text({ enum: ["app", "import"] })
      .notNull()
      .default("app"),
    importBatchId: integer().references(() => importBatches.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("ranking_assessments_one_per_quarter").on(t.cadreId, t.quarter),
    index().on(t.quarter, t.unitId),
    check("ranking_assessments_quarter", quarterCheck(t.quarter)),
  ],
);

/**
 * Public satisfaction (群众点评) per unit and day, as imported from the rating platform. A public rating
 * page (a later issue) will add to the same counts.
 */
export const satisfactionRatings = pgTable(
  "satisfaction_ratings",
  {
    id: id(),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    date: date({ mode: "string" }).notNull(),
    satisfied: integer().notNull(),
    unsatisfied: integer().notNull(),
    importBatchId: integer().references(() => importBatches.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("satisfaction_ratings_unit_date").on(t.unitId, t.date),
    index().on(t.date),
    check("satisfaction_ratings_counts", sql`${t.satisfied} >= 0 and ${t.unsatisfied} >= 0`),
  ],
);
