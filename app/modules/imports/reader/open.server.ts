import fs from "node:fs/promises";
import type { ColumnSpec } from "../columns";
import { fileExtension, LEGACY_EXTENSIONS } from "../constants";
import type { ImportProblem } from "../types";
import { cellText } from "../values";
import { findHeaderRow, rowRole, rowText } from "./layout";
import { READ_LIMITS, ReadRefusal, refuse } from "./limits";
import type { SheetLayout, SheetRow, SkippedRow } from "./rows";

export type { SheetLayout, SkippedRow };

import { type Delimiter, delimitedRows, detectDelimiter, detectEncoding, type TextEncodingName, textChunks } from "./text.server";
import { type WorkbookSheet, XlsxWorkbook } from "./xlsx.server";

/**
 * The one spreadsheet reader every import kind uses, on the web and on the command line: it opens a
 * file (CSV or tab-separated text in any of the encodings Excel and WPS write, or .xlsx), chooses the
 * sheet by its headers, finds the header row under titles and notes, and hands on the data rows as a
 * stream, leaving out and reporting footers, the template's example row and headers repeated on every
 * printed page. What it took as sheet and header is part of the result, for the preview to show.
 */

/** Kept in a summary: enough to tell the department what was left out, not a copy of the file. */
export const MAX_SKIPPED_KEPT = 50;

export interface OpenedSheet {
  ok: true;
  layout: SheetLayout;
  /** The data rows, in order. */
  rows: AsyncGenerator<SheetRow>;
  /** Rows left out so far (complete once `rows` is done), at most MAX_SKIPPED_KEPT; `skippedCount` counts all. */
  skipped: SkippedRow[];
  skippedCount: () => number;
  close: () => Promise<void>;
}

export type OpenResult = OpenedSheet | { ok: false; problems: ImportProblem[]; layout: Partial<SheetLayout> };

export interface OpenOptions {
  path: string;
  fileName: string;
  columns: readonly ColumnSpec[];
  /** The kind's key column, to tell a footer (nothing there) from data. */
  keyField: string;
  /** The sheet asked for by name; otherwise the one whose header names the most columns. */
  sheet?: string | null;
  /** The header row found by an earlier read of the same file (confirming re-reads it). */
  headerRow?: number | null;
  /** Every row left out, whole, as it is met (the marked-up copy writes them back where they were). */
  onSkipped?: (row: SheetRow, reason: SkippedRow["reason"]) => void;
  /** The header row itself, whole. */
  onHeader?: (row: SheetRow) => void;
}

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const TEXT_EXTENSIONS = new Set([".csv", ".txt", ".tsv"]);

const fileProblem = (messageKey: string, params?: Record<string, string | number>): ImportProblem => ({
  row: null,
  column: null,
  messageKey,
  params,
});

export async function openSheet(options: OpenOptions): Promise<OpenResult> {
  const ext = fileExtension(options.fileName);
  if ((LEGACY_EXTENSIONS as readonly string[]).includes(ext))
    return { ok: false, problems: [fileProblem("imports.errors.xlsFormat")], layout: {} };
  if (ext !== ".xlsx" && !TEXT_EXTENSIONS.has(ext)) return { ok: false, problems: [fileProblem("imports.errors.fileType")], layout: {} };
  const handle = await fs.open(options.path, "r");
  let handedOver = false;
  try {
    const { size } = await handle.stat();
    if (size === 0) return { ok: false, problems: [fileProblem("imports.errors.emptyFile")], layout: {} };
    if (size > READ_LIMITS.fileBytes) {
      return { ok: false, problems: [fileProblem("imports.errors.fileTooLarge", { mb: READ_LIMITS.fileBytes / 1048576 })], layout: {} };
    }
    const magic = Buffer.alloc(8);
    await handle.read(magic, 0, 8, 0);
    if (magic.equals(OLE)) return { ok: false, problems: [fileProblem("imports.errors.xlsFormat")], layout: {} };
    const isZip = magic[0] === 0x50 && magic[1] === 0x4b;
    if (ext === ".xlsx" && !isZip) return { ok: false, problems: [fileProblem("imports.errors.unreadable")], layout: {} };
    if (ext !== ".xlsx" && isZip) return { ok: false, problems: [fileProblem("imports.errors.xlsxNamedCsv")], layout: {} };
    const result = ext === ".xlsx" ? await openWorkbook(options, handle) : await openText(options, handle);
    if (result.ok) {
      handedOver = true;
      const close = result.close;
      result.close = async () => {
        await close();
        await handle.close();
      };
    }
    return result;
  } catch (error) {
    if (error instanceof ReadRefusal) return { ok: false, problems: [fileProblem(error.messageKey, error.params)], layout: {} };
    throw error;
  } finally {
    if (!handedOver) await handle.close();
  }
}

async function openText(options: OpenOptions, handle: fs.FileHandle): Promise<OpenResult> {
  const encoding = await detectEncoding(options.path, handle);
  const sample = await firstText(options.path, encoding, 64 * 1024);
  const delimiter: Delimiter = detectDelimiter(sample);
  const layout = { format: delimiter === "\t" ? ("tsv" as const) : ("csv" as const), encoding, sheet: null, sheets: [] };
  const rows = delimitedRows(textChunks(options.path, encoding), delimiter);
  return table(options, rows, layout, async () => {
    await rows.return(undefined);
  });
}

