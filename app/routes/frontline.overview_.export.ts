import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/modules/auth/guards.server";
import { tableResponse } from "~/modules/frontline/export.server";
import { frontlineOverview, resolvePeriod } from "~/modules/frontline/reports.server";
import { MonthPeriodSchema } from "~/modules/frontline/schema";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { OVERVIEW_TABLES } from "~/modules/frontline/tables";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";

const ExportSchema = MonthPeriodSchema.extend({
  table: z.enum(["units", "months"]).catch("units"),
  format: z.enum(["csv", "xlsx"]).catch("csv"),
});

/** The overview's tables as CSV or XLSX, equal to the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const query = ExportSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = todayInShanghai();
  const db = getDb();
  const overview = await frontlineOverview(db, user, { ...resolvePeriod(query, today), today, rules: await getFrontlineRules(db) });
  const t = translator(getLocale(request, user));
  const table = OVERVIEW_TABLES[query.table](overview, t);
  const title = t(query.table === "units" ? "frontline.overview.unitsTable" : "frontline.overview.monthsTable");
  return tableResponse(table, query.format, `${title}-${overview.period.fromMonth}-${overview.period.toMonth}`);
}
