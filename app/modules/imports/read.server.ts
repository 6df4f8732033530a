import ExcelJS from "exceljs";
import Papa from "papaparse";
import { fileExtension, IMPORT_EXTENSIONS, MAX_IMPORT_BYTES } from "./constants";
import { decodeText } from "./decode";
import type { ImportProblem } from "./types";
import type { Cell } from "./values";

/** A sheet as rows of cells; `row` is the spreadsheet's own row number (header = 1). */
export interface SheetTable {
  headers: string[];
  rows: { row: number; cells: Cell[] }[];
}

export type ReadResult = { ok: true; table: SheetTable } | { ok: false; problems: ImportProblem[] };

const fileProblem = (messageKey: string, params?: Record<string, string | number>): ReadResult => ({
  ok: false,
  problems: [{ row: null, column: null, messageKey, params }],
});

/** Reads a .csv or .xlsx file into rows; blank rows are dropped but keep their numbers counted. */
export async function readSheet(fileName: string, bytes: Uint8Array): Promise<ReadResult> {
  const ext = fileExtension(fileName);
  if (!(IMPORT_EXTENSIONS as readonly string[]).includes(ext)) return fileProblem("imports.errors.fileType");
  if (bytes.byteLength === 0) return fileProblem("imports.errors.emptyFile");
  if (bytes.byteLength > MAX_IMPORT_BYTES) return fileProblem("imports.errors.fileTooLarge");
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  // An .xlsx is a zip archive; a renamed .xls or a CSV called .xlsx is not, and vice versa.
  if (ext === ".xlsx" && !isZip) return fileProblem("imports.errors.unreadable");
  if (ext === ".csv" && isZip) return fileProblem("imports.errors.xlsxNamedCsv");
  const result = ext === ".csv" ? readCsv(bytes) : await readXlsx(bytes);
  if (result.ok && result.table.headers.every((h) => !h.trim())) return fileProblem("imports.errors.emptyFile");
  return result;
}

export function readCsv(bytes: Uint8Array): ReadResult {
  const { text } = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const problems: ImportProblem[] = [];
  for (const e of parsed.errors) {
    // A single-column file has no delimiter to detect; that is not a problem.
    if (e.type === "Delimiter") continue;
    problems.push({ row: (e.row ?? 0) + 1, column: null, messageKey: "imports.errors.csvQuotes" });
  }
  if (problems.length) return { ok: false, problems };
  const [headers = [], ...rest] = parsed.data;
  return {
    ok: true,
    table: {
      headers: headers.map((h) => String(h ?? "")),
      rows: rest.map((cells, i) => ({ row: i + 2, cells })).filter((r) => !blankRow(r.cells)),
    },
  };
}

export async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    return fileProblem("imports.errors.unreadable");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return fileProblem("imports.errors.emptyFile");
  const values = (row: ExcelJS.Row): Cell[] => {
    // row.values is 1-based: index 0 is always empty.
    const raw = Array.isArray(row.values) ? row.values.slice(1) : [];
    return Array.from(raw, (v) => xlsxCell(v));
  };
  const headers = values(sheet.getRow(1)).map((c) => (c == null ? "" : String(c instanceof Date ? c.toISOString() : c)));
  const rows: SheetTable["rows"] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = values(row);
    if (!blankRow(cells)) rows.push({ row: rowNumber, cells });
  });
  return { ok: true, table: { headers, rows } };
}

/** What a cell shows: formulas by their result, rich text and links by their text. */
export function xlsxCell(value: ExcelJS.CellValue): Cell {
  if (value == null) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof Date) {
    return value;
  }
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result == null ? null : xlsxCell(result as ExcelJS.CellValue);
  }
  if ("hyperlink" in value) {
    const text = (value as { text: unknown }).text;
    if (text && typeof text === "object" && "richText" in text) return xlsxCell(text as ExcelJS.CellRichTextValue);
    return text == null ? null : String(text);
  }
  if ("error" in value) return value.error;
  return null;
}

function blankRow(cells: Cell[]): boolean {
  return cells.every((c) => c == null || (typeof c === "string" && !c.trim()));
}
