import ExcelJS from "exceljs";
import type { DbOrTx } from "~db/client";
import { maySeeCadre, maySeeUnit, type RankingsCaller } from "./access";
import type { SharingSettings, SubjectKind } from "./model";
import { type RowLike, rankingTable, type Table, tableCsv } from "./tables";
import { type RankingHead, type TableQuery, tableView } from "./views.server";

/**
 * Exports equal to the pages: the same query (peer group, search, sort) read without paging, the same
 * table builder. XLSX keeps numbers as numbers; text that starts like a formula stays text.
 */

const FILLS = { danger: "FFFDECEA", warn: "FFFFF4D6", ok: "FFE6F4EA" } as const;

export async function tableXlsx(table: Table, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Luoshi";
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet1", {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.addRow(table.columns.map((c) => c.label)).font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(
      row.map((cell) => (typeof cell.value === "string" && /^[=+\-@\t\r]/.test(cell.value) ? `'${cell.value}` : cell.value)),
    );
    row.forEach((cell, i) => {
      if (cell.tone) added.getCell(i + 1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: FILLS[cell.tone] } };
    });
  }
  table.columns.forEach((c, i) => {
    const longest = Math.max(c.label.length * 2, ...table.rows.map((r) => String(r[i]?.value ?? "").length * 2));
    sheet.getColumn(i + 1).width = Math.min(40, Math.max(8, longest));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The rows of a peer group's table as a reader may see them (links only where they may open). */
export async function readableRows(
  db: DbOrTx,
  caller: RankingsCaller,
  sharing: SharingSettings,
  ranking: RankingHead,
  kind: SubjectKind,
  query: TableQuery,
): Promise<{ view: Awaited<ReturnType<typeof tableView>>; rows: RowLike[] }> {
  const view = await tableView(db, ranking, kind, query);
  const rows = view.rows.map((r) => ({
    ...r,
    canOpen: kind === "units" ? maySeeUnit(caller, r.id) : maySeeCadre(caller, sharing, { cadreId: r.id, unitId: r.unitId ?? 0 }),
  }));
  return { view, rows };
}

export async function exportResponse(table: Table, format: "csv" | "xlsx", title: string): Promise<Response> {
  const body = format === "csv" ? tableCsv(table) : new Uint8Array(await tableXlsx(table, title));
  const type = format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${table.name}.${format}"; filename*=UTF-8''${encodeURIComponent(`${title}.${format}`)}`,
      "Cache-Control": "no-store",
    },
  });
}

export { rankingTable };
