import { eq, sql } from "drizzle-orm";
import { type CurrentUser, hasRole, scopeCoversUnit } from "~/modules/auth/roles";
import { forbidden, notFound } from "~/utils/errors";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { MakeupStatus } from "~db/schema/attendance";
import type { Rank, UnitKind } from "~db/schema/enums";
import { units } from "~db/schema/index";
import type { AttendanceRules } from "../rules";
import {
  attributedRowsSql,
  cadreAttendanceRates,
  organizationAttendance,
  type Period,
  type RateRow,
  sessionAttendanceRates,
  trainingHoursLedger,
  unitAttendanceRates,
} from "./figures.server";

export type ReportCaller = Pick<CurrentUser, "id" | "roles" | "scope">;

/** Heads, liaisons and the organization department read unit reports; cadres and venue staff do not. */
export function mayReadUnits(caller: Pick<CurrentUser, "roles">): boolean {
  return hasRole(caller, "org_admin", "unit_head", "unit_liaison");
}

export interface UnitCadreRow extends RateRow {
  cadreId: number;
  staffNo: string;
  name: string;
  rank: Rank;
  unitName: string;
  earned: number;
  required: number;
  flagged: boolean;
}

export interface MissedRow {
  cadreId: number;
  name: string;
  staffNo: string;
  unitName: string;
  code: string;
  title: string;
  startsAt: string;
}

export interface PendingMakeup {
  id: number;
  cadreId: number;
  name: string;
  code: string;
  title: string;
  startsAt: string;
  note: string;
  submittedAt: string;
  replayUrl: string | null;
}

/**
 * A unit with its sub-units over a period: the rate, each cadre's figures (rows credited to the unit
 * for the time the cadre was there), who missed what, the session trend, cadres flagged for low
 * attendance, and make-up study waiting for confirmation. 403 for roles without unit reports, 404 for a
 * unit outside the caller's scope.
 */
export async function unitReport(db: DbOrTx, caller: ReportCaller, unitId: number, options: { period: Period; rules: AttendanceRules }) {
  if (!mayReadUnits(caller)) throw forbidden();
  if (!scopeCoversUnit(caller.scope, unitId)) throw notFound();
  const [unit] = await db.select({ id: units.id, name: units.name, code: units.code }).from(units).where(eq(units.id, unitId));
  if (!unit) throw notFound();
  const w = options.rules.lateWeight;
  const year = Number(options.period.from.slice(0, 4));
  const [rates, byCadre, trend, missed, flagged, makeups] = await Promise.all([
    unitAttendanceRates(db, options.period, { lateWeight: w, unitIds: [unitId] }),
    cadreAttendanceRates(db, options.period, { lateWeight: w, unitIds: [unitId] }),
    sessionAttendanceRates(db, options.period, { lateWeight: w, unitId }),
    missedSessions(db, options.period, unitId),
    flaggedCadres(db, unitId),
    pendingMakeups(db, unitId),
  ]);
  const cadreIds = [...new Set([...byCadre.keys(), ...flagged.map((f) => f.cadreId)])];
  const [people, hours] = await Promise.all([cadreFacts(db, cadreIds), trainingHoursLedger(db, year, { rules: options.rules, cadreIds })]);
  const flaggedIds = new Set(flagged.map((f) => f.cadreId));
  const cadreRows: UnitCadreRow[] = cadreIds
    .map((id) => {
      const p = people.get(id)!;
      const r = byCadre.get(id) ?? { enrolled: 0, present: 0, late: 0, excused: 0, absent: 0, rate: null };
      const h = hours.get(id);
      return { cadreId: id, ...p, ...r, earned: h?.earned ?? 0, required: h?.required ?? 0, flagged: flaggedIds.has(id) };
    })
    .filter((r) => r.name !== undefined)
    .sort((a, b) => Number(b.flagged) - Number(a.flagged) || (a.rate ?? 2) - (b.rate ?? 2) || a.name.localeCompare(b.name, "zh-CN"));
  return {
    unit,
    year,
    total: rates.get(unitId)?.rolled ?? { enrolled: 0, present: 0, late: 0, excused: 0, absent: 0, rate: null },
    cadres: cadreRows,
    trend,
    missed,
    flagged,
    makeups,
  };
}

export type UnitReport = Awaited<ReturnType<typeof unitReport>>;

async function cadreFacts(db: DbOrTx, cadreIds: number[]) {
  if (!cadreIds.length) return new Map<number, { staffNo: string; name: string; rank: Rank; unitName: string }>();
  const rows = await db.execute<{ id: number; staff_no: string; name: string; rank: Rank; unit_name: string }>(sql`
    select c.id, c.staff_no, c.name, c.rank, u.name as unit_name from cadres c join units u on u.id = c.unit_id
    where c.id in ${idList(cadreIds)}`);
  return new Map(rows.map((r) => [Number(r.id), { staffNo: r.staff_no, name: r.name, rank: r.rank, unitName: r.unit_name }]));
}

