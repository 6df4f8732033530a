import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { maySeeTables, mayUseRankings } from "~/modules/rankings/access";
import { exportResponse, rankingTable, readableRows } from "~/modules/rankings/export.server";
import { getSharing } from "~/modules/rankings/model.server";
import { quarterLabel } from "~/modules/rankings/quarter";
import { TableQuerySchema } from "~/modules/rankings/schema";
import { rankingFor } from "~/modules/rankings/views.server";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

const ExportSchema = TableQuerySchema.extend({ format: z.enum(["csv", "xlsx"]).catch("csv") });

/** The table of the page with the same query, every row (no paging), as CSV or XLSX. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const query = ExportSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const sharing = await getSharing(db);
  if (!maySeeTables(user, sharing, query.tab)) throw forbiddenResponse();
  try {
    const ranking = await rankingFor(db, user, params.quarter ?? "", query.version);
    const locale = getLocale(request, user);
    const t = translator(locale);
    const { view, rows } = await readableRows(db, user, sharing, ranking, query.tab, { ...query, page: 0 });
    const table = rankingTable(query.tab, ranking.quarter, rows, t, () => "");
    const group = t(query.tab === "units" ? `unitKinds.${view.group}` : `rankings.bands.${view.group}`);
    table.name = `ranking-${ranking.quarter}-${query.tab}-${view.group}`;
    return exportResponse(table, query.format, `${quarterLabel(ranking.quarter, locale)}${t(`rankings.kinds.${query.tab}`)}-${group}`);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
