import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { exportResponse } from "~/modules/rankings/export.server";
import { mayUseShortlists } from "~/modules/shortlists/access";
import { getRound } from "~/modules/shortlists/rounds.server";
import { candidateFilter, ExportQuerySchema } from "~/modules/shortlists/schema";
import { exportTable } from "~/modules/shortlists/views.server";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** The published list (a version) or the eligibility table with the page's filters, as CSV or XLSX. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseShortlists(user)) throw forbiddenResponse();
  const roundId = parseIdParam(params.roundId);
  if (!roundId) throw notFoundResponse();
  const query = ExportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  try {
    const round = await getRound(db, user, roundId);
    const filter = { ...candidateFilter(query), version: query.version };
    const { table, title } = await exportTable(db, user, round, query.kind, filter, translator(getLocale(request, user)));
    return exportResponse(table, query.format, title);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
