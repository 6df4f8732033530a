import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MonthStanding } from "../rules";
import { EligibilityMeter } from "./charts";

/** The frontline lines on a cadre's record page: eligibility and this month, with a link to the records behind them. */
export function CadreFrontlineSection({
  cadreId,
  data,
}: {
  cadreId: number;
  data: { eligibility: { days: number; minDays: number; eligible: boolean }; thisMonth: MonthStanding };
}) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="frontline">
      <h2 id="frontline">{t("frontline.eligibility.title")}</h2>
      <EligibilityMeter {...data.eligibility} />
      <p className="small">
        {data.thisMonth.quota
          ? t("frontline.cadre.thisMonthQuota", { days: data.thisMonth.days, quota: data.thisMonth.quota })
          : t("frontline.cadre.thisMonth", { days: data.thisMonth.days })}
      </p>
      <Link to={`/frontline/cadres/${cadreId}`}>{t("frontline.cadre.records")}</Link>
    </section>
  );
}
