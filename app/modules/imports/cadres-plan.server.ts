import { sql } from "drizzle-orm";
import { newTermAllowed, startsAfter, type TermStart } from "~/modules/organization/terms.server";
import { textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { Rank } from "~db/schema/enums";
import type { Degree, EducationCode, EthnicityCode, Gender, PoliticalStatusCode } from "~db/schema/roster-codes";
import { type CadreRow, PERSONAL_FIELDS } from "./cadres";
import type { PlanOptions } from "./registry.server";
import type { FieldChange, ImportProblem, RowChange } from "./types";

/**
 * What importing a chunk of roster rows would do, and what stops it: unknown unit codes or names, an
 * address someone else holds, a move dated before the current membership, a rank or post dated before
 * the current one. Reads only. What spans chunks (heads, addresses moving between cadres of the file)
 * is gathered in the run's state and settled by `finish` (cadres.server.ts).
 */

export type ChangeAction = "create" | "update" | "transfer" | "unchanged";

export interface CadreSnapshot {
  staffNo: string;
  name: string;
  unitCode: string;
  rank: Rank;
  title: string;
  email: string | null;
  phone: string | null;
  isHead: boolean;
  gender: Gender | null;
  ethnicity: EthnicityCode | null;
  birthDate: string | null;
  nativePlace: string | null;
  politicalStatus: PoliticalStatusCode | null;
  education: EducationCode | null;
  degree: Degree | null;
  workStartDate: string | null;
  rankSince: string | null;
  postSince: string | null;
}

export interface TermPlan {
  kind: "rank" | "post";
  /** A new term from `since` (the value changed), or the open term's start corrected to `since`. */
  change: "new" | "start";
  since: string;
}

export interface CadrePlanItem {
  row: CadreRow;
  action: ChangeAction;
  cadreId: number | null;
  unitId: number;
  before: CadreSnapshot | null;
  after: CadreSnapshot;
  fields: FieldChange[];
  /** False when only the headship changes: the cadre row itself is left alone. */
  writeCadre: boolean;
  /** A move to another unit: the open membership ends on `date` and a new one starts on it. */
  transferDate?: string;
  terms: TermPlan[];
}

export interface UnitInfo {
  id: number;
  code: string;
  headStaffNo: string | null;
}

export interface CadreImportState {
  /** Units looked up so far, by code and by name. */
  unitsByCode: Map<string, UnitInfo>;
  unitsByName: Map<string, UnitInfo[]>;
  /** Addresses rows take from cadres outside their chunk: fine only if that cadre is in the file too. */
  pendingOwners: { row: number; column: string; email: string; ownerStaffNo: string }[];
  /** Applying: addresses already taken from cadres of later chunks, by staff number (for their before). */
  released: Map<string, string>;
  /** Heads of the units the file touches: who heads it now, and who after (undefined: unchanged). */
  heads: Map<number, { code: string; before: string | null; set?: string; cleared?: boolean }>;
  /** Which optional columns the file has (the same for every chunk). */
  columns: Set<string>;
}

export function createCadreState(): CadreImportState {
  return { unitsByCode: new Map(), unitsByName: new Map(), pendingOwners: [], released: new Map(), heads: new Map(), columns: new Set() };
}

interface ExistingCadre extends CadreSnapshot {
  id: number;
  unitId: number;
  membershipStart: string | null;
  starts: Partial<Record<"rank" | "post", TermStart>>;
}

export interface CadreChunkPlan {
  items: CadrePlanItem[];
}

const OPTIONAL_FIELDS = ["email", "phone", "isHead", ...PERSONAL_FIELDS, "rankSince", "postSince"] as const;

async function resolveUnits(db: DbOrTx, rows: CadreRow[], state: CadreImportState) {
  const codes = [...new Set(rows.map((r) => r.unitCode).filter((c) => c && !state.unitsByCode.has(c)))];
  const names = [...new Set(rows.filter((r) => !r.unitCode && r.unitName).map((r) => r.unitName!))].filter(
    (n) => !state.unitsByName.has(n),
  );
  if (!codes.length && !names.length) return;
  const found = await db.execute<{ id: number; code: string; name: string; head_staff_no: string | null }>(sql`
    select u.id, u.code, u.name, h.staff_no as head_staff_no
    from units u left join cadres h on h.id = u.head_cadre_id
    where u.code in ${textList(codes)} or u.name in ${textList(names)}`);
  for (const n of names) state.unitsByName.set(n, []);
  for (const u of found) {
    const info = { id: Number(u.id), code: u.code, headStaffNo: u.head_staff_no };
    if (codes.includes(u.code)) state.unitsByCode.set(u.code, info);
    if (names.includes(u.name)) state.unitsByName.get(u.name)!.push(info);
  }
}

async function existingCadres(db: DbOrTx, staffNos: string[], released: Map<string, string>): Promise<Map<string, ExistingCadre>> {
  const out = new Map<string, ExistingCadre>();
  if (!staffNos.length) return out;
  const found = await db.execute<{
    id: number;
    staff_no: string;
    name: string;
    unit_id: number;
    unit_code: string;
    rank: Rank;
    title: string;
    email: string | null;
    phone: string | null;
    is_head: boolean;
    start_date: string | null;
    gender: Gender | null;
    ethnicity: EthnicityCode | null;
    birth_date: string | null;
    native_place: string | null;
    political_status: PoliticalStatusCode | null;
    education: EducationCode | null;
    degree: Degree | null;
    work_start_date: string | null;
    rank_since: string | null;
    post_since: string | null;
    rank_previous: string | null;
    post_previous: string | null;
  }>(sql`
    select c.id, c.staff_no, c.name, c.unit_id, u.code as unit_code, c.rank, c.title, c.email, c.phone,
      coalesce(u.head_cadre_id = c.id, false) as is_head, m.start_date::text as start_date,
      c.gender, c.ethnicity, c.birth_date::text as birth_date, c.native_place, c.political_status, c.education, c.degree,
      c.work_start_date::text as work_start_date, c.rank_since::text as rank_since, c.post_since::text as post_since,
      (select p.start_date::text from cadre_terms p where p.cadre_id = c.id and p.kind = 'rank' and p.end_date = c.rank_since) as rank_previous,
      (select p.start_date::text from cadre_terms p where p.cadre_id = c.id and p.kind = 'post' and p.end_date = c.post_since) as post_previous
    from cadres c
    join units u on u.id = c.unit_id
    left join unit_memberships m on m.cadre_id = c.id and m.end_date is null
    where c.staff_no in ${textList(staffNos)}`);
  for (const c of found) {
    const s: Record<"rank" | "post", TermStart> = {
      rank: { start: c.rank_since, previousStart: c.rank_previous },
      post: { start: c.post_since, previousStart: c.post_previous },
    };
    out.set(c.staff_no, {
      id: Number(c.id),
      staffNo: c.staff_no,
      name: c.name,
      unitId: Number(c.unit_id),
      unitCode: c.unit_code,
      rank: c.rank,
      title: c.title,
      // An address a row of an earlier chunk took from this cadre was theirs until this import.
      email: released.get(c.staff_no) ?? c.email,
      phone: c.phone,
      isHead: c.is_head,
      membershipStart: c.start_date,
      gender: c.gender,
      ethnicity: c.ethnicity,
      birthDate: c.birth_date,
      nativePlace: c.native_place,
      politicalStatus: c.political_status,
      education: c.education,
      degree: c.degree,
      workStartDate: c.work_start_date,
      rankSince: s.rank.start,
      postSince: s.post.start,
      starts: { rank: s.rank, post: s.post },
    });
  }
  return out;
}

const COMPARED = [
  "name",
  "unitCode",
  "rank",
  "title",
  "email",
  "phone",
  "isHead",
  ...PERSONAL_FIELDS,
  "rankSince",
  "postSince",
] as const satisfies readonly (keyof CadreSnapshot)[];

function diffCadre(before: CadreSnapshot, after: CadreSnapshot): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const field of COMPARED) {
    if (before[field] !== after[field]) fields.push({ field, before: before[field], after: after[field] });
  }
  return fields;
}

