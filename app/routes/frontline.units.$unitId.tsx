import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { CategoryBars, QuotaChart } from "~/modules/frontline/components/charts";
import { PeriodFilter } from "~/modules/frontline/components/period-filter";
import { ReportTableView } from "~/modules/frontline/components/report-table";
import { resolvePeriod, unitReport } from "~/modules/frontline/reports.server";
import { MonthPeriodSchema, parseIdParam } from "~/modules/frontline/schema";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { unitCadresTable, unitMonthsTable } from "~/modules/frontline/tables";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("frontline.titles.unit", { name: data?.unit.name ?? t("organization.titles.unit") }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const unitId = parseIdParam(params.unitId);
  if (unitId === null) throw notFoundResponse();
  const query = MonthPeriodSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = todayInShanghai();
  const db = getDb();
  try {
    return await unitReport(db, user, unitId, { ...resolvePeriod(query, today), today, rules: await getFrontlineRules(db) });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function UnitFrontline() {
  const { t } = useTranslation();
  const report = useLoaderData<typeof loader>();
  const { unit, period, months } = report;
  const query = `from=${period.fromMonth}&to=${period.toMonth}`;
  const exportHref = (table: string) => (format: "csv" | "xlsx") =>
    `/frontline/units/${unit.id}/export?table=${table}&format=${format}&${query}`;
  const chart = months.map((m) => ({
    month: m.month,
    days: m.days,
    required: m.required,
    ongoing: m.ongoing,
    shortLabel: m.shortCadres ? t("frontline.chart.shortCadres", { count: m.shortCadres }) : null,
  }));
  const finished = months.filter((m) => !m.ongoing);
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / <Link to={`/units/${unit.id}`}>{unit.name}</Link>
      </nav>
      <div className="page-head">
        <h1>{t("frontline.unit.title", { unit: unit.name })}</h1>
        <div className="actions no-print">
          <Link className="button secondary" to={`/frontline/verify`}>
            {t("frontline.verify.title")}
          </Link>
        </div>
      </div>
      <p className="muted small">
        {report.subUnits ? t("frontline.unit.withSubUnits", { count: report.subUnits }) : null} {t("frontline.unit.attribution")}
      </p>
      <PeriodFilter from={period.fromMonth} to={period.toMonth} />

      <div className="stats">
        <div className="stat">
          <div className="stat-value">{months.reduce((n, m) => n + m.days, 0)}</div>
          <div className="stat-label">{t("frontline.unit.totalDays")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{report.cadres.filter((c) => c.total > 0).length}</div>
          <div className="stat-label">{t("frontline.unit.cadresWithDays")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{finished.reduce((n, m) => n + m.shortCadres, 0)}</div>
          <div className="stat-label">{t("frontline.unit.shortCadreMonths")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{finished.reduce((n, m) => n + m.shortfallDays, 0)}</div>
          <div className="stat-label">{t("frontline.unit.shortfallDays")}</div>
        </div>
      </div>

      <section className="card" aria-labelledby="chart">
        <h2 id="chart">{t("frontline.unit.chartTitle")}</h2>
        <QuotaChart months={chart} label={t("frontline.unit.chartTitle")} />
      </section>

      <ReportTableView table={unitMonthsTable(report, t)} exportHref={exportHref("months")} caption={t("frontline.unit.monthsTable")} />
      <ReportTableView table={unitCadresTable(report, t)} exportHref={exportHref("cadres")} caption={t("frontline.unit.cadresTable")} />

      <section className="card" aria-labelledby="categories">
        <h2 id="categories">{t("frontline.timeline.byCategory")}</h2>
        <CategoryBars values={report.byCategory} />
      </section>
    </>
  );
}