/** Absences credited to the unit and its sub-units in the period, newest first. */
async function missedSessions(db: DbOrTx, period: Period, unitId: number): Promise<MissedRow[]> {
  const rows = await db.execute<{
    cadre_id: number;
    name: string;
    staff_no: string;
    unit_name: string;
    code: string;
    title: string;
    starts_at: string;
  }>(sql`
    with recursive t(id) as (select ${unitId}::int union select u.id from units u join t on u.parent_id = t.id)
    select x.cadre_id, c.name, c.staff_no, u.name as unit_name, s.code, s.title, to_json(s.starts_at) #>> '{}' as starts_at
    from ${attributedRowsSql(period)} x
    join cadres c on c.id = x.cadre_id join units u on u.id = x.unit_id join class_sessions s on s.id = x.session_id
    where x.status = 'absent' and x.unit_id in (select id from t)
    order by s.starts_at desc, c.name
    limit 500`);
  return rows.map((r) => ({
    cadreId: Number(r.cadre_id),
    name: r.name,
    staffNo: r.staff_no,
    unitName: r.unit_name,
    code: r.code,
    title: r.title,
    startsAt: r.starts_at,
  }));
}

/** Open low-attendance warnings of the cadres now in the unit and its sub-units. */
export async function flaggedCadres(db: DbOrTx, unitId: number) {
  const rows = await db.execute<{ cadre_id: number; name: string; rate: number; sessions: number; raised_at: string }>(sql`
    with recursive t(id) as (select ${unitId}::int union select u.id from units u join t on u.parent_id = t.id)
    select w.cadre_id, c.name, w.rate::float8 as rate, w.sessions, to_json(w.raised_at) #>> '{}' as raised_at
    from attendance_warnings w join cadres c on c.id = w.cadre_id
    where w.resolved_at is null and c.unit_id in (select id from t)
    order by w.rate, c.name`);
  return rows.map((r) => ({
    cadreId: Number(r.cadre_id),
    name: r.name,
    rate: Number(r.rate),
    sessions: Number(r.sessions),
    raisedAt: r.raised_at,
  }));
}

/** Make-up study submitted by cadres now in the unit and its sub-units, waiting for a decision. */
async function pendingMakeups(db: DbOrTx, unitId: number): Promise<PendingMakeup[]> {
  const rows = await db.execute<{
    id: number;
    cadre_id: number;
    name: string;
    code: string;
    title: string;
    starts_at: string;
    note: string;
    submitted_at: string;
    replay_url: string | null;
    status: MakeupStatus;
  }>(sql`
    with recursive t(id) as (select ${unitId}::int union select u.id from units u join t on u.parent_id = t.id)
    select mk.id, mk.cadre_id, c.name, s.code, s.title, to_json(s.starts_at) #>> '{}' as starts_at, mk.note,
      to_json(mk.submitted_at) #>> '{}' as submitted_at, s.replay_url
    from attendance_makeups mk join cadres c on c.id = mk.cadre_id join class_sessions s on s.id = mk.session_id
    where mk.status = 'submitted' and c.unit_id in (select id from t)
    order by mk.submitted_at
    limit 200`);
  return rows.map((r) => ({
    id: Number(r.id),
    cadreId: Number(r.cadre_id),
    name: r.name,
    code: r.code,
    title: r.title,
    startsAt: r.starts_at,
    note: r.note,
    submittedAt: r.submitted_at,
    replayUrl: r.replay_url,
  }));
}

export interface UnitRateRow extends RateRow {
  unitId: number;
  code: string;
  name: string;
  kind: UnitKind;
  depth: number;
  parentId: number | null;
}

/**
 * The organization department's report over a period: the organization-wide rate, each session, each
 * unit with its sub-units (in tree order), and the trend. Only for org admins.
 */
export async function organizationReport(db: DbOrTx, caller: ReportCaller, options: { period: Period; rules: AttendanceRules }) {
  if (!hasRole(caller, "org_admin")) throw forbidden();
  const w = options.rules.lateWeight;
  const [total, sessions, rates, tree] = await Promise.all([
    organizationAttendance(db, options.period, { lateWeight: w }),
    sessionAttendanceRates(db, options.period, { lateWeight: w }),
    unitAttendanceRates(db, options.period, { lateWeight: w }),
    unitTree(db),
  ]);
  const unitRows: UnitRateRow[] = tree
    .map((u) => ({ ...u, ...(rates.get(u.unitId)?.rolled ?? { enrolled: 0, present: 0, late: 0, excused: 0, absent: 0, rate: null }) }))
    .filter((u) => u.enrolled > 0);
  return { total, sessions, units: unitRows };
}

export type OrganizationReport = Awaited<ReturnType<typeof organizationReport>>;

/** Every unit in tree order (parents before children, siblings by code), with its depth. */
async function unitTree(db: DbOrTx) {
  const rows = await db.execute<{
    id: number;
    code: string;
    name: string;
    kind: UnitKind;
    parent_id: number | null;
    depth: number;
    path: string;
  }>(sql`
    with recursive t(id, code, name, kind, parent_id, depth, path) as (
      select id, code, name, kind, parent_id, 0, code::text from units where parent_id is null
      union all
      select u.id, u.code, u.name, u.kind, u.parent_id, t.depth + 1, t.path || '/' || u.code from units u join t on u.parent_id = t.id
      where t.depth < 50
    )
    select * from t order by path`);
  return rows.map((r) => ({
    unitId: Number(r.id),
    code: r.code,
    name: r.name,
    kind: r.kind,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    depth: Number(r.depth),
  }));
}

/** The units a head or liaison may open (their own, not every sub-unit), or for org admins none: they choose from the report. */
export async function ownUnits(db: DbOrTx, caller: Pick<CurrentUser, "headOfUnitIds" | "liaisonOfUnitIds">) {
  const ids = [...new Set([...caller.headOfUnitIds, ...caller.liaisonOfUnitIds])];
  if (!ids.length) return [];
  return db.execute<{ id: number; name: string }>(sql`select id, name from units where id in ${idList(ids)} order by code`);
}
