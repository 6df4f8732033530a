import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Whole months, as the quota counts them; the browser offers a month picker. */
export function PeriodFilter({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  return (
    <Form method="get" className="filters no-print">
      <div className="field">
        <label htmlFor="period-from">{t("frontline.reports.from")}</label>
        <input id="period-from" name="from" type="month" defaultValue={from} />
      </div>
      <div className="field">
        <label htmlFor="period-to">{t("frontline.reports.to")}</label>
        <input id="period-to" name="to" type="month" defaultValue={to} />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {t("actions.filter")}
        </button>
      </div>
    </Form>
  );
}