export async function planCadreChunk(
  db: DbOrTx,
  rows: CadreRow[],
  options: PlanOptions,
  state: CadreImportState,
): Promise<{ items: CadrePlanItem[]; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const problem = (row: CadreRow, field: string, messageKey: string, params?: Record<string, string | number>) =>
    problems.push({ row: row.row, column: options.column(field), messageKey, params });
  for (const f of OPTIONAL_FIELDS) if (f in options.headers) state.columns.add(f);
  // One 学历学位 column fills both.
  if ("educationDegree" in options.headers) state.columns.add("education").add("degree");

  await resolveUnits(db, rows, state);
  const existing = await existingCadres(db, rows.map((r) => r.staffNo).filter(Boolean), state.released);

  // An address is free if nobody has it, or a cadre of this file does (who may be giving it up).
  const chunkStaffNos = new Set(rows.map((r) => r.staffNo));
  const emails = [...new Set(rows.map((r) => r.email).filter((e): e is string => !!e))];
  const emailOwner = new Map<string, { staffNo: string | null }>();
  if (emails.length) {
    const found = await db.execute<{ staff_no: string | null; email: string }>(sql`
      select staff_no, lower(email) as email from cadres where lower(email) in ${textList(emails)}
      union all
      select null, lower(email) from users where cadre_id is null and lower(email) in ${textList(emails)}`);
    for (const o of found) emailOwner.set(o.email, { staffNo: o.staff_no });
  }

  const items: CadrePlanItem[] = [];
  for (const r of rows) {
    let unit: UnitInfo | undefined;
    if (r.unitCode) {
      unit = state.unitsByCode.get(r.unitCode);
      if (!unit) problem(r, "unitCode", "imports.errors.unitNotFound", { value: r.unitCode });
    } else if (r.unitName) {
      const named = state.unitsByName.get(r.unitName) ?? [];
      if (named.length === 1) unit = named[0];
      else if (!named.length) problem(r, "unitName", "imports.errors.unitNameNotFound", { value: r.unitName });
      else problem(r, "unitName", "imports.errors.unitNameAmbiguous", { value: r.unitName, count: named.length });
    }
    const owner = r.email ? emailOwner.get(r.email) : undefined;
    if (owner && owner.staffNo !== r.staffNo) {
      if (owner.staffNo === null) problem(r, "email", "imports.errors.emailTakenByAccount", { value: r.email! });
      else if (!chunkStaffNos.has(owner.staffNo)) {
        state.pendingOwners.push({ row: r.row, column: options.column("email"), email: r.email!, ownerStaffNo: owner.staffNo });
      }
    }
    for (const field of ["birthDate", "workStartDate", "rankSince", "postSince", "since"] as const) {
      const value = r[field];
      if (value && value > options.today) problem(r, field, "imports.errors.dateInFuture", { value });
    }
    if (r.invalid || !unit) continue;

    const before = existing.get(r.staffNo);
    const keep = <K extends keyof CadreSnapshot>(field: K, value: CadreSnapshot[K] | undefined): CadreSnapshot[K] =>
      value === undefined ? (before?.[field] ?? (null as CadreSnapshot[K])) : value;
    const after: CadreSnapshot = {
      staffNo: r.staffNo,
      name: r.name,
      unitCode: unit.code,
      rank: r.rank,
      title: r.title,
      email: keep("email", r.email),
      phone: keep("phone", r.phone),
      isHead: r.isHead ?? (before ? before.isHead && before.unitId === unit.id : false),
      gender: keep("gender", r.gender),
      ethnicity: keep("ethnicity", r.ethnicity),
      birthDate: keep("birthDate", r.birthDate),
      nativePlace: keep("nativePlace", r.nativePlace),
      politicalStatus: keep("politicalStatus", r.politicalStatus),
      education: keep("education", r.education),
      degree: keep("degree", r.degree),
      workStartDate: keep("workStartDate", r.workStartDate),
      rankSince: keep("rankSince", r.rankSince),
      postSince: keep("postSince", r.postSince),
    };
    if (!before) {
      items.push({
        row: r,
        action: "create",
        cadreId: null,
        unitId: unit.id,
        before: null,
        after,
        fields: [],
        writeCadre: true,
        terms: [],
      });
      if (r.isHead) noteHead(state, unit, { set: r.staffNo });
      continue;
    }

    const moved = before.unitId !== unit.id;
    let transferDate: string | undefined;
    if (moved) {
      transferDate = r.since ?? options.today;
      if (before.membershipStart && transferDate <= before.membershipStart) {
        problem(r, r.since ? "since" : "unitCode", "imports.errors.transferNotAfterStart", {
          date: transferDate,
          start: before.membershipStart,
        });
        continue;
      }
    }
    const terms: TermPlan[] = [];
    let termProblem = false;
    const term = (kind: "rank" | "post", changed: boolean, given: string | null | undefined, field: "rankSince" | "postSince") => {
      const open = before.starts[kind];
      if (changed) {
        const since = given ?? options.today;
        if (!newTermAllowed(since, open?.start)) {
          problem(r, given ? field : kind === "rank" ? "rank" : "title", "imports.errors.termBeforeStart", {
            date: since,
            start: open!.start!,
          });
          termProblem = true;
          return;
        }
        terms.push({ kind, change: "new", since });
        after[field] = since;
      } else if (given && given !== (open?.start ?? null)) {
        if (!startsAfter(given, open?.previousStart)) {
          problem(r, field, "imports.errors.termNotAfterStart", { date: given, start: open!.previousStart! });
          termProblem = true;
          return;
        }
        terms.push({ kind, change: "start", since: given });
      }
    };
    term("rank", r.rank !== before.rank, r.rankSince, "rankSince");
    term("post", r.title !== before.title, r.postSince, "postSince");
    if (termProblem) continue;

    const snapshot: CadreSnapshot = { ...before };
    const fields = diffCadre(snapshot, after);
    if (before.isHead && (moved || r.isHead === false)) {
      noteHead(state, { id: before.unitId, code: before.unitCode, headStaffNo: before.staffNo }, { cleared: true });
    }
    if (r.isHead) noteHead(state, unit, { set: r.staffNo });
    items.push({
      row: r,
      action: moved ? "transfer" : fields.length ? "update" : "unchanged",
      cadreId: before.id,
      unitId: unit.id,
      before: snapshot,
      after,
      fields,
      writeCadre: fields.some((f) => f.field !== "isHead" && f.field !== "rankSince" && f.field !== "postSince"),
      transferDate,
      terms,
    });
  }
  return { items, problems };
}

