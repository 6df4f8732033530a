import type { LoaderFunctionArgs } from "@remix-run/node";
import { EXPORT_FORMATS, type ExportFormat, tableResponse } from "~/modules/attendance/reports/export.server";
import { sessionReport } from "~/modules/attendance/reports/session-report.server";
import { sessionRecordsTable } from "~/modules/attendance/reports/tables";
import { parseCode } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** A session's attendance records as CSV or XLSX: the rows of its page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const code = parseCode(params.code);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") as ExportFormat;
  if (!code || !EXPORT_FORMATS.includes(format)) throw notFoundResponse();
  const db = getDb();
  try {
    const report = await sessionReport(db, user, code, { q: url.searchParams.get("q") ?? "", rules: await getAttendanceRules(db) });
    const t = translator(getLocale(request, user));
    return tableResponse(
      sessionRecordsTable(report.session.code, report.records, t),
      format,
      `${report.session.code}-${t("attendance.title")}`,
    );
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
