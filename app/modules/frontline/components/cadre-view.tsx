import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FrontlineCategory } from "~db/schema/frontline";
import type { MonthStanding } from "../rules";
import { CategoryBars, EligibilityMeter, QuotaChart } from "./charts";
import { Timeline, type TimelineRecord } from "./timeline";

export interface CadreViewData {
  cadre: { id: number; name: string; staffNo: string; unitName: string };
  quota: number;
  months: MonthStanding[];
  eligibility: { days: number; minDays: number; eligible: boolean };
  categories: { category: FrontlineCategory; days: number }[];
  records: (TimelineRecord & { qualifying: boolean })[];
}

/**
 * A cadre's frontline standing and records, on their own page and on the pages heads and the
 * organization department open: this month against the quota, the eligibility figure and the
 * verified days behind it, then every record.
 */
export function CadreFrontlineView({ data }: { data: CadreViewData }) {
  const { t } = useTranslation();
  const thisMonth = data.months[0]!;
  const waiting = data.records.filter((r) => r.status === "submitted").length;
  const returned = data.records.filter((r) => r.status === "returned").length;
  // The verified records in the qualifying categories: what the eligibility figure is made of.
  const counted = data.records.filter((r) => r.status === "verified" && r.qualifying);
  const chartMonths = [...data.months].reverse().map((m) => ({
    month: m.month,
    days: m.days,
    required: m.quota,
    ongoing: m.ongoing,
    shortLabel: m.shortfall > 0 && !m.ongoing ? t("frontline.chart.shortDays", { count: m.shortfall }) : null,
  }));
  const byCategory = Object.fromEntries(data.categories.map((c) => [c.category, c.days]));
  return (
    <>
      {returned ? (
        <p className="notice warn" role="status">
          {t("frontline.timeline.returnedNotice", { count: returned })}
        </p>
      ) : null}
      <div className="stats frontline-stats">
        <div className="stat" data-testid="frontline-this-month">
          <div className="stat-value">
            {thisMonth.days}
            {thisMonth.quota ? <span className="muted small"> / {thisMonth.quota}</span> : null}
          </div>
          <div className="stat-label">{t(thisMonth.quota ? "frontline.stats.thisMonthQuota" : "frontline.stats.thisMonth")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{data.eligibility.days}</div>
          <div className="stat-label">{t("frontline.stats.qualifyingDays")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{waiting}</div>
          <div className="stat-label">{t("frontline.stats.waiting")}</div>
        </div>
        <div className="stat">
          <div className={`stat-value${returned ? " frontline-alert" : ""}`}>{returned}</div>
          <div className="stat-label">{t("frontline.stats.returned")}</div>
        </div>
      </div>

      <section className="card" aria-labelledby="eligibility">
        <h2 id="eligibility">{t("frontline.eligibility.title")}</h2>
        <EligibilityMeter {...data.eligibility} />
        <p className="muted small">{t("frontline.eligibility.explain", { days: data.eligibility.minDays })}</p>
        {counted.length ? (
          <details className="small">
            <summary>{t("frontline.eligibility.behind", { count: counted.length })}</summary>
            <ul className="frontline-plain">
              {counted.map((r) => (
                <li key={r.id}>
                  <Link to={`/frontline/${r.id}`}>{r.place}</Link> · {t(`frontline.categories.${r.category}`)} · {r.startDate} – {r.endDate}{" "}
                  · {t("frontline.daysCount", { count: r.days })}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="card" aria-labelledby="months">
        <h2 id="months">{t("frontline.timeline.byMonth")}</h2>
        <QuotaChart months={chartMonths} label={t("frontline.chart.cadreLabel", { name: data.cadre.name })} />
        {data.quota ? null : <p className="muted small">{t("frontline.timeline.noQuota")}</p>}
      </section>

      <section className="card" aria-labelledby="categories">
        <h2 id="categories">{t("frontline.timeline.byCategory")}</h2>
        <CategoryBars values={byCategory} />
      </section>

      <section aria-labelledby="records">
        <h2 id="records">{t("frontline.timeline.records")}</h2>
        <p className="muted small">{t("frontline.timeline.countsNote")}</p>
        <Timeline records={data.records} />
      </section>
    </>
  );
}
