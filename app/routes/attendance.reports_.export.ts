import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolvePeriod } from "~/modules/attendance/period";
import { EXPORT_FORMATS, type ExportFormat, tableResponse } from "~/modules/attendance/reports/export.server";
import { sessionsTable, unitsTable } from "~/modules/attendance/reports/tables";
import { organizationReport } from "~/modules/attendance/reports/unit-report.server";
import { PeriodQuerySchema } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** The report page's tables as CSV or XLSX, for the same period. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const url = new URL(request.url);
  const format = url.searchParams.get("format") as ExportFormat;
  const table = url.searchParams.get("table");
  if (!EXPORT_FORMATS.includes(format) || (table !== "sessions" && table !== "units")) throw notFoundResponse();
  const db = getDb();
  const period = resolvePeriod(PeriodQuerySchema.parse(formValues(url.searchParams)), todayInShanghai());
  const rules = await getAttendanceRules(db);
  try {
    const report = await organizationReport(db, user, { period: period.query, rules });
    const t = translator(getLocale(request, user));
    const threshold = rules.lowAttendance.threshold;
    const made = table === "sessions" ? sessionsTable(report.sessions, t, threshold) : unitsTable(report.units, t, threshold);
    const title = `${t(table === "sessions" ? "attendance.reports.sessions" : "attendance.reports.units")}-${period.from}-${period.to}`;
    return tableResponse(made, format, title);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
