import { mapColumns } from "./columns";
import type { ImportKindDefinition, ImportRowBase, RowCells } from "./kinds";
import type { ImportProblem } from "./types";
import { type Cell, cellText } from "./values";

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
   * The keys (unit code, staff number …) of rows left out for their own problems: other rows may still
   * name them (a parent unit), and should not get a second, misleading "not found".
   */
  skippedCodes: string[];
}

/**
 * Checks every cell of every row with the kind's `normalise` and gathers every problem, so one upload
 * tells the whole story. Checks that need the database come later, in the kind's `plan`.
 */
export function normaliseSheet<R extends ImportRowBase>(
  kind: ImportKindDefinition<R>,
  sheet: RawSheet,
  params: Readonly<Record<string, string>> = {},
): NormalisedRows<R> {
  const map = mapColumns(kind.columns, sheet.headers);
  if (map.problems.length) return { rows: [], problems: map.problems, ignoredColumns: map.ignored, headers: map.header, skippedCodes: [] };
  if (sheet.rows.length === 0) {
    const problems = [{ row: null, column: null, messageKey: "imports.errors.noRows" }];
    return { rows: [], problems, ignoredColumns: map.ignored, headers: map.header, skippedCodes: [] };
  }
  const problems: ImportProblem[] = [];
  // Scope → value → the first row that had it, across the whole file.
  const seen = new Map<string, Map<string, number>>();
  const cellsOf = (row: number, cells: Cell[]): RowCells => {
    const has = (field: string) => field in map.index;
    const raw = (field: string) => (has(field) ? (cells[map.index[field]!] ?? null) : null);
    const text = (field: string) => cellText(raw(field));
    const problem = (field: string, messageKey: string, params?: Record<string, string | number>) =>
      problems.push({ row, column: map.header[field] ?? kind.columns.find((c) => c.field === field)?.zh ?? field, messageKey, params });
    return {
      row,
      has,
      raw,
      text,
      problem,
      required(field, max) {
        const value = text(field);
        if (!value) problem(field, "imports.errors.required");
        else if (value.length > max) problem(field, "imports.errors.tooLong", { max });
        return value;
      },
      optional(field, max) {
        const value = text(field);
        if (value.length > max) problem(field, "imports.errors.tooLong", { max });
        return value;
      },
      unique(field, value, messageKey, scope = field) {
        let values = seen.get(scope);
        if (!values) {
          values = new Map();
          seen.set(scope, values);
        }
        const first = values.get(value);
        if (first) problem(field, messageKey, { value, row: first });
        else values.set(value, row);
      },
    };
  };

  const rows: R[] = [];
  const skippedCodes: string[] = [];
  for (const { row, cells } of sheet.rows) {
    const before = problems.length;
    const cellsOfRow = cellsOf(row, cells);
    const value = kind.normalise(cellsOfRow, { params });
    if (problems.length === before && value) rows.push({ row, ...value } as R);
    else if (cellsOfRow.text(kind.keyField)) skippedCodes.push(cellsOfRow.text(kind.keyField));
  }
  return { rows, problems: problems.sort(byPosition), ignoredColumns: map.ignored, headers: map.header, skippedCodes };
}

export function byPosition(a: ImportProblem, b: ImportProblem): number {
  return (a.row ?? 0) - (b.row ?? 0);
}
