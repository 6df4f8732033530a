import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolvePeriod } from "~/modules/attendance/period";
import { EXPORT_FORMATS, type ExportFormat, tableResponse } from "~/modules/attendance/reports/export.server";
import { missedTable, unitCadresTable } from "~/modules/attendance/reports/tables";
import { unitReport } from "~/modules/attendance/reports/unit-report.server";
import { PeriodQuerySchema, parseId } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** The unit page's tables as CSV or XLSX, for the same period and with the same checks. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const unitId = parseId(params.unitId);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") as ExportFormat;
  const table = url.searchParams.get("table");
  if (!unitId || !EXPORT_FORMATS.includes(format) || (table !== "cadres" && table !== "missed")) throw notFoundResponse();
  const db = getDb();
  const period = resolvePeriod(PeriodQuerySchema.parse(formValues(url.searchParams)), todayInShanghai());
  const rules = await getAttendanceRules(db);
  try {
    const report = await unitReport(db, user, unitId, { period: period.query, rules });
    const t = translator(getLocale(request, user));
    const made =
      table === "cadres"
        ? unitCadresTable(report.unit.code, report.cadres, t, rules.lowAttendance.threshold)
        : missedTable(report.unit.code, report.missed, t);
    const title = `${report.unit.name}-${t(table === "cadres" ? "attendance.unit.cadres" : "attendance.unit.missedTitle")}-${period.from}-${period.to}`;
    return tableResponse(made, format, title);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
