import type { Cell } from "../values";

/** One row of a sheet as read: its number in the spreadsheet (1-based) and its cells, left to right. */
export interface SheetRow {
  row: number;
  cells: Cell[];
}

/** Whether a row has nothing in it. */
export function blankCells(cells: readonly Cell[]): boolean {
  return cells.every((c) => c == null || (typeof c === "string" && !c.trim()));
}

/** How a text file's bytes were decoded. */
export type TextEncodingName = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030";

export type SheetFormat = "xlsx" | "csv" | "tsv";

export interface SheetLayout {
  format: SheetFormat;
  /** Text files only: how the bytes were decoded. */
  encoding: TextEncodingName | null;
  /** Workbooks only: the sheet read, and the visible sheets there were. */
  sheet: string | null;
  sheets: string[];
  /** The row taken as the header (1-based), and its cells as text. */
  headerRow: number;
  headers: string[];
}

export interface SkippedRow {
  row: number;
  reason: "beforeHeader" | "footer" | "example" | "repeatedHeader";
  text: string;
}
