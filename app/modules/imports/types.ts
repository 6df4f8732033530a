/**
 * One problem with an uploaded file. `row` is the spreadsheet's row number (the header is row 1; null
 * when the file as a whole cannot be read); `column` is the header as written in the file.
 */
export interface ImportProblem {
  row: number | null;
  column: string | null;
  messageKey: string;
  params?: Record<string, string | number>;
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
  counts: ImportCounts;
  errors: ImportProblem[];
  /** Headers we did not recognise; their columns were not read. */
  ignoredColumns: string[];
  /** Field → the header as written in the file, so problems found when applying name the same columns. */
  headers: Record<string, string>;
  changes: RowChange[];
  /** Set when the batch was applied: what was written, which may differ from the preview if data changed in between. */
  applied?: { at: string; counts: ImportCounts };
}
