import { and, asc, count, desc, eq, gte, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import { type Scope, scopeCoversUnit } from "~/modules/auth/roles";
import { notFound } from "~/utils/errors";
import { escapeLike } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { cadres, unitLiaisons, unitMemberships, units, users } from "~db/schema";
import { cadreScopeFilter } from "./access.server";
import { type RosterViewer, rosterFilters, seesOthersRoster, seesRoster } from "./roster.server";
import { CADRE_PAGE_SIZE, type CadreSearchInput } from "./schema";
import { cadreTermHistory } from "./terms.server";
import { unitSubtreeIds } from "./tree.server";
import { unitOptions } from "./units.server";

/**
 * Cadres the caller may see, filtered and paged. `q` matches a name anywhere, a staff number from its
 * start, or pinyin initials from their start (zs finds 张三); an exact staff number comes first.
 */
export async function searchCadres(
  db: DbOrTx,
  scope: Scope,
  filter: Partial<CadreSearchInput>,
  roster: RosterViewer = { all: false, unitIds: [], cadreId: null },
) {
  const where: (SQL | undefined)[] = [cadreScopeFilter(scope), ...rosterFilters(roster, filter)];
  if (filter.unitId) where.push(inArray(cadres.unitId, await unitSubtreeIds(db, [filter.unitId])));
  if (filter.minRank) where.push(gte(cadres.rank, filter.minRank));
  if (filter.rank) where.push(eq(cadres.rank, filter.rank));
  const status = filter.status ?? "active";
  if (status !== "any") where.push(eq(cadres.status, status));

  const q = filter.q?.trim() ?? "";
  let relevance: SQL | undefined;
  if (q) {
    const lower = q.toLowerCase();
    const prefix = `${escapeLike(lower)}%`;
    const staffNoPrefix = sql`lower(${cadres.staffNo}) like ${prefix}`;
    // Initials are letters only; matching "01" against them would find nothing useful.
    const initialsPrefix = /^[a-z]+$/.test(lower) ? sql`${cadres.nameInitials} like ${prefix}` : undefined;
    where.push(or(ilike(cadres.name, `%${escapeLike(q)}%`), staffNoPrefix, initialsPrefix));
    relevance = sql`case
      when lower(${cadres.staffNo}) = ${lower} then 0
      when ${staffNoPrefix} then 1
      when ${cadres.name} = ${q} then 2
      when ${cadres.name} like ${`${escapeLike(q)}%`} ${initialsPrefix ? sql`or ${initialsPrefix}` : sql``} then 3
      else 4 end`;
  }
  const condition = and(...where);
  const page = Math.max(1, filter.page ?? 1);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: cadres.id,
        staffNo: cadres.staffNo,
        name: cadres.name,
        rank: cadres.rank,
        title: cadres.title,
        status: cadres.status,
        unitId: cadres.unitId,
        unitName: units.name,
        gender: cadres.gender,
        birthDate: cadres.birthDate,
        education: cadres.education,
        politicalStatus: cadres.politicalStatus,
        rankSince: cadres.rankSince,
      })
      .from(cadres)
      .innerJoin(units, eq(units.id, cadres.unitId))
      .where(condition)
      .orderBy(...(relevance ? [asc(relevance)] : []), desc(cadres.rank), asc(cadres.staffNo))
      .limit(CADRE_PAGE_SIZE)
      .offset((page - 1) * CADRE_PAGE_SIZE),
    db.select({ n: count() }).from(cadres).where(condition),
  ]);
  const totalCount = total?.n ?? 0;
  return {
    // Personal fields only of the cadres the viewer may see them of.
    rows: rows.map((r) => (seesRoster(roster, { id: r.id, unitId: r.unitId }) ? r : { ...r, ...HIDDEN })),
    total: totalCount,
    page,
    pageCount: Math.max(1, Math.ceil(totalCount / CADRE_PAGE_SIZE)),
  };
}

const HIDDEN = { gender: null, birthDate: null, education: null, politicalStatus: null };

/** The search page: results, the units the caller may filter by, and whether they may filter by roster fields. */
export async function cadreSearchPage(db: DbOrTx, scope: Scope, filter: Partial<CadreSearchInput>, roster: RosterViewer) {
  const [result, units] = await Promise.all([searchCadres(db, scope, filter, roster), unitOptions(db, scope)]);
  return { ...result, units, rosterFilters: seesOthersRoster(roster) };
}

