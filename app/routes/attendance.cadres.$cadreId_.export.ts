import type { LoaderFunctionArgs } from "@remix-run/node";
import { EXPORT_FORMATS, type ExportFormat, tableResponse } from "~/modules/attendance/reports/export.server";
import { cadreHistory } from "~/modules/attendance/reports/history.server";
import { historyTable } from "~/modules/attendance/reports/tables";
import { PeriodQuerySchema, parseId } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** The cadre's year as CSV or XLSX: the rows of the page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cadreId = parseId(params.cadreId);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") as ExportFormat;
  if (!cadreId || !EXPORT_FORMATS.includes(format)) throw notFoundResponse();
  const query = PeriodQuerySchema.parse(formValues(url.searchParams));
  const db = getDb();
  try {
    const history = await cadreHistory(db, user, cadreId, {
      year: query.year ?? Number(todayInShanghai().slice(0, 4)),
      rules: await getAttendanceRules(db),
    });
    const t = translator(getLocale(request, user));
    return tableResponse(
      historyTable(history.cadre.staffNo, history.rows, t),
      format,
      `${history.cadre.name}-${history.year}-${t("attendance.title")}`,
    );
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
