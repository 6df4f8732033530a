import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReportTable } from "../tables";

/**
 * A report table as the page shows it, with links to download exactly this table as CSV or XLSX
 * (`exportHref` gets the format).
 */
export function ReportTableView({
  table,
  exportHref,
  caption,
}: {
  table: ReportTable;
  exportHref: (format: "csv" | "xlsx") => string;
  caption: string;
}) {
  const { t } = useTranslation();
  return (
    <section className="frontline-report" aria-label={caption}>
      <div className="page-head">
        <h2>{caption}</h2>
        <div className="actions no-print">
          <a className="button secondary" href={exportHref("csv")} download>
            {t("frontline.reports.exportCsv")}
          </a>
          <a className="button secondary" href={exportHref("xlsx")} download>
            {t("frontline.reports.exportXlsx")}
          </a>
        </div>
      </div>
      {table.rows.length ? (
        <div className="table-wrap">
          <table className="frontline-table">
            <thead>
              <tr>
                {table.columns.map((c, i) => (
                  <th key={i} className={c.numeric ? "num" : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td
                      key={i}
                      className={
                        [table.columns[i]?.numeric ? "num" : "", cell.tone ? `cell-${cell.tone}` : ""].join(" ").trim() || undefined
                      }
                    >
                      {cell.href ? <Link to={cell.href}>{cell.value}</Link> : cell.value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card muted">{t("common.noResults")}</p>
      )}
    </section>
  );
}
