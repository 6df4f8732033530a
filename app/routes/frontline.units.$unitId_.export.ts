import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { tableResponse } from "~/modules/frontline/export.server";
import { resolvePeriod, unitReport } from "~/modules/frontline/reports.server";
import { MonthPeriodSchema, parseIdParam } from "~/modules/frontline/schema";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { UNIT_TABLES } from "~/modules/frontline/tables";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

const ExportSchema = MonthPeriodSchema.extend({
  table: z.enum(["months", "cadres"]).catch("cadres"),
  format: z.enum(["csv", "xlsx"]).catch("csv"),
});

/** The unit page's tables as CSV or XLSX, built by the same function as the page, in the reader's language. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const unitId = parseIdParam(params.unitId);
  if (unitId === null) throw notFoundResponse();
  const query = ExportSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = todayInShanghai();
  const db = getDb();
  try {
    const report = await unitReport(db, user, unitId, { ...resolvePeriod(query, today), today, rules: await getFrontlineRules(db) });
    const t = translator(getLocale(request, user));
    const table = UNIT_TABLES[query.table](report, t);
    const title = `${report.unit.name}-${t(query.table === "months" ? "frontline.unit.monthsTable" : "frontline.unit.cadresTable")}`;
    return tableResponse(table, query.format, title);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
