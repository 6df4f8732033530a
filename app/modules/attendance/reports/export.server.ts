import ExcelJS from "exceljs";
import type { ReportTable } from "./tables";

/**
 * A page's table as CSV or XLSX: the same rows, the same labels, the same tones (as fills in Excel).
 * A cell that starts like a formula (=, +, -, @) is written as text, so a name can never run as one.
 */
export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: string | number): string {
  if (typeof value === "number") return String(value);
  const text = safeText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** With a BOM and CRLF, so that Excel on a Chinese Windows opens it as UTF-8. */
export function tableCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => csvField(c.label)), ...table.rows.map((row) => row.map((cell) => csvField(cell.value)))];
  return `\uFEFF${lines.map((l) => l.join(",")).join("\r\n")}\r\n`;
}

const FILLS = { danger: "FFFDECEA", warn: "FFFFF4D6", ok: "FFE6F4EA" } as const;

export async function tableXlsx(table: ReportTable, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Luoshi";
  // Excel refuses sheet names over 31 characters or with []:*?/\.
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet1", {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.addRow(table.columns.map((c) => c.label)).font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((cell) => (typeof cell.value === "string" ? safeText(cell.value) : cell.value)));
    row.forEach((cell, i) => {
      if (cell.tone) added.getCell(i + 1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: FILLS[cell.tone] } };
    });
  }
  table.columns.forEach((c, i) => {
    const longest = Math.max(c.label.length * 2, ...table.rows.map((r) => String(r[i]?.value ?? "").length * 2));
    sheet.getColumn(i + 1).width = Math.min(48, Math.max(8, longest));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The download: named in ASCII and, for browsers that read it, in the page's own words. */
export async function tableResponse(table: ReportTable, format: ExportFormat, title: string): Promise<Response> {
  const body = format === "csv" ? tableCsv(table) : new Uint8Array(await tableXlsx(table, title));
  const type = format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const ascii = `${table.name.replace(/[^\w.-]/g, "_")}.${format}`;
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${title}.${format}`)}`,
      "Cache-Control": "no-store",
    },
  });
}
