import { and, eq, inArray, isNotNull, lte, or, type SQL, sql } from "drizzle-orm";
import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "~db/client";
import { cadres } from "~db/schema";
import { CPC_CODES } from "~db/schema/roster-codes";
import { yearsBefore } from "./roster";
import type { CadreSearchInput } from "./schema";
import { unitSubtreeIds } from "./tree.server";

/**
 * Who sees a cadre's personal roster fields (性别, 民族, 出生年月, 籍贯, 政治面貌, 学历学位, 参加工作时间):
 * the organization department, the heads of the cadre's unit and the units above it, and the cadre
 * themselves. Not liaisons, not other cadres — though they may see the cadre's record otherwise.
 */
export interface RosterViewer {
  all: boolean;
  /** The units whose cadres' personal fields the viewer sees: the subtrees of the units they head. */
  unitIds: number[];
  cadreId: number | null;
}

export async function rosterViewer(db: DbOrTx, user: Pick<CurrentUser, "roles" | "headOfUnitIds" | "cadreId">): Promise<RosterViewer> {
  const all = hasRole(user, "org_admin");
  return { all, unitIds: all ? [] : await unitSubtreeIds(db, user.headOfUnitIds), cadreId: user.cadreId };
}

export function seesRoster(viewer: RosterViewer, cadre: { id: number; unitId: number }): boolean {
  return viewer.all || viewer.unitIds.includes(cadre.unitId) || viewer.cadreId === cadre.id;
}

/** Whether the viewer sees personal fields of anyone but themselves (and so may filter by them). */
export function seesOthersRoster(viewer: RosterViewer): boolean {
  return viewer.all || viewer.unitIds.length > 0;
}

/** The cadres whose personal fields the viewer sees, as a condition on `cadres`. */
export function rosterScopeFilter(viewer: RosterViewer): SQL | undefined {
  if (viewer.all) return undefined;
  return or(
    viewer.unitIds.length ? inArray(cadres.unitId, viewer.unitIds) : sql`false`,
    viewer.cadreId ? eq(cadres.id, viewer.cadreId) : undefined,
  );
}

/**
 * The cadre list's roster filters, as conditions on `cadres`. Personal ones (gender, age, education,
 * political status) also keep the list to the cadres the viewer may see them of, so that a filter
 * never tells a liaison what it could not read; years in the current rank is career data, open to all
 * who see the list.
 */
export function rosterFilters(viewer: RosterViewer, filter: Partial<CadreSearchInput>, today = todayInShanghai()): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [];
  const personal: (SQL | undefined)[] = [];
  if (filter.gender) personal.push(eq(cadres.gender, filter.gender));
  if (filter.education) personal.push(eq(cadres.education, filter.education));
  if (filter.party === "cpc") personal.push(inArray(cadres.politicalStatus, [...CPC_CODES]));
  else if (filter.party) personal.push(eq(cadres.politicalStatus, filter.party));
  // At least N years old: born on or before the day N years ago; at most N: born after the day N + 1 years ago.
  if (filter.ageMin !== undefined)
    personal.push(and(isNotNull(cadres.birthDate), lte(cadres.birthDate, yearsBefore(today, filter.ageMin))));
  if (filter.ageMax !== undefined)
    personal.push(and(isNotNull(cadres.birthDate), sql`${cadres.birthDate} > ${yearsBefore(today, filter.ageMax + 1)}`));
  if (personal.length) where.push(...personal, rosterScopeFilter(viewer));
  if (filter.rankYears !== undefined) {
    // In the current rank since at least N years ago.
    where.push(and(isNotNull(cadres.rankSince), lte(cadres.rankSince, yearsBefore(today, filter.rankYears))));
  }
  return where;
}
