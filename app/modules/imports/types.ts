import type { SheetLayout, SkippedRow } from "./reader/rows";

/**
 * One problem with an uploaded file. `row` is the spreadsheet's row number (the header is row 1; null
 * when the file as a whole cannot be read); `column` is the header as written in the file.
 */
export interface ImportProblem {
  row: number | null;
  column: string | null;
  messageKey: string;
  params?: Record<string, string | number>;
  /** What the cell holds, as read; filled in by the machinery from the row. */
  value?: string;
}

export interface FieldChange {
  field: string;
  before: string | number | boolean | null;
  after: string | number | boolean | null;
}

/** One row's effect, as the preview lists it. Unchanged rows are counted, not listed. */
export interface RowChange {
  row: number;
  /** What names the row: unit code, staff number … */
  key: string;
  /** Who or what it is, or a one-line summary. */
  name: string;
  /** create, update, or a kind's own (transfer …); labelled by the kind's actionLabels. */
  action: string;
  fields: FieldChange[];
  /** A line under the fields, e.g. the day a transfer takes effect. */
  note?: { messageKey: string; params?: Record<string, string | number> };
}

/**
 * What a batch reports: the rows read and the problems, plus the kind's own counts (create, update,
 * unchanged, transfer …), which its definition lists in order.
 */
export interface ImportCounts {
  rows: number;
  errors: number;
  [count: string]: number;
}

/** What import_batches.summary holds. */
export interface ImportSummary {
  kind: string;
  /** The upload's extra parameters, so that confirming plans with the same ones. */
  params?: Record<string, string>;
  /** Rows read and the kind's counts; `errors` counts every problem, kept or not. */
  counts: ImportCounts;
  /** The problems, in row order, the first MAX_KEPT.problems of them. */
  errors: ImportProblem[];
  /** What the reader took as sheet and header row, so the preview can say it and confirming reads the same. */
  layout?: SheetLayout;
  /** Rows left out (titles and notes above the header, footers, the template's example), the first ones. */
  skipped?: SkippedRow[];
  skippedCount?: number;
  /** Headers we did not recognise; their columns were not read. */
  ignoredColumns: string[];
  /** Field → the header as written in the file, so problems found when applying name the same columns. */
  headers: Record<string, string>;
  /** The rows that would change, the first MAX_KEPT.changes of them; `changeCount` counts all. */
  changes: RowChange[];
  changeCount?: number;
  /** Set when the batch was applied: what was written, which may differ from the preview if data changed in between. */
  applied?: { at: string; counts: ImportCounts };
}

/** How much of a large file's outcome a batch keeps; the counts cover the rest, the marked file shows every problem. */
export const MAX_KEPT = { problems: 2000, changes: 1000 } as const;
