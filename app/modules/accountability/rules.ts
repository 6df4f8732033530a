import { type CurrentUser, hasRole } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import {
  ACCOUNTABILITY_KINDS,
  type AccountabilityKind,
  type AccountabilityStatus,
  type AccountabilitySubject,
} from "~db/schema/accountability";

/**
 * The accountability records' rules as plain functions: the effect periods, when a record is open or
 * in effect on a date (what the shortlists ask), its stage and whether its rectification is overdue,
 * the reminder due on a day, and who may read or act on it.
 */

export { ACCOUNTABILITY_KINDS, type AccountabilityKind };

/**
 * The effect periods by default, in months, as organization departments practise 《干部选拔任用工作条例》:
 * 诫勉 keeps a cadre from promotion for six months, 组织调整 for twelve; the lighter kinds for none.
 * The department may set others (settings.server.ts); a record keeps the period it was opened with.
 */
export const DEFAULT_EFFECT_MONTHS: Record<AccountabilityKind, number> = {
  reminder_talk: 0,
  admonishment_talk: 0,
  written_inquiry: 0,
  criticism: 0,
  ordered_review: 0,
  admonition: 6,
  organizational_adjustment: 12,
};

export const MAX_EFFECT_MONTHS = 60;

/** A calendar date plus whole months, the day clamped to the month's end (08-31 + 6 months = 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The last day a record is in effect: the day before the same date `months` later; null for no period. */
export function effectUntil(heldOn: string, months: number): string | null {
  if (months <= 0) return null;
  const end = new Date(`${addMonths(heldOn, months)}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export interface RecordDates {
  status: AccountabilityStatus;
  heldOn: string;
  effectUntil: string | null;
  createdAt: Date | string;
  closedAt: Date | string | null;
}

/** In effect on a date: from the day it was held to the last day of its effect period, closed or not. */
export function inEffectOn(record: Pick<RecordDates, "heldOn" | "effectUntil">, date: string): boolean {
  return record.effectUntil !== null && record.heldOn <= date && date <= record.effectUntil;
}

/** Open on a date: opened on or before it (Shanghai) and not closed by the end of it. */
export function openOn(record: Pick<RecordDates, "createdAt" | "closedAt">, date: string): boolean {
  const opened = todayInShanghai(new Date(record.createdAt));
  const closed = record.closedAt ? todayInShanghai(new Date(record.closedAt)) : null;
  return opened <= date && (closed === null || closed > date);
}

/** Why a record stands against a cadre on a date, or null when it does not. */
export function standsAgainst(record: RecordDates, date: string): "open" | "inEffect" | null {
  if (openOn(record, date)) return "open";
  if (inEffectOn(record, date)) return "inEffect";
  return null;
}

export type Stage = "awaitingReport" | "reportSubmitted" | "followedUp" | "closed";

export function stageOf(record: { status: AccountabilityStatus; reportSubmittedAt: unknown; followedUpAt: unknown }): Stage {
  if (record.status === "closed") return "closed";
  if (record.followedUpAt) return "followedUp";
  if (record.reportSubmittedAt) return "reportSubmitted";
  return "awaitingReport";
}

/** Open, a rectification due before today, and no report yet. */
export function isOverdue(
  record: { status: AccountabilityStatus; rectificationDue: string | null; reportSubmittedAt: unknown },
  today: string,
): boolean {
  return record.status === "open" && record.rectificationDue !== null && !record.reportSubmittedAt && record.rectificationDue < today;
}

/** How many days before the rectification deadline the first reminder goes. */
export const REMINDER_DAYS_BEFORE = 3;

/**
 * The reminder a record is due on a day: "before" from three days ahead until the deadline, "due" from
 * the deadline on, while it is open without a report. Each is sent once (the outbox key), so a day the
 * job did not run is made up the next.
 */
export function reminderDue(
  record: { status: AccountabilityStatus; rectificationDue: string | null; reportSubmittedAt: unknown },
  today: string,
): "before" | "due" | null {
  if (record.status !== "open" || !record.rectificationDue || record.reportSubmittedAt) return null;
  if (today >= record.rectificationDue) return "due";
  const first = new Date(`${record.rectificationDue}T00:00:00Z`);
  first.setUTCDate(first.getUTCDate() - REMINDER_DAYS_BEFORE);
  return today >= first.toISOString().slice(0, 10) ? "before" : null;
}

// ---------------------------------------------------------------------------------------------------
// Who

export type AccountabilityCaller = Pick<CurrentUser, "id" | "roles" | "scope" | "cadreId" | "headOfUnitIds" | "liaisonOfUnitIds">;

/** The organization department opens, follows up and closes records, and reads them all. */
export function isAccountabilityAdmin(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "org_admin");
}

export interface RecordFacts {
  subject: AccountabilitySubject;
  unitId: number;
  cadreId: number | null;
  /** The unit the cadre is in now (after a transfer, its head reads the cadre's records too). */
  cadreUnitId?: number | null;
}

/**
 * Who reads a record besides the department: the cadre it counts against; the heads of its unit (and
 * of the units above), for unit and cadre records alike, and of the unit the cadre is in now; liaisons of its unit, for unit records only
 * (they prepare the unit's rectification report, not a colleague's file). `headUnitIds` are the
 * subtrees the caller heads; `liaisonUnitIds` those they liaise for.
 */
export function mayRead(
  caller: Pick<AccountabilityCaller, "roles" | "cadreId">,
  access: { headUnitIds: readonly number[]; liaisonUnitIds: readonly number[] },
  record: RecordFacts,
): boolean {
  if (isAccountabilityAdmin(caller)) return true;
  if (record.cadreId !== null && record.cadreId === caller.cadreId) return true;
  if (access.headUnitIds.includes(record.unitId)) return true;
  if (record.cadreUnitId != null && access.headUnitIds.includes(record.cadreUnitId)) return true;
  return record.subject === "unit" && access.liaisonUnitIds.includes(record.unitId);
}

/**
 * Who submits the rectification report: for a unit record its heads and liaisons (or the principal
 * named), for a cadre record the cadre; the department may record it on their behalf.
 */
export function mayReport(
  caller: Pick<AccountabilityCaller, "roles" | "cadreId">,
  access: { headUnitIds: readonly number[]; liaisonUnitIds: readonly number[] },
  record: RecordFacts,
): boolean {
  if (isAccountabilityAdmin(caller)) return true;
  if (record.cadreId !== null && record.cadreId === caller.cadreId) return true;
  return record.subject === "unit" && (access.headUnitIds.includes(record.unitId) || access.liaisonUnitIds.includes(record.unitId));
}
