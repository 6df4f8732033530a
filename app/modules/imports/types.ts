import type { Rank, UnitKind } from "~db/schema/enums";
import type { ImportKind } from "./columns";

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

/** A unit row after its cells were checked and normalised; what a batch stores and applies. */
export interface UnitRow {
  row: number;
  code: string;
  name: string;
  kind: UnitKind;
  /** null: a top-level unit. undefined: the file has no parent column, so the parent is left as it is. */
  parentCode?: string | null;
}

export interface CadreRow {
  row: number;
  staffNo: string;
  name: string;
  unitCode: string;
  rank: Rank;
  title: string;
  email: string | null;
  /** undefined: the file has no phone column, so the phone is left as it is. */
  phone?: string | null;
  isHead: boolean;
  /** The date the cadre joined the unit: opens the first membership, or dates a transfer. */
  since: string | null;
}

export type ImportRow = UnitRow | CadreRow;

export type ChangeAction = "create" | "update" | "transfer" | "unchanged";

export interface FieldChange {
  field: string;
  before: string | boolean | null;
  after: string | boolean | null;
}

/** One row's effect, as the preview lists it. Unchanged rows are counted, not listed. */
export interface RowChange {
  row: number;
  key: string;
  name: string;
  action: Exclude<ChangeAction, "unchanged">;
  fields: FieldChange[];
  /** For a transfer: the date the old membership ends and the new one begins. */
  transferDate?: string;
}

export interface ImportCounts {
  rows: number;
  create: number;
  update: number;
  transfer: number;
  unchanged: number;
  errors: number;
}

/** What import_batches.summary holds. */
export interface ImportSummary {
  kind: ImportKind;
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
