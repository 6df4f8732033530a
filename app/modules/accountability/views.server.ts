import { and, desc, eq, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { pendingAccountabilityRequests } from "~/modules/ratings/accountability.server";
import { todayInShanghai } from "~/utils/dates";
import { notFound } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { accountabilityAttachments, accountabilityRecords, cadres, units, users } from "~db/schema";
import type { AccountabilityKind } from "~db/schema/accountability";
import { accessOf } from "./records.server";
import { type AccountabilityCaller, inEffectOn, isAccountabilityAdmin, isOverdue, mayRead, mayReport, stageOf } from "./rules";

/**
 * What the accountability pages read: the list (filtered in the query by who may read what), one
 * record with its report, files and who did each step, and the records about one cadre or unit for
 * their pages.
 */

const subjectCadre = alias(cadres, "subject_cadre");

/** The records the caller may read, as a condition on accountability_records joined with subject_cadre. */
async function readableFilter(db: DbOrTx, caller: AccountabilityCaller): Promise<SQL | undefined> {
  if (isAccountabilityAdmin(caller)) return undefined;
  const { headUnitIds, liaisonUnitIds } = await accessOf(db, caller);
  const ids = (list: number[]) => (list.length ? list : [0]);
  return or(
    caller.cadreId ? eq(accountabilityRecords.cadreId, caller.cadreId) : undefined,
    inArray(accountabilityRecords.unitId, ids(headUnitIds)),
    inArray(subjectCadre.unitId, ids(headUnitIds)),
    and(eq(accountabilityRecords.subject, "unit"), inArray(accountabilityRecords.unitId, ids(liaisonUnitIds))),
  );
}

const listColumns = {
  id: accountabilityRecords.id,
  subject: accountabilityRecords.subject,
  kind: accountabilityRecords.kind,
  source: accountabilityRecords.source,
  unitId: accountabilityRecords.unitId,
  unitName: units.name,
  cadreId: accountabilityRecords.cadreId,
  cadreName: subjectCadre.name,
  heldOn: accountabilityRecords.heldOn,
  rectificationDue: accountabilityRecords.rectificationDue,
  reportSubmittedAt: accountabilityRecords.reportSubmittedAt,
  followedUpAt: accountabilityRecords.followedUpAt,
  effectUntil: accountabilityRecords.effectUntil,
  status: accountabilityRecords.status,
  closedAt: accountabilityRecords.closedAt,
  createdAt: accountabilityRecords.createdAt,
};

type ListRow = Awaited<ReturnType<typeof baseList>>[number];

function baseList(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(listColumns)
    .from(accountabilityRecords)
    .innerJoin(units, eq(units.id, accountabilityRecords.unitId))
    .leftJoin(subjectCadre, eq(subjectCadre.id, accountabilityRecords.cadreId))
    .where(where)
    .orderBy(desc(accountabilityRecords.heldOn), desc(accountabilityRecords.id));
}

function withState(row: ListRow, today: string) {
  return {
    ...row,
    stage: stageOf(row),
    overdue: isOverdue(row, today),
    inEffect: inEffectOn(row, today),
  };
}

export type RecordListRow = ReturnType<typeof withState>;

export interface ListFilter {
  status: "open" | "overdue" | "inEffect" | "closed" | "all";
  kind?: AccountabilityKind;
}

export async function listRecords(db: DbOrTx, caller: AccountabilityCaller, filter: ListFilter, today = todayInShanghai()) {
  const status =
    filter.status === "open" || filter.status === "overdue"
      ? eq(accountabilityRecords.status, "open")
      : filter.status === "closed"
        ? eq(accountabilityRecords.status, "closed")
        : filter.status === "inEffect"
          ? and(
              isNotNull(accountabilityRecords.effectUntil),
              sql`${accountabilityRecords.heldOn} <= ${today}::date and ${accountabilityRecords.effectUntil} >= ${today}::date`,
            )
          : undefined;
  const rows = await baseList(
    db,
    and(await readableFilter(db, caller), status, filter.kind ? eq(accountabilityRecords.kind, filter.kind) : undefined),
  );
  const out = rows.map((r) => withState(r, today));
  return filter.status === "overdue" ? out.filter((r) => r.overdue) : out;
}

/** The records about one cadre (counted against them) or one unit, as far as the caller may read them. */
export async function recordsAbout(
  db: DbOrTx,
  caller: AccountabilityCaller,
  about: { cadreId: number } | { unitId: number },
  today = todayInShanghai(),
) {
  const target = "cadreId" in about ? eq(accountabilityRecords.cadreId, about.cadreId) : eq(accountabilityRecords.unitId, about.unitId);
  const rows = await baseList(db, and(await readableFilter(db, caller), target));
  return rows.map((r) => withState(r, today));
}

/** Names of accounts as people know them: the cadre's name, else the account's name or address. */
async function namesOf(db: DbOrTx, userIds: (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(userIds.filter((id): id is number => id !== null))];
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      id: users.id,
      name: sql<string>`coalesce(${cadres.name}, nullif(${users.displayName}, ''), ${users.email}, '#' || ${users.id})`,
    })
    .from(users)
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One record as the caller may read it (404 otherwise), with what they may do on it. */
export async function recordDetail(db: DbOrTx, caller: AccountabilityCaller, recordId: number, today = todayInShanghai()) {
  const [row] = await db
    .select({
      record: accountabilityRecords,
      unitName: units.name,
      unitCode: units.code,
      cadreName: subjectCadre.name,
      cadreStaffNo: subjectCadre.staffNo,
      cadreUnitId: subjectCadre.unitId,
    })
    .from(accountabilityRecords)
    .innerJoin(units, eq(units.id, accountabilityRecords.unitId))
    .leftJoin(subjectCadre, eq(subjectCadre.id, accountabilityRecords.cadreId))
    .where(eq(accountabilityRecords.id, recordId));
  if (!row) throw notFound();
  const r = row.record;
  const access = await accessOf(db, caller);
  const facts = { subject: r.subject, unitId: r.unitId, cadreId: r.cadreId, cadreUnitId: row.cadreUnitId };
  if (!mayRead(caller, access, facts)) throw notFound();
  const [names, attachments] = await Promise.all([
    namesOf(db, [r.createdBy, r.reportSubmittedBy, r.followedUpBy, r.closedBy]),
    db
      .select({
        id: accountabilityAttachments.id,
        fileName: accountabilityAttachments.fileName,
        contentType: accountabilityAttachments.contentType,
        byteSize: accountabilityAttachments.byteSize,
      })
      .from(accountabilityAttachments)
      .where(eq(accountabilityAttachments.recordId, recordId))
      .orderBy(accountabilityAttachments.id),
  ]);
  const admin = isAccountabilityAdmin(caller);
  const open = r.status === "open";
  const reporter = mayReport(caller, access, facts);
  const name = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  return {
    ...r,
    unitName: row.unitName,
    unitCode: row.unitCode,
    cadreName: row.cadreName,
    cadreStaffNo: row.cadreStaffNo,
    createdByName: name(r.createdBy),
    reportSubmittedByName: name(r.reportSubmittedBy),
    followedUpByName: name(r.followedUpBy),
    closedByName: name(r.closedBy),
    attachments,
    stage: stageOf(r),
    overdue: isOverdue(r, today),
    inEffect: inEffectOn(r, today),
    may: {
      report: open && reporter && r.rectification !== null && !r.followedUpAt,
      followUp: open && admin,
      close: open && admin,
    },
  };
}

