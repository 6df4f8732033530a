import ExcelJS from "exceljs";
import { formatDateTime } from "~/utils/dates";
import { type Locale, translator } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { rosterQuery } from "./admin-views.server";
import type { RosterFilter } from "./schema";
import { findSessionByCode } from "./sessions.server";

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The roster of a session as a file, with the same rows and filter as the page, headers in the reader's
 * language and times in Asia/Shanghai. CSV carries a BOM so that Excel reads the Chinese as UTF-8.
 */
export async function rosterExport(
  db: DbOrTx,
  code: string,
  format: ExportFormat,
  locale: Locale,
  filter: Omit<RosterFilter, "page"> = {},
) {
  const t = translator(locale);
  const session = await findSessionByCode(db, code);
  const rows = await rosterQuery(db, session.id, filter);
  const header = [
    t("classes.roster.staffNo"),
    t("classes.roster.name"),
    t("classes.roster.unit"),
    t("classes.roster.rank"),
    t("classes.roster.post"),
    t("classes.roster.place"),
    t("classes.roster.waitlist"),
    t("classes.roster.source"),
    t("classes.roster.leave"),
    t("classes.roster.status"),
    t("classes.roster.registeredAt"),
  ];
  const body = rows.map((r) => [
    r.staffNo,
    r.name,
    r.unitName,
    t(`ranks.${r.rank}`),
    r.title,
    r.status === "registered" ? (r.venueName ?? t("classes.online")) : "",
    r.waitlistVenueName ?? "",
    t(`classes.sources.${r.source}`),
    r.leaveStatus ? t(`classes.leaveStatuses.${r.leaveStatus}`) : "",
    t(`classes.registrationStatuses.${r.status}`),
    formatDateTime(r.registeredAt, locale),
  ]);
  const base = `${session.code}-roster`;
  if (format === "csv") {
    const csv = [header, ...body].map((line) => line.map(csvCell).join(",")).join("\r\n");
    return { fileName: `${base}.csv`, contentType: "text/csv; charset=utf-8", body: new TextEncoder().encode(`\uFEFF${csv}\r\n`) };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(session.code);
  sheet.addRow([`${session.code} ${session.title}`]);
  sheet.addRow(header).font = { bold: true };
  for (const line of body) sheet.addRow(line);
  sheet.views = [{ state: "frozen", ySplit: 2 }];
  for (const [i, c] of sheet.columns.entries()) c.width = [12, 10, 24, 10, 14, 22, 22, 10, 10, 10, 18][i] ?? 12;
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    fileName: `${base}.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    body: new Uint8Array(buffer as ArrayBuffer),
  };
}

/** Quotes when needed; a leading = + - @ is defused so a spreadsheet never runs a name as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
