import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { cadreStatusEnum, rankEnum, unitKindEnum } from "./enums";
import { DEGREES, EDUCATION_CODES, ETHNICITY_CODES, GENDERS, POLITICAL_STATUS_CODES } from "./roster-codes";

export const genderEnum = pgEnum("cadre_gender", GENDERS);
export const degreeEnum = pgEnum("cadre_degree", DEGREES);
/** What a dated term of a cadre records: their rank, their post title, or their status. */
export const CADRE_TERM_KINDS = ["rank", "post", "status"] as const;
export type CadreTermKind = (typeof CADRE_TERM_KINDS)[number];
export const cadreTermKindEnum = pgEnum("cadre_term_kind", CADRE_TERM_KINDS);

const inList = (column: AnyPgColumn, values: readonly string[]) =>
  sql`${column} is null or ${column} in (${sql.raw(values.map((v) => `'${v}'`).join(", "))})`;

export const units = pgTable(
  "units",
  {
    id: id(),
    code: text().notNull().unique(),
    name: text().notNull(),
    kind: unitKindEnum().notNull(),
    parentId: integer().references((): AnyPgColumn => units.id),
    headCadreId: integer().references((): AnyPgColumn => cadres.id, { onDelete: "set null" }),
    /** Whether the unit's liaisons are copied on the head's weekly digest (the unit chooses). */
    digestCopiesLiaisons: boolean().notNull().default(false),
    /**
     * 参与排名: null follows the default — units directly under the city or county take part, sub-units
     * do not (organization/rules.ts `takesPartInRanking`); true or false is the organization
     * department's choice (the leadership pseudo-unit: false).
     */
    ranked: boolean(),
    /** The peer group the unit is ranked in when not that of its kind (分类考核 by the department's choice). */
    rankingPeerGroup: unitKindEnum(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.parentId), index().on(t.headCadreId), check("units_not_own_parent", sql`${t.parentId} <> ${t.id}`)],
);

export const cadres = pgTable(
  "cadres",
  {
    id: id(),
    staffNo: text().notNull().unique(),
    name: text().notNull(),
    /** Pinyin initials of the name (张三 → zs), for search. */
    nameInitials: text().notNull().default(""),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    rank: rankEnum().notNull(),
    title: text().notNull().default(""),
    email: text(),
    phone: text(),
    status: cadreStatusEnum().notNull().default("active"),
    // The roster (干部花名册) fields: personal data, shown to the organization department and the heads
    // of the cadre's units only, never written to a log. Codes are the national standards' (roster-codes.ts).
    gender: genderEnum(),
    ethnicity: text(),
    /** 出生年月; a roster that gives the month only is read as its first day. */
    birthDate: date({ mode: "string" }),
    nativePlace: text(),
    politicalStatus: text(),
    education: text(),
    degree: degreeEnum(),
    /** 参加工作时间. */
    workStartDate: date({ mode: "string" }),
    // Since when the current rank (任现职级时间), post (任现职务时间) and status hold; null: unknown. What
    // held before is in cadre_terms.
    rankSince: date({ mode: "string" }),
    postSince: date({ mode: "string" }),
    statusSince: date({ mode: "string" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.unitId),
    index().on(t.rank),
    uniqueIndex("cadres_email_lower_unique").on(sql`lower(${t.email})`),
    check("cadres_ethnicity_code", inList(t.ethnicity, ETHNICITY_CODES)),
    check("cadres_political_status_code", inList(t.politicalStatus, POLITICAL_STATUS_CODES)),
    check("cadres_education_code", inList(t.education, EDUCATION_CODES)),
  ],
);

/**
 * What a cadre's rank, post title and status were before (任职经历): one row per ended term, so that
 * "on that date" rules (rank bands of quotas, audiences, rankings) read the value of the day, not
 * today's. The term running now is the cadre's own row (rank and rank_since …); a change ends it here.
 * Like unit memberships: start_date null means "since before records began"; end_date is exclusive.
 */
export const cadreTerms = pgTable(
  "cadre_terms",
  {
    id: id(),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    kind: cadreTermKindEnum().notNull(),
    rank: rankEnum(),
    title: text(),
    status: cadreStatusEnum(),
    startDate: date({ mode: "string" }),
    endDate: date({ mode: "string" }).notNull(),
    /** Where the term comes from: import, edit, seed, or audit (rebuilt from the audit log once). */
    source: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("cadre_terms_by_cadre").on(t.cadreId, t.kind, t.endDate),
    // "On that date" rules look for the terms that ended after a day.
    index("cadre_terms_ended").on(t.kind, t.endDate, t.cadreId),
    check("cadre_terms_dates", sql`${t.startDate} is null or ${t.startDate} < ${t.endDate}`),
    check(
      "cadre_terms_value",
      sql`(${t.kind} = 'rank') = (${t.rank} is not null) and (${t.kind} = 'post') = (${t.title} is not null) and (${t.kind} = 'status') = (${t.status} is not null)`,
    ),
  ],
);

/**
 * Which unit a cadre belonged to on which dates, so that past figures stay with the unit of the day.
 * start_date null means "since before records began"; end_date null means "still there".
 * end_date is exclusive: a transfer on D closes the old membership at D and opens the new one at D.
 */
export const unitMemberships = pgTable(
  "unit_memberships",
  {
    id: id(),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    startDate: date({ mode: "string" }),
    endDate: date({ mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.cadreId),
    index().on(t.unitId),
    uniqueIndex("unit_memberships_one_open").on(t.cadreId).where(sql`${t.endDate} is null`),
    check("unit_memberships_dates", sql`${t.startDate} is null or ${t.endDate} is null or ${t.startDate} < ${t.endDate}`),
  ],
);

export const unitLiaisons = pgTable(
  "unit_liaisons",
  {
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    cadreId: integer()
      .notNull()
      .references(() => cadres.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.cadreId] }), index().on(t.cadreId)],
);
