import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import type { Database } from "~db/client";
import { fileExtension } from "./constants";
import { withStoredFile } from "./files.server";
import { findImportKind } from "./kinds.server";
import { type CheckedRow, runPipeline } from "./pipeline.server";
import type { SheetRow } from "./reader/rows";
import { EVERYTHING, openImportSheet } from "./service.server";
import type { ImportProblem, ImportSummary } from "./types";

/**
 * A rejected file sent back as the department made it, so that they fix it where they work: every row
 * where it was (titles, the header, the data, footers), a 错误说明 column saying what is wrong with each
 * row, and the cells at fault filled red. Made from the kept file, read and checked again as confirming
 * would, and written as a stream: every problem is there, however many the page lists.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;

export const ERROR_COLUMN = "错误说明";
const BAD_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: "FF9C0006" } };

export interface RejectedBatch {
  id: number;
  kind: string;
  fileName: string;
  summary: ImportSummary;
}

/** The marked-up workbook's file name: the upload's, with 错误标注 and .xlsx. */
export function rejectedFileName(fileName: string): string {
  const ext = fileExtension(fileName);
  const base = ext ? fileName.slice(0, -ext.length) : fileName;
  return `${base}（错误标注）.xlsx`;
}

interface RejectedOptions {
  t: Translate;
  today: string;
  scope?: typeof EVERYTHING;
  actorUserId?: number | null;
}

/** The marked-up copy of a kept batch's file (the batch page's download). */
export async function writeRejectedWorkbook(db: Database, batch: RejectedBatch, out: Writable, options: RejectedOptions) {
  return withStoredFile(db, batch.id, fileExtension(batch.fileName), (filePath) =>
    writeRejectedFile(db, { kind: batch.kind, fileName: batch.fileName, filePath, summary: batch.summary }, out, options),
  );
}

/** The marked-up copy of a file on disk, read as its summary says (the command line's --errors). */
export async function writeRejectedFile(
  db: Database,
  file: { kind: string; fileName: string; filePath: string; summary: Pick<ImportSummary, "layout" | "params"> },
  out: Writable,
  options: RejectedOptions,
): Promise<{ problems: number }> {
  const kind = findImportKind(file.kind);
  const layout = file.summary.layout;
  if (!kind || !layout) throw new Error(`${file.fileName} cannot be read again`);
  const batch = { fileName: file.fileName, summary: file.summary };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet((layout.sheet ?? "Sheet1").slice(0, 31));
  const errorCol = Math.max(layout.headers.length, 1) + 1;
  const columnOf = new Map(layout.headers.map((h, i) => [h.trim(), i + 1] as const));
  let lastWritten = 0;
  let problems = 0;

  const write = (n: number, cells: SheetRow["cells"], rowProblems: ImportProblem[] | null, header = false) => {
    if (n <= lastWritten) return;
    const row = sheet.getRow(n);
    cells.forEach((c, i) => {
      if (c !== null && c !== undefined && c !== "") row.getCell(i + 1).value = c as ExcelJS.CellValue;
    });
    if (header) {
      row.getCell(errorCol).value = ERROR_COLUMN;
      row.font = { bold: true };
    }
    if (rowProblems?.length) {
      problems += rowProblems.length;
      for (const p of rowProblems) {
        const col = p.column ? columnOf.get(p.column.trim()) : undefined;
        if (!col) continue;
        const cell = row.getCell(col);
        cell.fill = BAD_FILL;
        cell.font = BAD_FONT;
      }
      const note = rowProblems.map((p) =>
        p.column ? `${p.column}：${options.t(p.messageKey, p.params)}` : options.t(p.messageKey, p.params),
      );
      const cell = row.getCell(errorCol);
      cell.value = note.join("；");
      cell.font = BAD_FONT;
    }
    row.commit();
    lastWritten = n;
  };

  // Rows left out by the reader (titles, footers) arrive as they are met; data rows a chunk later.
  // Both are written in row order.
  const waiting: { row: number; cells: SheetRow["cells"] }[] = [];
  const flushBefore = (n: number) => {
    while (waiting.length && waiting[0]!.row < n) {
      const r = waiting.shift()!;
      write(r.row, r.cells, null);
    }
  };
  const delivered = new Set<ImportProblem>();
  const lateProblems: ImportProblem[] = [];

  {
    const filePath = file.filePath;
    const opened = await openImportSheet(kind, filePath, batch.fileName, {
      sheet: layout.sheet,
      headerRow: layout.headerRow,
      onSkipped: (r) => waiting.push({ row: r.row, cells: r.cells }),
      onHeader: (r) => {
        flushBefore(r.row);
        write(r.row, r.cells, null, true);
      },
    });
    if (!opened.ok) throw new Error(`${batch.fileName} no longer reads`);
    try {
      await db.transaction(
        (tx) =>
          runPipeline(tx, kind, opened.sheet, {
            today: options.today,
            actor: { userId: options.actorUserId ?? null },
            scope: options.scope ?? EVERYTHING,
            params: batch.summary.params ?? {},
            onRows: async (rows: CheckedRow[]) => {
              if (!rows.length) return;
              for (const r of rows) {
                for (const p of r.problems) delivered.add(p);
                flushBefore(r.row);
                write(r.row, r.cells, r.problems.length ? r.problems : null);
              }
            },
          }).then((outcome) => {
            // Problems found only at the end (an address taken by someone not in the file), listed below.
            for (const p of outcome.problems) if (!delivered.has(p)) lateProblems.push(p);
          }),
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
    } finally {
      await opened.sheet.close();
    }
  }
  flushBefore(Number.POSITIVE_INFINITY);
  if (lateProblems.length) {
    const row = sheet.getRow(lastWritten + 2);
    row.getCell(1).value = lateProblems
      .map((p) =>
        p.row
          ? options.t("imports.rowMessage", { row: p.row, message: options.t(p.messageKey, p.params) })
          : options.t(p.messageKey, p.params),
      )
      .join("；");
    row.getCell(1).font = BAD_FONT;
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
  return { problems };
}
