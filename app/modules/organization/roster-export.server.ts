import type { Writable } from "node:stream";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { Scope } from "~/modules/auth/roles";
import { CADRE_COLUMNS } from "~/modules/imports/cadres";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, unitMemberships, units } from "~db/schema";
import { EDUCATIONS, ETHNICITIES, POLITICAL_STATUSES } from "~db/schema/roster-codes";
import { cadreScopeFilter } from "./access.server";
import { type RosterViewer, rosterFilters, rosterScopeFilter } from "./roster.server";
import type { CadreSearchInput } from "./schema";
import { unitSubtreeIds } from "./tree.server";

/**
 * The roster (干部花名册) as an .xlsx with the import's own columns, so that a department can export,
 * correct in Excel and import the same file back. Only cadres whose personal fields the reader may see
 * (rosterViewer); written a page of rows at a time, as a stream, however large the province.
 */

const RANK_WORDS: Record<string, string> = {
  staff: "科员",
  deputy_section: "副科级",
  section: "正科级",
  deputy_county: "副县级",
  county: "正县级",
  deputy_bureau: "副厅级",
  bureau: "正厅级",
};
const name = (list: readonly (readonly string[])[]) => new Map(list.map((e) => [e[0]!, e[1]!]));
const ETHNICITY = name(ETHNICITIES);
const POLITICAL = name(POLITICAL_STATUSES);
const EDUCATION = name(EDUCATIONS);
const DEGREE: Record<string, string> = { doctor: "博士", master: "硕士", bachelor: "学士" };
const GENDER: Record<string, string> = { male: "男", female: "女" };

/** The exported columns: the import's, but one column each for 学历 and 学位. */
const COLUMNS = CADRE_COLUMNS.filter((c) => c.field !== "educationDegree");
const PAGE = 5000;

export async function writeRosterWorkbook(
  db: DbOrTx,
  scope: Scope,
  roster: RosterViewer,
  filter: Partial<CadreSearchInput>,
  out: Writable,
): Promise<number> {
  const where: (SQL | undefined)[] = [cadreScopeFilter(scope), rosterScopeFilter(roster), ...rosterFilters(roster, filter)];
  if (filter.unitId) where.push(sql`${cadres.unitId} in ${idList(await unitSubtreeIds(db, [filter.unitId]))}`);
  if (filter.rank) where.push(eq(cadres.rank, filter.rank));
  if (filter.minRank) where.push(sql`${cadres.rank} >= ${filter.minRank}::cadre_rank`);
  if (filter.status && filter.status !== "any") where.push(eq(cadres.status, filter.status));

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet("干部花名册", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.zh, key: c.field, width: Math.max(10, c.zh.length * 2 + 4) }));
  sheet.getRow(1).font = { bold: true };
  let after = "";
  let count = 0;
  while (true) {
    const rows = await db
      .select({
        staffNo: cadres.staffNo,
        name: cadres.name,
        unitCode: units.code,
        unitName: units.name,
        rank: cadres.rank,
        title: cadres.title,
        email: cadres.email,
        phone: cadres.phone,
        isHead: sql<boolean>`coalesce(${units.headCadreId} = ${cadres.id}, false)`,
        since: unitMemberships.startDate,
        gender: cadres.gender,
        ethnicity: cadres.ethnicity,
        birthDate: cadres.birthDate,
        nativePlace: cadres.nativePlace,
        politicalStatus: cadres.politicalStatus,
        education: cadres.education,
        degree: cadres.degree,
        workStartDate: cadres.workStartDate,
        postSince: cadres.postSince,
        rankSince: cadres.rankSince,
      })
      .from(cadres)
      .innerJoin(units, eq(units.id, cadres.unitId))
      .leftJoin(unitMemberships, and(eq(unitMemberships.cadreId, cadres.id), sql`${unitMemberships.endDate} is null`))
      .where(and(...where, gt(cadres.staffNo, after)))
      .orderBy(asc(cadres.staffNo))
      .limit(PAGE);
    for (const r of rows) {
      sheet
        .addRow({
          ...r,
          rank: RANK_WORDS[r.rank] ?? r.rank,
          isHead: r.isHead ? "是" : "否",
          gender: r.gender ? GENDER[r.gender] : "",
          ethnicity: r.ethnicity ? ETHNICITY.get(r.ethnicity) : "",
          politicalStatus: r.politicalStatus ? POLITICAL.get(r.politicalStatus) : "",
          education: r.education ? EDUCATION.get(r.education) : "",
          degree: r.degree ? DEGREE[r.degree] : "",
        })
        .commit();
    }
    count += rows.length;
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.staffNo;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
