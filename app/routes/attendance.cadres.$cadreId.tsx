import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { cadreHistory, historyYears } from "~/modules/attendance/reports/history.server";
import { HistoryView } from "~/modules/attendance/reports/history-view";
import { PeriodQuerySchema, parseId } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => (data ? t("attendance.titles.cadre", { name: data.cadre.name }) : t("nav.attendance")));

/** A cadre's attendance as their unit head or the organization department sees it (the cadre too: it is theirs). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cadreId = parseId(params.cadreId);
  if (!cadreId) throw notFoundResponse();
  const db = getDb();
  const query = PeriodQuerySchema.parse(formValues(new URL(request.url).searchParams));
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const rules = await getAttendanceRules(db);
  try {
    const history = await cadreHistory(db, user, cadreId, { year: query.year ?? thisYear, rules });
    const years = await historyYears(db, cadreId, thisYear);
    return { ...history, years, lateWeight: rules.lateWeight, threshold: rules.lowAttendance.threshold };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function CadreAttendance() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance">{t("attendance.title")}</Link> / {data.cadre.unitName}
      </nav>
      <h1>
        {data.cadre.name} <span className="muted small">{data.cadre.staffNo}</span>
      </h1>
      <HistoryView
        data={data}
        own={false}
        exportHref={(format) => `/attendance/cadres/${data.cadre.id}/export?format=${format}&year=${data.year}`}
      />
    </>
  );
}
