import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ExportLinks, PeriodFilter, RateValue, ReportTableView, TrendChart } from "~/modules/attendance/components";
import { resolvePeriod } from "~/modules/attendance/period";
import { sessionsTable, unitsTable } from "~/modules/attendance/reports/tables";
import { organizationReport } from "~/modules/attendance/reports/unit-report.server";
import { PeriodQuerySchema } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { requireRole } from "~/modules/auth/guards.server";
import { shanghaiDateOf, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.reports"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const db = getDb();
  const period = resolvePeriod(PeriodQuerySchema.parse(formValues(new URL(request.url).searchParams)), todayInShanghai());
  const rules = await getAttendanceRules(db);
  try {
    const report = await organizationReport(db, user, { period: period.query, rules });
    return { ...report, period: { from: period.from, to: period.to }, threshold: rules.lowAttendance.threshold };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** The organization department's attendance over any period: overall, per session with the trend, per unit. */
export default function AttendanceReports() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const query = `from=${data.period.from}&to=${data.period.to}`;
  const exportHref = (table: string) => (format: "csv" | "xlsx") => `/attendance/reports/export?table=${table}&format=${format}&${query}`;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance">{t("attendance.title")}</Link> / {t("attendance.reports.title")}
      </nav>
      <div className="page-head">
        <h1>{t("attendance.reports.title")}</h1>
        <Link to="/attendance/settings" className="button secondary no-print">
          {t("attendance.home.settingsLink")}
        </Link>
      </div>
      <PeriodFilter from={data.period.from} to={data.period.to} />
      <p className="small muted">{t("attendance.reports.onlyClosed")}</p>
      <div className="stats">
        <div className="stat" data-testid="city-rate">
          <div className="stat-value">
            <RateValue rate={data.total.rate} threshold={data.threshold} />
          </div>
          <div className="stat-label">{t("attendance.reports.city")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.total.enrolled}</div>
          <div className="stat-label">{t("attendance.table.enrolled")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.total.late}</div>
          <div className="stat-label">{t("attendance.table.late")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.total.absent}</div>
          <div className="stat-label">{t("attendance.table.absent")}</div>
        </div>
      </div>
      <section className="card">
        <h2>{t("attendance.reports.trend")}</h2>
        <TrendChart
          caption={t("attendance.reports.trend")}
          threshold={data.threshold}
          points={data.sessions.map((s) => ({ label: shanghaiDateOf(s.startsAt).slice(5), title: s.title, rate: s.rate }))}
        />
      </section>
      <div className="page-head">
        <h2>{t("attendance.reports.sessions")}</h2>
        <ExportLinks href={exportHref("sessions")} />
      </div>
      <ReportTableView table={sessionsTable(data.sessions, t, data.threshold)} testId="report-sessions" />
      <div className="page-head">
        <h2>{t("attendance.reports.units")}</h2>
        <ExportLinks href={exportHref("units")} />
      </div>
      <ReportTableView table={unitsTable(data.units, t, data.threshold)} testId="report-units" />
    </>
  );
}
