import { tableResponse } from "~/modules/attendance/reports/export.server";
import type { ReportTable } from "~/modules/attendance/reports/tables";
import { describeDevice } from "~/modules/auth/devices";
import { formatDateTime } from "~/utils/dates";
import { type Locale, translator } from "~/utils/i18n";
import type { DbOrTx } from "~db/client";
import { type SecurityEventFilter, securityEventsForExport } from "./events.server";

/** The filtered security log as CSV or XLSX, oldest first, with the page's columns. */
export async function securityEventsExport(db: DbOrTx, filter: SecurityEventFilter, format: "csv" | "xlsx", locale: Locale) {
  const t = translator(locale);
  const { rows } = await securityEventsForExport(db, filter);
  const table: ReportTable = {
    name: "security-log",
    columns: [
      { label: t("security.events.at") },
      { label: t("security.events.kind") },
      { label: t("security.events.account") },
      { label: t("security.events.identifier") },
      { label: t("security.events.actor") },
      { label: t("security.events.reason") },
      { label: t("security.events.address") },
      { label: t("security.events.device") },
      { label: t("security.events.kindCode") },
      { label: t("security.events.rowId"), numeric: true },
    ],
    rows: rows.map((r) => [
      { value: formatDateTime(r.at, locale) },
      { value: t(`security.events.kinds.${r.kind}`) },
      { value: r.userName ?? "" },
      { value: r.identifier ?? "" },
      { value: r.actorName ?? "" },
      { value: r.reason ? t(`security.events.reasons.${r.reason}`, { defaultValue: r.reason }) : "" },
      { value: r.address ?? "" },
      { value: r.userAgent ? describeDevice(r.userAgent, t) : "" },
      { value: r.kind },
      { value: r.id },
    ]),
  };
  return tableResponse(table, format, t("security.events.title"));
}
