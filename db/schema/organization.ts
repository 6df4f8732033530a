import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, check, date, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { cadreStatusEnum, rankEnum, unitKindEnum } from "./enums";

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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.unitId), index().on(t.rank), uniqueIndex("cadres_email_lower_unique").on(sql`lower(${t.email})`)],
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
