import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { RecordListRow } from "../views.server";

/** A record's state in badges: its stage, overdue, in its effect period. */
export function RecordBadges({ row }: { row: Pick<RecordListRow, "stage" | "overdue" | "inEffect" | "effectUntil"> }) {
  const { t } = useTranslation();
  return (
    <span className="ac-badges">
      <span className={`badge ${row.stage === "closed" ? "ok" : "warn"}`}>{t(`accountability.stages.${row.stage}`)}</span>
      {row.overdue ? <span className="badge danger">{t("accountability.list.overdue")}</span> : null}
      {row.inEffect ? <span className="badge danger">{t("accountability.list.inEffectUntil", { date: row.effectUntil })}</span> : null}
    </span>
  );
}

/**
 * Records as cards (they read on a phone as on a desk): what, about whom, when, the rectification
 * deadline and the state. `showSubject` is off on a cadre's or unit's own page.
 */
export function RecordList({ rows, showSubject = true }: { rows: RecordListRow[]; showSubject?: boolean }) {
  const { t } = useTranslation();
  return (
    <ul className="class-list ac-list">
      {rows.map((r) => (
        <li key={r.id} className="card ac-card">
          <div className="ac-card-head">
            <h3>
              <Link to={`/accountability/${r.id}`}>
                {t(`accountability.kinds.${r.kind}`)} <span className="muted small">#{r.id}</span>
              </Link>
            </h3>
            <RecordBadges row={r} />
          </div>
          {showSubject ? (
            <p className="ac-subject">
              {r.subject === "unit"
                ? t("accountability.list.unitSubject", { unit: r.unitName, principal: r.cadreName ?? "—" })
                : t("accountability.list.cadreSubject", { cadre: r.cadreName ?? "—", unit: r.unitName })}
            </p>
          ) : null}
          <p className="muted small">
            {t("accountability.list.held", { date: r.heldOn })}
            {r.rectificationDue ? ` · ${t("accountability.list.due", { date: r.rectificationDue })}` : ""}
            {` · ${t(`accountability.sources.${r.source}`)}`}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The records about one cadre or unit, on their page, with the way to open one for the department. */
export function RecordsSection({ rows, newHref, title }: { rows: RecordListRow[]; newHref: string | null; title: string }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="ac-section">
      <div className="page-head">
        <h2 id="ac-section">{title}</h2>
        {newHref ? (
          <Link className="button secondary" to={newHref}>
            {t("accountability.actions.new")}
          </Link>
        ) : null}
      </div>
      {rows.length ? <RecordList rows={rows} showSubject={false} /> : <p className="muted">{t("accountability.list.noneHere")}</p>}
    </section>
  );
}