async function firstText(path: string, encoding: TextEncodingName, chars: number): Promise<string> {
  let text = "";
  for await (const chunk of textChunks(path, encoding)) {
    text += chunk;
    if (text.length >= chars) break;
  }
  return text;
}

async function openWorkbook(options: OpenOptions, handle: fs.FileHandle): Promise<OpenResult> {
  const workbook = await XlsxWorkbook.open(options.path, handle);
  const visible = workbook.sheets.filter((s) => !s.hidden);
  const names = visible.map((s) => s.name);
  let sheet: WorkbookSheet | undefined;
  if (options.sheet) {
    sheet = workbook.sheets.find((s) => s.name === options.sheet) ?? workbook.sheets.find((s) => s.name.trim() === options.sheet?.trim());
    if (!sheet) {
      return {
        ok: false,
        problems: [fileProblem("imports.errors.noSuchSheet", { sheet: options.sheet, sheets: names.join("、") })],
        layout: { format: "xlsx", sheets: names },
      };
    }
  } else {
    // The sheet whose header names the most columns; a workbook's instructions sheet names none.
    let best = -1;
    for (const candidate of visible.length ? visible : workbook.sheets) {
      const first: SheetRow[] = [];
      const rows = workbook.rows(candidate);
      try {
        for await (const r of rows) {
          first.push(r);
          if (first.length >= READ_LIMITS.headerScanRows) break;
        }
      } finally {
        await rows.return(undefined);
      }
      const score = findHeaderRow(options.columns, first)?.score ?? 0;
      if (score > best) {
        best = score;
        sheet = candidate;
      }
    }
  }
  if (!sheet) throw refuse("imports.errors.emptyFile");
  // Read through once at inflating speed: a bomb stops here, and the merged ranges are known before
  // the rows are parsed.
  const merges = await workbook.survey(sheet);
  const rows = workbook.rows(sheet, { merges });
  return table(options, rows, { format: "xlsx", encoding: null, sheet: sheet.name, sheets: names }, async () => {
    await rows.return(undefined);
  });
}

/** Finds the header in the first rows, then streams the rows below it, leaving out what is not data. */
async function table(
  options: OpenOptions,
  source: AsyncGenerator<SheetRow>,
  base: Omit<SheetLayout, "headerRow" | "headers">,
  close: () => Promise<void>,
): Promise<OpenResult> {
  const first: SheetRow[] = [];
  try {
    while (first.length < READ_LIMITS.headerScanRows) {
      const next = await source.next();
      if (next.done) break;
      first.push(next.value);
    }
  } catch (error) {
    await close();
    throw error;
  }
  if (!first.length) {
    await close();
    return { ok: false, problems: [fileProblem("imports.errors.emptyFile")], layout: base };
  }
  let index: number;
  if (options.headerRow) {
    index = first.findIndex((r) => r.row === options.headerRow);
  } else {
    index = findHeaderRow(options.columns, first)?.index ?? -1;
  }
  if (index < 0) {
    await close();
    const where: Record<string, string> = base.sheet ? { sheet: base.sheet } : {};
    return {
      ok: false,
      problems: [
        fileProblem(base.sheet ? "imports.errors.noHeaderInSheet" : "imports.errors.noHeader", {
          rows: READ_LIMITS.headerScanRows,
          first: rowText(first[0]!.cells),
          ...where,
        }),
      ],
      layout: base,
    };
  }
  const headerRow = first[index]!;
  const headers = Array.from(headerRow.cells, (c) => cellText(c ?? null));
  const layout: SheetLayout = { ...base, headerRow: headerRow.row, headers };
  const skipped: SkippedRow[] = [];
  let skippedCount = 0;
  const skip = (row: SheetRow, reason: SkippedRow["reason"]) => {
    options.onSkipped?.(row, reason);
    skippedCount++;
    if (skipped.length < MAX_SKIPPED_KEPT) skipped.push({ row: row.row, reason, text: rowText(row.cells) });
  };
  for (const r of first.slice(0, index)) skip(r, "beforeHeader");
  options.onHeader?.(headerRow);

  const keyIndex = keyColumnIndex(options, headers);
  async function* dataRows(): AsyncGenerator<SheetRow> {
    const classify = (r: SheetRow) => rowRole(r.cells, { keyIndex, header: headers });
    for (const r of first.slice(index + 1)) {
      const role = classify(r);
      if (role === "data") yield r;
      else skip(r, role);
    }
    for await (const r of source) {
      const role = classify(r);
      if (role === "data") yield r;
      else skip(r, role);
    }
  }
  return { ok: true, layout, rows: dataRows(), skipped, skippedCount: () => skippedCount, close };
}

function keyColumnIndex(options: OpenOptions, headers: string[]): number | null {
  const spec = options.columns.find((c) => c.field === options.keyField);
  if (!spec) return null;
  const found = headers.findIndex((h) => h && findHeaderRow([spec], [{ row: 0, cells: [h] }]) !== null);
  return found < 0 ? null : found;
}