function noteHead(state: CadreImportState, unit: UnitInfo, change: { set?: string; cleared?: boolean }) {
  const entry = state.heads.get(unit.id) ?? { code: unit.code, before: unit.headStaffNo };
  if (change.set) entry.set = change.set;
  if (change.cleared) entry.cleared = true;
  state.heads.set(unit.id, entry);
}

/** The head each touched unit ends up with: one named 是 in the file, else none if its head left or was marked 否. */
export function headChanges(state: CadreImportState) {
  const out: { unitId: number; unitCode: string; before: string | null; after: string | null }[] = [];
  for (const [unitId, h] of state.heads) {
    const after = h.set ?? (h.cleared ? null : h.before);
    if (after !== h.before) out.push({ unitId, unitCode: h.code, before: h.before, after });
  }
  return out;
}

/** A transfer also carries its date, for whoever reads the stored summary. */
export interface CadreRowChange extends RowChange {
  transferDate?: string;
}

export function cadreChanges(items: CadrePlanItem[]): CadreRowChange[] {
  return items
    .filter((i) => i.action !== "unchanged")
    .map((i) => ({
      row: i.row.row,
      key: i.row.staffNo,
      name: i.row.name,
      action: i.action,
      fields: i.fields,
      ...(i.transferDate
        ? { transferDate: i.transferDate, note: { messageKey: "imports.transferOn", params: { date: i.transferDate } } }
        : {}),
    }));
}
