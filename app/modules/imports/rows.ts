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
    this.cellsOfRow = this.rowCells();
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

  /** The row being checked: one RowCells serves every row, so a long file makes no garbage per row. */
  private current: { row: number; cells: readonly Cell[]; problems: ImportProblem[]; texts: (string | undefined)[] } = {
    row: 0,
    cells: [],
    problems: [],
    texts: [],
  };
  private readonly cellsOfRow: RowCells;

  private rowCells(): RowCells {
    const map = this.map;
    const at = () => this.current;
    const has = (field: string) => field in map.index;
    const raw = (field: string): Cell => {
      const i = map.index[field];
      return i === undefined ? null : (at().cells[i] ?? null);
    };
    // A cell's text is asked for several times (required, then parsed, then for a message): once per row.
    const text = (field: string) => {
      const i = map.index[field];
      if (i === undefined) return "";
      const texts = at().texts;
      const cached = texts[i];
      if (cached !== undefined) return cached;
      const value = cellText(at().cells[i] ?? null);
      texts[i] = value;
      return value;
    };
    const problem = (field: string, messageKey: string, params?: Record<string, string | number>) => {
      const value = text(field);
      at().problems.push({ row: at().row, column: this.column(field), messageKey, params, ...(value ? { value } : {}) });
    };
    const limited = (field: string, value: string, max: number, required: boolean) => {
      if (!value && required) problem(field, "imports.errors.required");
      else if (value.length > max) problem(field, "imports.errors.tooLong", { max });
      return value;
    };
    return {
      get row() {
        return at().row;
      },
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
        else values.set(value, at().row);
      },
    };
  }

  /** One row: the typed row (marked invalid when it has problems) and its problems. */
  check(sheetRow: SheetRow): { value: R; problems: ImportProblem[] } {
    const problems: ImportProblem[] = [];
    this.current = { row: sheetRow.row, cells: sheetRow.cells, problems, texts: [] };
    const value = this.kind.normalise(this.cellsOfRow, { params: this.params }) ?? {};
    const typed = { row: sheetRow.row, ...value, ...(problems.length ? { invalid: true as const } : {}) } as R;
    return { value: typed, problems };
  }
}

export function byPosition(a: ImportProblem, b: ImportProblem): number {
  return (a.row ?? 0) - (b.row ?? 0);
}