export type AccountStatus = "none" | "enabled" | "disabled";

/**
 * One cadre's record: a cadre sees their own, a unit head or liaison the cadres of their units, the
 * organization department everyone. Anyone else is told it does not exist.
 */
export async function getCadre(
  db: DbOrTx,
  scope: Scope,
  cadreId: number,
  roster: RosterViewer = { all: false, unitIds: [], cadreId: null },
) {
  const [cadre] = await db
    .select({
      id: cadres.id,
      staffNo: cadres.staffNo,
      name: cadres.name,
      rank: cadres.rank,
      title: cadres.title,
      email: cadres.email,
      phone: cadres.phone,
      status: cadres.status,
      unitId: cadres.unitId,
      unitName: units.name,
      unitCode: units.code,
      updatedAt: cadres.updatedAt,
      gender: cadres.gender,
      ethnicity: cadres.ethnicity,
      birthDate: cadres.birthDate,
      nativePlace: cadres.nativePlace,
      politicalStatus: cadres.politicalStatus,
      education: cadres.education,
      degree: cadres.degree,
      workStartDate: cadres.workStartDate,
    })
    .from(cadres)
    .innerJoin(units, eq(units.id, cadres.unitId))
    .where(and(eq(cadres.id, cadreId), cadreScopeFilter(scope)));
  if (!cadre) throw notFound();
  const showsRoster = seesRoster(roster, cadre);
  const { gender, ethnicity, birthDate, nativePlace, politicalStatus, education, degree, workStartDate, ...record } = cadre;

  const [history, [account], headOf, liaisonOf, terms] = await Promise.all([
    db
      .select({
        id: unitMemberships.id,
        unitId: unitMemberships.unitId,
        unitName: units.name,
        unitCode: units.code,
        startDate: unitMemberships.startDate,
        endDate: unitMemberships.endDate,
      })
      .from(unitMemberships)
      .innerJoin(units, eq(units.id, unitMemberships.unitId))
      .where(eq(unitMemberships.cadreId, cadreId))
      // Newest first; the open membership (no end) leads.
      .orderBy(sql`${unitMemberships.endDate} desc nulls first`, sql`${unitMemberships.startDate} desc nulls last`),
    db
      .select({ disabled: users.disabled, mustChangePassword: users.mustChangePassword, lastLoginAt: users.lastLoginAt })
      .from(users)
      .where(eq(users.cadreId, cadreId)),
    db.select({ id: units.id, name: units.name }).from(units).where(eq(units.headCadreId, cadreId)).orderBy(asc(units.code)),
    db
      .select({ id: units.id, name: units.name })
      .from(unitLiaisons)
      .innerJoin(units, eq(units.id, unitLiaisons.unitId))
      .where(eq(unitLiaisons.cadreId, cadreId))
      .orderBy(asc(units.code)),
    cadreTermHistory(db, cadreId),
  ]);
  const openStart = (kind: "rank" | "post") => terms.find((t) => t.kind === kind && t.endDate === null)?.startDate ?? null;
  // Units are linked only where the caller may open them; other names are shown as text.
  const canOpen = (unitId: number) => scopeCoversUnit(scope, unitId);
  return {
    cadre: { ...record, unitVisible: canOpen(cadre.unitId), rankSince: openStart("rank"), postSince: openStart("post") },
    /** The personal roster fields, for those who may see them (rosterViewer); null for anyone else. */
    roster: showsRoster ? { gender, ethnicity, birthDate, nativePlace, politicalStatus, education, degree, workStartDate } : null,
    terms,
    memberships: history.map((m) => ({ ...m, visible: canOpen(m.unitId) })),
    account: {
      status: (account ? (account.disabled ? "disabled" : "enabled") : "none") as AccountStatus,
      mustChangePassword: account?.mustChangePassword ?? false,
      lastLoginAt: account?.lastLoginAt ?? null,
    },
    headOf: headOf.map((u) => ({ ...u, visible: canOpen(u.id) })),
    liaisonOf: liaisonOf.map((u) => ({ ...u, visible: canOpen(u.id) })),
  };
}
