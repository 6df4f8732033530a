import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Rank } from "~db/schema/enums";
import type { FrontlineCategory, FrontlineStatus } from "~db/schema/frontline";
import { CategoryBadge, DateSpan, StatusBadge } from "./status-badge";

interface QueueRow {
  id: number;
  cadreId: number;
  cadreName: string;
  staffNo: string;
  rank: Rank;
  unitName: string;
  category: FrontlineCategory;
  place: string;
  startDate: string;
  endDate: string;
  days: number;
  newDays: number;
  summary: string;
  outcome: string;
  returnComment: string | null;
  canDecide: boolean;
  overlaps: {
    id: number;
    category: FrontlineCategory;
    place: string;
    startDate: string;
    endDate: string;
    status: FrontlineStatus;
    days: number;
  }[];
  others: { id: number; category: FrontlineCategory; place: string; startDate: string; endDate: string; status: FrontlineStatus }[];
}

/**
 * One submitted record in the queue: who, what, when, what it adds, the overlaps with the cadre's
 * other records, and the two decisions. A clean record (no overlap) is ticked for the bulk
 * verification; one with an overlap must be looked at on its own.
 */
export function QueueItem({ item, busy, bulkFormId }: { item: QueueRow; busy: boolean; bulkFormId: string }) {
  const { t } = useTranslation();
  const clean = item.canDecide && !item.overlaps.length;
  return (
    <li className={`card frontline-queue-item${item.overlaps.length ? " has-overlap" : ""}`} data-testid="frontline-queue-item">
      <div className="frontline-item-head">
        {clean ? (
          <input
            type="checkbox"
            name="recordIds"
            value={item.id}
            form={bulkFormId}
            defaultChecked
            aria-label={t("frontline.verify.select", { place: item.place })}
          />
        ) : null}
        <CategoryBadge category={item.category} />
        {item.overlaps.length ? (
          <span className="badge warn">{t("frontline.overlap.short")}</span>
        ) : (
          <span className="badge ok">{t("frontline.verify.clean")}</span>
        )}
      </div>
      <h3>
        <Link to={`/frontline/${item.id}`}>{item.place}</Link>
      </h3>
      <p className="small">
        <Link to={`/frontline/cadres/${item.cadreId}`}>{item.cadreName}</Link>{" "}
        <span className="muted">
          {item.staffNo} · {t(`ranks.${item.rank}`)} · {item.unitName}
        </span>
      </p>
      <p>
        <DateSpan start={item.startDate} end={item.endDate} days={item.days} />{" "}
        <span className="muted small">{t("frontline.verify.adds", { count: item.newDays })}</span>
      </p>
      <p className="frontline-text small">{item.summary}</p>
      {item.outcome ? <p className="frontline-text small muted">{item.outcome}</p> : null}
      {item.returnComment ? (
        <p className="small frontline-return">
          {t("frontline.record.returnedBefore")}: {item.returnComment}
        </p>
      ) : null}
      {item.overlaps.length ? (
        <div className="notice warn small" data-testid="frontline-queue-overlap">
          {item.overlaps.map((o) => (
            <div key={o.id}>
              {t("frontline.overlap.with", { count: o.days })} <Link to={`/frontline/${o.id}`}>{o.place}</Link>{" "}
              {t("frontline.overlap.describe", { category: t(`frontline.categories.${o.category}`), start: o.startDate, end: o.endDate })}{" "}
              <StatusBadge status={o.status} />
            </div>
          ))}
        </div>
      ) : null}
      {item.others.length ? (
        <details className="small">
          <summary>{t("frontline.verify.others", { count: item.others.length })}</summary>
          <ul className="frontline-plain">
            {item.others.map((o) => (
              <li key={o.id}>
                {o.startDate} – {o.endDate} · <Link to={`/frontline/${o.id}`}>{o.place}</Link> · {t(`frontline.categories.${o.category}`)}{" "}
                <StatusBadge status={o.status} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {item.canDecide ? (
        <div className="frontline-decide">
          <Form method="post" className="actions">
            <input type="hidden" name="recordId" value={item.id} />
            <button type="submit" name="intent" value="verify" className="primary" disabled={busy}>
              {t("frontline.actions.verify")}
            </button>
          </Form>
          <details>
            <summary className="button secondary">{t("frontline.actions.return")}</summary>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="return" />
              <input type="hidden" name="recordId" value={item.id} />
              <div className="field">
                <label htmlFor={`comment-${item.id}`}>{t("frontline.fields.comment")}</label>
                <textarea id={`comment-${item.id}`} name="comment" rows={3} placeholder={t("frontline.hints.comment")} />
              </div>
              <button type="submit" className="danger" disabled={busy}>
                {t("frontline.actions.confirmReturn")}
              </button>
            </Form>
          </details>
        </div>
      ) : (
        <p className="muted small">{t("frontline.verify.cannotDecide")}</p>
      )}
    </li>
  );
}
