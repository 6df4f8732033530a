import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { mayOpenAttendance } from "~/modules/attendance/access";
import { submitMakeup } from "~/modules/attendance/closing/makeups.server";
import { cadreHistory, historyYears } from "~/modules/attendance/reports/history.server";
import { HistoryView } from "~/modules/attendance/reports/history-view";
import { MakeupSubmitSchema, PeriodQuerySchema } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { requireAccess, requireUser } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.home"));

/** Where attendance starts: a cadre's own year, and the pages the caller's roles open. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayOpenAttendance);
  const db = getDb();
  const query = PeriodQuerySchema.parse(formValues(new URL(request.url).searchParams));
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const year = query.year ?? thisYear;
  const links = {
    venues: hasRole(user, "venue_staff", "org_admin"),
    unit: hasRole(user, "unit_head", "unit_liaison"),
    reports: hasRole(user, "org_admin"),
  };
  if (!user.cadreId) return { history: null, links };
  const rules = await getAttendanceRules(db);
  const [history, years] = await Promise.all([
    cadreHistory(db, user, user.cadreId, { year, rules }),
    historyYears(db, user.cadreId, thisYear),
  ]);
  return {
    history: { ...history, years, lateWeight: rules.lateWeight, threshold: rules.lowAttendance.threshold },
    links,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(MakeupSubmitSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    await submitMakeup(getDb(), user, form.data);
    return { ok: true as const };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function MyAttendance() {
  const { t } = useTranslation();
  const { history, links } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>{t("attendance.home.title")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("attendance.home.makeupSent")}
        </p>
      ) : null}
      <FormErrors errors={result && !result.ok ? result.errors : undefined} />
      {links.venues || links.unit || links.reports ? (
        <nav className="card attendance-links" aria-label={t("attendance.home.links")}>
          {links.venues ? <Link to="/attendance/venues">{t("attendance.home.venuesLink")}</Link> : null}
          {links.unit ? <Link to="/attendance/units">{t("attendance.home.unitLink")}</Link> : null}
          {links.reports ? <Link to="/attendance/reports">{t("attendance.home.reportsLink")}</Link> : null}
          {links.reports ? <Link to="/attendance/settings">{t("attendance.home.settingsLink")}</Link> : null}
        </nav>
      ) : null}
      {history ? (
        <HistoryView
          data={history}
          own
          exportHref={(format) => `/attendance/cadres/${history.cadre.id}/export?format=${format}&year=${history.year}`}
        />
      ) : null}
    </>
  );
}
