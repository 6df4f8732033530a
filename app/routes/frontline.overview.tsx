import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/modules/auth/guards.server";
import { CategoryBars, QuotaChart } from "~/modules/frontline/components/charts";
import { PeriodFilter } from "~/modules/frontline/components/period-filter";
import { ReportTableView } from "~/modules/frontline/components/report-table";
import { frontlineOverview, resolvePeriod } from "~/modules/frontline/reports.server";
import { MonthPeriodSchema } from "~/modules/frontline/schema";
import { getFrontlineRules } from "~/modules/frontline/settings.server";
import { overviewMonthsTable, overviewUnitsTable } from "~/modules/frontline/tables";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("frontline.titles.overview"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const query = MonthPeriodSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = todayInShanghai();
  const db = getDb();
  const rules = await getFrontlineRules(db);
  return { ...(await frontlineOverview(db, user, { ...resolvePeriod(query, today), today, rules })), rules };
}

export default function FrontlineOverview() {
  const { t } = useTranslation();
  const overview = useLoaderData<typeof loader>();
  const { period, months, rules } = overview;
  const query = `from=${period.fromMonth}&to=${period.toMonth}`;
  const exportHref = (table: string) => (format: "csv" | "xlsx") => `/frontline/overview/export?table=${table}&format=${format}&${query}`;
  const chart = months.map((m) => ({
    month: m.month,
    days: m.days,
    required: m.required,
    ongoing: m.ongoing,
    shortLabel: m.shortCadres ? t("frontline.chart.shortCadres", { count: m.shortCadres }) : null,
  }));
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / {t("frontline.overview.title")}
      </nav>
      <div className="page-head">
        <h1>{t("frontline.overview.title")}</h1>
        <div className="actions no-print">
          <Link className="button secondary" to="/frontline/verify">
            {t("frontline.verify.title")}
          </Link>
          <Link className="button secondary" to="/frontline/settings">
            {t("frontline.settings.title")}
          </Link>
        </div>
      </div>
      <p className="muted small">
        {t("frontline.overview.rules", {
          quota: rules.monthlyQuota.leading,
          section: rules.monthlyQuota.section,
          days: rules.eligibilityMinDays,
        })}
      </p>
      <PeriodFilter from={period.fromMonth} to={period.toMonth} />
      <div className="stats">
        <div className="stat">
          <div className="stat-value">{overview.totalDays}</div>
          <div className="stat-label">{t("frontline.unit.totalDays")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{overview.units.filter((u) => u.days > 0).length}</div>
          <div className="stat-label">{t("frontline.overview.activeUnits")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{overview.units.reduce((n, u) => n + u.shortMonths, 0)}</div>
          <div className="stat-label">{t("frontline.unit.shortCadreMonths")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{overview.pending}</div>
          <div className="stat-label">{t("frontline.reports.pending")}</div>
        </div>
      </div>
      <div className="grid two">
        <section className="card" aria-labelledby="chart">
          <h2 id="chart">{t("frontline.overview.chartTitle")}</h2>
          <QuotaChart months={chart} label={t("frontline.overview.chartTitle")} />
        </section>
        <section className="card" aria-labelledby="categories">
          <h2 id="categories">{t("frontline.timeline.byCategory")}</h2>
          <CategoryBars values={overview.categoryTotals} />
          <p className="muted small">{t("frontline.overview.categoryNote")}</p>
        </section>
      </div>
      <ReportTableView
        table={overviewMonthsTable(overview, t)}
        exportHref={exportHref("months")}
        caption={t("frontline.overview.monthsTable")}
      />
      <ReportTableView
        table={overviewUnitsTable(overview, t)}
        exportHref={exportHref("units")}
        caption={t("frontline.overview.unitsTable")}
      />
    </>
  );
}
