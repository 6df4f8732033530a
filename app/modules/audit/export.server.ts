import { tableResponse } from "~/modules/attendance/reports/export.server";
import type { ReportTable } from "~/modules/attendance/reports/tables";
import { formatDateTime } from "~/utils/dates";
import { type Locale, translator } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { type AuditFilter, auditForExport } from "./service.server";
import { auditRowView, changeText } from "./view";

/** The filtered audit trail as CSV or XLSX: the page's columns, every matching row, oldest first. */
export async function auditExport(db: DbOrTx, filter: AuditFilter, format: "csv" | "xlsx", locale: Locale): Promise<Response> {
  const t = translator(locale);
  const { rows } = await auditForExport(db, filter);
  const table: ReportTable = {
    name: "audit-log",
    columns: [
      { label: t("admin.audit.at") },
      { label: t("admin.audit.actor") },
      { label: t("admin.audit.actorRoles") },
      { label: t("admin.audit.actorUnits") },
      { label: t("admin.audit.action") },
      { label: t("admin.audit.object") },
      { label: t("admin.audit.changes") },
      { label: t("admin.audit.reason") },
      { label: t("admin.audit.actionCode") },
      { label: t("admin.audit.rowId"), numeric: true },
    ],
    rows: rows.map((row) => {
      const view = auditRowView(row, t, { links: false });
      return [
        { value: formatDateTime(row.at, locale) },
        { value: view.actor },
        { value: view.actorRoles },
        { value: view.actorUnits },
        { value: view.description },
        { value: view.object },
        { value: view.changes.map((c) => changeText(c, t)).join("\n") },
        { value: view.reason },
        { value: row.action },
        { value: row.id },
      ];
    }),
  };
  return tableResponse(table, format, t("admin.audit.title"));
}