export type RecordDetail = Awaited<ReturnType<typeof recordDetail>>;

/** For the department only: the public rating's requests that wait for a record (ratings capability's list). */
export async function pendingRequests(db: DbOrTx, caller: AccountabilityCaller) {
  return isAccountabilityAdmin(caller) ? pendingAccountabilityRequests(db) : [];
}

/**
 * For the home pages (issue 18): the open records the caller may read — the department's all, a head's
 * unit's and its cadres', a liaison's unit's, a cadre's own — overdue first; how many of them wait for a
 * report the caller owes; for the department, how many reports wait for its follow-up and how many of the
 * public rating's requests wait for a record.
 */
export async function openRecordsForHome(db: DbOrTx, caller: AccountabilityCaller, today = todayInShanghai()) {
  const [records, pending, { headUnitIds, liaisonUnitIds }] = await Promise.all([
    listRecords(db, caller, { status: "open" }, today),
    pendingRequests(db, caller),
    accessOf(db, caller),
  ]);
  records.sort((a, b) => Number(b.overdue) - Number(a.overdue));
  const admin = isAccountabilityAdmin(caller);
  const access = { headUnitIds, liaisonUnitIds };
  // Reports the caller owes (a rectification asked, none submitted yet); for the department, reports to follow up.
  const toReport = admin
    ? 0
    : records.filter(
        (r) =>
          r.stage === "awaitingReport" &&
          r.rectificationDue !== null &&
          mayReport(caller, access, { subject: r.subject, unitId: r.unitId, cadreId: r.cadreId, cadreUnitId: null }),
      ).length;
  const toFollowUp = admin ? records.filter((r) => r.stage === "reportSubmitted").length : 0;
  return { records, overdue: records.filter((r) => r.overdue).length, toReport, toFollowUp, pendingRequests: pending.length };
}
