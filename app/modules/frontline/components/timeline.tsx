import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FrontlineCategory, FrontlineStatus } from "~db/schema/frontline";
import { CategoryBadge, DateSpan, StatusBadge } from "./status-badge";

export interface TimelineRecord {
  id: number;
  category: FrontlineCategory;
  place: string;
  startDate: string;
  endDate: string;
  summary: string;
  status: FrontlineStatus;
  returnComment: string | null;
  days: number;
  overlapDays: number;
}

/** A cadre's records as a timeline grouped by the month they began in: one tap opens a record. */
export function Timeline({ records }: { records: TimelineRecord[] }) {
  const { t } = useTranslation();
  if (!records.length) return <p className="card muted">{t("frontline.timeline.empty")}</p>;
  const groups: { month: string; records: TimelineRecord[] }[] = [];
  for (const r of records) {
    const month = r.startDate.slice(0, 7);
    const last = groups[groups.length - 1];
    if (last?.month === month) last.records.push(r);
    else groups.push({ month, records: [r] });
  }
  return (
    <ol className="frontline-timeline">
      {groups.map((g) => (
        <li key={g.month}>
          <h3 className="frontline-month">{g.month}</h3>
          <ul>
            {g.records.map((r) => (
              <li key={r.id}>
                <Link to={`/frontline/${r.id}`} className={`frontline-item status-${r.status}`} data-testid="frontline-record">
                  <div className="frontline-item-head">
                    <CategoryBadge category={r.category} />
                    <StatusBadge status={r.status} />
                    {r.overlapDays > 0 ? (
                      <span className="badge warn">{t("frontline.overlap.badge", { count: r.overlapDays })}</span>
                    ) : null}
                  </div>
                  <strong className="frontline-place">{r.place}</strong>
                  <DateSpan start={r.startDate} end={r.endDate} days={r.days} />
                  <p className="frontline-summary muted small">{r.summary}</p>
                  {r.status === "returned" && r.returnComment ? (
                    <p className="frontline-return small">
                      {t("frontline.record.returnedBecause")}
                      {r.returnComment}
                    </p>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
