import { type ImportKind, mapHeaders } from "./columns";
import type { CadreRow, ImportProblem, UnitRow } from "./types";
import { type Cell, cellText, parseDate, parseEmail, parsePhone, parseRank, parseUnitKind, parseYesNo } from "./values";

/** Rows as a reader hands them over: the header row and numbered data rows. */
export interface RawSheet {
  headers: string[];
  rows: { row: number; cells: Cell[] }[];
}

export interface NormalisedRows<R> {
  rows: R[];
  problems: ImportProblem[];
  ignoredColumns: string[];
  /** Field → the header as written in the file, to name columns in problems found later. */
  headers: Record<string, string>;
  /**
   * Unit codes of rows left out for their own problems: other rows may still name them as parent, and
   * should not get a second, misleading "parent not found".
   */
  skippedCodes: string[];
}

const LIMITS = { code: 50, name: 100, title: 100, email: 200, staffNo: 50 } as const;

/**
 * Checks every cell of every row and gathers every problem, so one upload tells the whole story. Checks
 * that need the database (unit codes, emails in use, cycles through existing units) come later.
 */
export function normaliseRows(kind: "units", sheet: RawSheet): NormalisedRows<UnitRow>;
export function normaliseRows(kind: "cadres", sheet: RawSheet): NormalisedRows<CadreRow>;
export function normaliseRows(kind: ImportKind, sheet: RawSheet): NormalisedRows<UnitRow | CadreRow>;
export function normaliseRows(kind: ImportKind, sheet: RawSheet): NormalisedRows<UnitRow | CadreRow> {
  const map = mapHeaders(kind, sheet.headers);
  if (map.problems.length) return { rows: [], problems: map.problems, ignoredColumns: map.ignored, headers: map.header, skippedCodes: [] };
  if (sheet.rows.length === 0) {
    const problems = [{ row: null, column: null, messageKey: "imports.errors.noRows" }];
    return { rows: [], problems, ignoredColumns: map.ignored, headers: map.header, skippedCodes: [] };
  }
  const problems: ImportProblem[] = [];
  const reader = (row: number, cells: Cell[]) => {
    const has = (field: string) => field in map.index;
    const raw = (field: string) => (has(field) ? cells[map.index[field]!] ?? null : null);
    const text = (field: string) => cellText(raw(field));
    const problem = (field: string, messageKey: string, params?: Record<string, string | number>) =>
      problems.push({ row, column: map.header[field] ?? field, messageKey, params });
    const required = (field: string, max: number) => {
      const value = text(field);
      if (!value) problem(field, "imports.errors.required");
      else if (value.length > max) problem(field, "imports.errors.tooLong", { max });
      return value;
    };
    const optional = (field: string, max: number) => {
      const value = text(field);
      if (value.length > max) problem(field, "imports.errors.tooLong", { max });
      return value;
    };
    return { has, raw, text, problem, required, optional };
  };
  const skippedCodes: string[] = [];
  const rows = kind === "units" ? unitRows(sheet, reader, problems, skippedCodes) : cadreRows(sheet, reader, problems);
  return { rows, problems: problems.sort(byPosition), ignoredColumns: map.ignored, headers: map.header, skippedCodes };
}

type Reader = (
  row: number,
  cells: Cell[],
) => {
  has: (field: string) => boolean;
  raw: (field: string) => Cell;
  text: (field: string) => string;
  problem: (field: string, messageKey: string, params?: Record<string, string | number>) => void;
  required: (field: string, max: number) => string;
  optional: (field: string, max: number) => string;
};

function unitRows(sheet: RawSheet, reader: Reader, problems: ImportProblem[], skippedCodes: string[]): UnitRow[] {
  const out: UnitRow[] = [];
  const firstRowOfCode = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const before = problems.length;
    const r = reader(row, cells);
    const code = r.required("code", LIMITS.code);
    const name = r.required("name", LIMITS.name);
    const kindText = r.text("kind");
    const kind = kindText ? parseUnitKind(kindText) : null;
    if (!kindText) r.problem("kind", "imports.errors.required");
    else if (!kind) r.problem("kind", "imports.errors.unknownKind", { value: kindText });
    let parentCode: string | null | undefined;
    if (r.has("parentCode")) {
      parentCode = r.optional("parentCode", LIMITS.code) || null;
      if (parentCode && parentCode === code) r.problem("parentCode", "imports.errors.ownParent");
    }
    if (code) {
      const first = firstRowOfCode.get(code);
      if (first) r.problem("code", "imports.errors.duplicateCode", { value: code, row: first });
      else firstRowOfCode.set(code, row);
    }
    if (problems.length === before) out.push({ row, code, name, kind: kind!, ...(parentCode !== undefined ? { parentCode } : {}) });
    else if (code) skippedCodes.push(code);
  }
  return out;
}

function cadreRows(sheet: RawSheet, reader: Reader, problems: ImportProblem[]): CadreRow[] {
  const out: CadreRow[] = [];
  const firstRowOfStaffNo = new Map<string, number>();
  const firstRowOfEmail = new Map<string, number>();
  const headRowOfUnit = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const before = problems.length;
    const r = reader(row, cells);
    const staffNo = r.required("staffNo", LIMITS.staffNo);
    const name = r.required("name", LIMITS.name);
    const unitCode = r.required("unitCode", LIMITS.code);
    const rankText = r.text("rank");
    const rank = rankText ? parseRank(rankText) : null;
    if (!rankText) r.problem("rank", "imports.errors.required");
    else if (!rank) r.problem("rank", "imports.errors.unknownRank", { value: rankText });
    const title = r.optional("title", LIMITS.title);

    const emailText = r.optional("email", LIMITS.email);
    const email = emailText ? parseEmail(emailText) : null;
    if (emailText && !email) r.problem("email", "imports.errors.email", { value: emailText });

    let phone: string | null | undefined;
    if (r.has("phone")) {
      const phoneText = r.text("phone");
      phone = phoneText ? parsePhone(phoneText) : null;
      if (phoneText && !phone) r.problem("phone", "imports.errors.phone", { value: phoneText });
    }

    const isHead = parseYesNo(r.raw("isHead"));
    if (isHead === null) r.problem("isHead", "imports.errors.yesNo", { value: r.text("isHead") });

    let since: string | null = null;
    if (r.has("since") && r.text("since")) {
      since = parseDate(r.raw("since"));
      if (!since) r.problem("since", "imports.errors.date", { value: r.text("since") });
    }

    if (staffNo) {
      const first = firstRowOfStaffNo.get(staffNo);
      if (first) r.problem("staffNo", "imports.errors.duplicateStaffNo", { value: staffNo, row: first });
      else firstRowOfStaffNo.set(staffNo, row);
    }
    if (email) {
      const first = firstRowOfEmail.get(email);
      if (first) r.problem("email", "imports.errors.duplicateEmail", { value: email, row: first });
      else firstRowOfEmail.set(email, row);
    }
    if (isHead && unitCode) {
      const first = headRowOfUnit.get(unitCode);
      if (first) r.problem("isHead", "imports.errors.twoHeads", { value: unitCode, row: first });
      else headRowOfUnit.set(unitCode, row);
    }
    if (problems.length === before) {
      out.push({
        row,
        staffNo,
        name,
        unitCode,
        rank: rank!,
        title,
        email,
        ...(phone !== undefined ? { phone } : {}),
        isHead: isHead!,
        since,
      });
    }
  }
  return out;
}

export function byPosition(a: ImportProblem, b: ImportProblem): number {
  return (a.row ?? 0) - (b.row ?? 0);
}
