import { type HeaderMap, mapColumns } from "./columns";
import type { ImportKindDefinition, ImportRowBase, RowCells } from "./kinds";
import type { SheetRow } from "./reader/rows";
import type { ImportProblem } from "./types";
import { type Cell, cellText, plainText } from "./values";

/**
 * Checks a file's rows one at a time with the kind's `normalise`, as they stream from the reader, and
 * gathers every problem with its row, column and value. Duplicates across the file (a staff number
 * twice) are found with one set of keys per check, not by holding the rows. Checks that need the
 * database come later, in the kind's `plan`.
 */
export class RowChecker<R extends ImportRowBase> {
  /** Scope → value → the first row that had it, across the whole file. */
  private readonly seen = new Map<string, Map<string, number>>();
  readonly map: HeaderMap;

  constructor(
    private readonly kind: ImportKindDefinition<R>,
    headers: readonly string[],
    headerRow: number,
    private readonly params: Readonly<Record<string, string>> = {},
  ) {
    this.map = mapColumns(kind.columns, headers, headerRow);
  }

  /** The column to name in a problem about `field`: as written in the file, else the template's header. */
  column(field: string): string {
    return this.map.header[field] ?? this.kind.columns.find((c) => c.field === field)?.zh ?? field;
  }

  /** What the row holds in the column a problem names, for the problem list. */
  valueIn(cells: readonly Cell[], column: string | null): string | undefined {
    if (column === null) return undefined;
    const field = Object.keys(this.map.header).find((f) => this.map.header[f] === column);
    if (field === undefined) return undefined;
    const text = cellText(cells[this.map.index[field]!] ?? null);
    return text === "" ? undefined : text.length > 200 ? `${text.slice(0, 199)}…` : text;
  }

  /** One row: the typed row (marked invalid when it has problems) and its problems. */
  check(sheetRow: SheetRow): { value: R; problems: ImportProblem[] } {
    const { row, cells } = sheetRow;
    const problems: ImportProblem[] = [];
    const map = this.map;
    const has = (field: string) => field in map.index;
    const raw = (field: string) => (has(field) ? (cells[map.index[field]!] ?? null) : null);
    const text = (field: string) => cellText(raw(field));
    const problem = (field: string, messageKey: string, params?: Record<string, string | number>) => {
      const column = this.column(field);
      const value = text(field);
      problems.push({ row, column, messageKey, params, ...(value ? { value } : {}) });
    };
    const limited = (field: string, value: string, max: number, required: boolean) => {
      if (!value && required) problem(field, "imports.errors.required");
      else if (value.length > max) problem(field, "imports.errors.tooLong", { max });
      return value;
    };
    const cellsOfRow: RowCells = {
      row,
      has,
      raw,
      text,
      problem,
      required: (field, max) => limited(field, text(field), max, true),
      optional: (field, max) => limited(field, text(field), max, false),
      code: (field, max, options) => limited(field, plainText(text(field)), max, options?.required ?? true),
      unique: (field, value, messageKey, scope = field) => {
        let values = this.seen.get(scope);
        if (!values) {
          values = new Map();
          this.seen.set(scope, values);
        }
        const first = values.get(value);
        if (first) problem(field, messageKey, { value, row: first });
        else values.set(value, row);
      },
    };
    const value = this.kind.normalise(cellsOfRow, { params: this.params }) ?? {};
    const typed = { row, ...value, ...(problems.length ? { invalid: true as const } : {}) } as R;
    return { value: typed, problems };
  }
}

export function byPosition(a: ImportProblem, b: ImportProblem): number {
  return (a.row ?? 0) - (b.row ?? 0);
}
