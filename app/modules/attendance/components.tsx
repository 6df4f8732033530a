import { useTranslation } from "react-i18next";
import { shanghaiTimeOf } from "~/utils/dates";
import type { AttendanceStatus } from "~db/schema/attendance";
import { formatRate, rateTone } from "./format";
import type { ReportTable } from "./reports/tables";

/** A check-in's answer as the page receives it (JSON: times as ISO strings). */
export type CheckInOutcomeView =
  | { kind: "checked_in"; status: "present" | "late"; at: string | null; walkIn: boolean; flags: number }
  | { kind: "already"; status: AttendanceStatus; at: string | null }
  | { kind: "not_enrolled"; walkInAllowed: boolean }
  | { kind: "refused"; messageKey: string };

export interface CheckInResultData {
  outcome: CheckInOutcomeView;
}

const STATUS_TONE: Record<AttendanceStatus, string> = { present: "ok", late: "warn", excused: "", absent: "danger" };

export function AttendanceStatusBadge({ status }: { status: AttendanceStatus | null | undefined }) {
  const { t } = useTranslation();
  if (!status) return <span className="badge">{t("attendance.statuses.none")}</span>;
  return (
    <span className={`badge ${STATUS_TONE[status]}`} data-status={status}>
      {t(`attendance.statuses.${status}`)}
    </span>
  );
}

export function RateValue({ rate, threshold }: { rate: number | null; threshold: number }) {
  const tone = rateTone(rate, threshold);
  return <span className={tone ? `rate rate-${tone}` : "rate"}>{formatRate(rate)}</span>;
}

/** The big answer on the phone after a scan. */
export function CheckInResult({ outcome }: { outcome: CheckInOutcomeView }) {
  const { t } = useTranslation();
  if (outcome.kind === "checked_in" || outcome.kind === "already") {
    const time = outcome.at ? shanghaiTimeOf(outcome.at) : "";
    const key =
      outcome.kind === "checked_in"
        ? outcome.status === "late"
          ? "attendance.scan.doneLate"
          : "attendance.scan.done"
        : outcome.status === "present" || outcome.status === "late"
          ? "attendance.scan.already"
          : "attendance.scan.alreadyOther";
    return (
      <div className={`checkin-result ok`} role="status" data-result={outcome.kind} data-status={outcome.status}>
        <span className="checkin-mark" aria-hidden>
          ✓
        </span>
        <p>{t(key, { time, status: t(`attendance.statuses.${outcome.status}`) })}</p>
        {outcome.kind === "checked_in" && outcome.walkIn ? <p className="small">{t("attendance.scan.walkInDone")}</p> : null}
      </div>
    );
  }
  if (outcome.kind === "not_enrolled") {
    return (
      <div className="checkin-result warn" role="status" data-result="not_enrolled">
        <p>{t(outcome.walkInAllowed ? "attendance.scan.notEnrolledWalkIn" : "attendance.scan.notEnrolled")}</p>
      </div>
    );
  }
  return (
    <div className="checkin-result danger" role="alert" data-result="refused">
      <p>{t(outcome.messageKey)}</p>
    </div>
  );
}

export interface TrendPoint {
  label: string;
  title: string;
  rate: number | null;
}

/**
 * Attendance rate session by session, as a server-rendered SVG line: no chart library, prints well,
 * and each point carries its figure as a tooltip. The dashed line is the low-attendance threshold.
 */
export function TrendChart({ points, threshold, caption }: { points: TrendPoint[]; threshold: number; caption: string }) {
  const { t } = useTranslation();
  if (!points.length) return <p className="muted">{t("attendance.reports.noData")}</p>;
  const width = 720;
  const height = 220;
  const pad = { left: 40, right: 12, top: 12, bottom: 36 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (rate: number) => pad.top + innerH * (1 - rate);
  const drawn = points.map((p, i) => ({ ...p, i })).filter((p) => p.rate !== null) as (TrendPoint & { i: number; rate: number })[];
  const path = drawn.map((p, k) => `${k ? "L" : "M"}${x(p.i).toFixed(1)},${y(p.rate).toFixed(1)}`).join(" ");
  const every = Math.max(1, Math.ceil(points.length / 8));
  return (
    <figure className="attendance-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={caption}>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line className="chart-grid" x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} />
            <text className="chart-axis" x={pad.left - 6} y={y(v) + 4} textAnchor="end">
              {Math.round(v * 100)}%
            </text>
          </g>
        ))}
        <line className="attendance-threshold" x1={pad.left} x2={width - pad.right} y1={y(threshold)} y2={y(threshold)} />
        <path className="attendance-line" d={path} />
        {drawn.map((p) => (
          <circle key={p.i} className={p.rate < threshold ? "attendance-dot low" : "attendance-dot"} cx={x(p.i)} cy={y(p.rate)} r={4}>
            <title>{`${p.label} ${p.title}: ${formatRate(p.rate)}`}</title>
          </circle>
        ))}
        {points.map((p, i) =>
          i % every === 0 ? (
            <text key={i} className="chart-axis" x={x(i)} y={height - pad.bottom + 16} textAnchor="middle">
              {p.label}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="small muted">
        {caption} · <span className="legend-threshold" aria-hidden />{" "}
        {t("attendance.reports.thresholdLegend", { rate: formatRate(threshold) })}
      </figcaption>
    </figure>
  );
}

/** A report table as the page shows it; the export writes the same table. */
export function ReportTableView({ table, caption, testId }: { table: ReportTable; caption?: string; testId?: string }) {
  const { t } = useTranslation();
  if (!table.rows.length) return <p className="muted">{t("attendance.reports.noData")}</p>;
  return (
    <div className="table-wrap">
      <table className="attendance-table" data-testid={testId}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th key={i} className={c.numeric ? "num" : undefined} scope="col">
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
                    [table.columns[i]?.numeric ? "num" : "", cell.tone ? `cell-${cell.tone}` : ""].filter(Boolean).join(" ") || undefined
                  }
                >
                  {cell.href ? <a href={cell.href}>{cell.value}</a> : cell.value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** CSV and Excel links for the table of a page, with the page's own query. */
export function ExportLinks({ href }: { href: (format: "csv" | "xlsx") => string }) {
  const { t } = useTranslation();
  return (
    <span className="actions no-print">
      <a className="button secondary" href={href("csv")} download>
        {t("attendance.reports.exportCsv")}
      </a>
      <a className="button secondary" href={href("xlsx")} download>
        {t("attendance.reports.exportXlsx")}
      </a>
    </span>
  );
}

/** The period filter of the report pages (GET form: the URL is the state, so a report can be shared). */
export function PeriodFilter({ from, to, extra }: { from: string; to: string; extra?: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <form method="get" className="filters attendance-period no-print">
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className="field">
        <span>{t("attendance.reports.from")}</span>
        <input type="date" name="from" defaultValue={from} />
      </label>
      <label className="field">
        <span>{t("attendance.reports.to")}</span>
        <input type="date" name="to" defaultValue={to} />
      </label>
      <button type="submit" className="secondary">
        {t("attendance.reports.apply")}
      </button>
    </form>
  );
}
