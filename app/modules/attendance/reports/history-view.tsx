import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatHours, sessionWhen } from "~/modules/classes/format";
import { shanghaiTimeOf } from "~/utils/dates";
import { AttendanceStatusBadge, ExportLinks, RateValue } from "../components";
import { formatRate } from "../format";
import type { HistoryRow } from "./history.server";

export interface HistoryData {
  cadre: { id: number; name: string; staffNo: string; unitName: string };
  year: number;
  years: number[];
  rows: HistoryRow[];
  rate: { enrolled: number; present: number; late: number; excused: number; absent: number; rate: number | null };
  hours: { attended: number; makeup: number; earned: number; required: number; met: boolean };
  warning: { rate: number; sessions: number } | null;
  lateWeight: number;
  threshold: number;
}

/**
 * A cadre's year: rate, hours against the requirement, and every session with what was recorded.
 * Phone first: cards, not a table. `own` adds the make-up study button on excused sessions.
 */
export function HistoryView({
  data,
  own,
  exportHref,
}: {
  data: HistoryData;
  own: boolean;
  exportHref: (format: "csv" | "xlsx") => string;
}) {
  const { t, i18n } = useTranslation();
  const { rate, hours } = data;
  const short = Math.max(0, Math.round((hours.required - hours.earned) * 10) / 10);
  return (
    <>
      {data.warning ? (
        <p className="notice warn" role="status">
          {t("attendance.home.warned", {
            sessions: data.warning.sessions,
            rate: formatRate(data.warning.rate),
            threshold: formatRate(data.threshold),
          })}
        </p>
      ) : null}
      <div className="stats attendance-stats">
        <div className="stat" data-testid="attendance-rate">
          <div className="stat-value">
            <RateValue rate={rate.rate} threshold={data.threshold} />
          </div>
          <div className="stat-label">{t("attendance.home.rate")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{rate.present + rate.late}</div>
          <div className="stat-label">
            {t("attendance.table.present")} {rate.present} · {t("attendance.table.late")} {rate.late}
          </div>
        </div>
        <div className="stat">
          <div className="stat-value">{rate.absent}</div>
          <div className="stat-label">
            {t("attendance.table.absent")} · {t("attendance.table.excused")} {rate.excused}
          </div>
        </div>
        <div className="stat" data-testid="attendance-hours">
          <div className="stat-value">
            {t("attendance.home.hoursOf", { earned: formatHours(hours.earned), required: formatHours(hours.required) })}
          </div>
          <div className="stat-label">
            {t("attendance.home.hours", { year: data.year })} ·{" "}
            {hours.met ? t("attendance.home.hoursMet") : t("attendance.home.hoursShort", { hours: formatHours(short) })}
          </div>
          <div className="attendance-meter" aria-hidden>
            <span style={{ width: `${Math.min(100, hours.required ? (hours.earned / hours.required) * 100 : 100)}%` }} />
          </div>
        </div>
      </div>
      <p className="small muted">{t("attendance.home.rateHint", { weight: data.lateWeight })}</p>

      <div className="page-head">
        <h2>{t("attendance.home.sessions")}</h2>
        <div className="actions">
          <Form method="get" className="inline-form">
            <select
              name="year"
              defaultValue={data.year}
              aria-label={t("attendance.reports.period")}
              onChange={(e) => e.currentTarget.form?.requestSubmit()}
            >
              {data.years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
            <noscript>
              <button type="submit" className="secondary">
                {t("attendance.reports.apply")}
              </button>
            </noscript>
          </Form>
          <ExportLinks href={exportHref} />
        </div>
      </div>
      {data.rows.length === 0 ? <p className="card muted">{t("attendance.home.noSessions")}</p> : null}
      <ul className="attendance-history">
        {data.rows.map((r) => (
          <li key={r.sessionId} className={`card attendance-history-item status-${r.status ?? "none"}`} data-session={r.code}>
            <div className="attendance-history-head">
              <strong>{r.title}</strong>
              {r.status ? (
                <AttendanceStatusBadge status={r.status} />
              ) : (
                <span className="badge">
                  {t(new Date(r.startsAt) > new Date() ? "attendance.home.upcoming" : "attendance.home.pending")}
                </span>
              )}
            </div>
            <p className="small muted">
              {sessionWhen(r.startsAt, r.endsAt, i18n.language)} · {r.registeredVenue ?? t("attendance.table.online")}
              {r.seenVenue ? ` → ${r.seenVenue}` : ""}
            </p>
            <p className="small">
              {r.checkedInAt ? `${t("attendance.table.checkedInAt")} ${shanghaiTimeOf(r.checkedInAt)} · ` : ""}
              {r.source ? `${t(`attendance.sources.${r.source}`)} · ` : ""}
              {r.minutesWatched !== null ? `${t("attendance.import.fields.minutes")} ${r.minutesWatched} · ` : ""}
              {t("attendance.table.hours")} {formatHours(r.earned)} / {formatHours(r.hours)}
            </p>
            {r.makeup ? (
              <span className={`badge ${r.makeup === "confirmed" ? "ok" : r.makeup === "rejected" ? "danger" : "warn"}`}>
                {t(`attendance.home.makeupStatuses.${r.makeup}`)}
              </span>
            ) : null}
            {own &&
            r.leaveApproved &&
            (r.status === "excused" || r.status === null) &&
            (!r.makeup || r.makeup === "rejected") &&
            new Date(r.endsAt) <= new Date() ? (
              <details className="attendance-makeup">
                <summary>{t("attendance.home.makeup")}</summary>
                {r.replayUrl ? (
                  <p>
                    <a href={r.replayUrl} target="_blank" rel="noreferrer">
                      {t("attendance.home.replay")}
                    </a>
                  </p>
                ) : null}
                <Form method="post" className="stack">
                  <input type="hidden" name="sessionId" value={r.sessionId} />
                  <label className="field">
                    <span>{t("attendance.home.makeupNote")}</span>
                    <textarea name="note" rows={2} maxLength={500} />
                  </label>
                  <button type="submit" className="primary" name="intent" value="makeup">
                    {t("attendance.home.makeupSubmit")}
                  </button>
                </Form>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
