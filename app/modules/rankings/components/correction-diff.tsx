import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Cause, CorrectionDiff, DiffRow, FieldChange } from "../corrections.server";
import { formatPlace, formatScore } from "../format";
import type { SubjectKind } from "../model";

type T = (key: string, params?: Record<string, unknown>) => string;

/** An input's value as people read it: grades and ranks in words, units by name where known. */
function valueText(change: FieldChange, side: "before" | "after", t: T): string {
  const v = change[side];
  if (v === null) return "—";
  if (change.field === "grade") return t(`rankings.grades.${v}`);
  if (change.field === "cadre_rank") return t(`ranks.${v}`);
  if (change.field === "band") return t(`rankings.bands.${v}`);
  if (change.field === "peer_group") return t(`unitKinds.${v}`);
  if (change.field === "participates") return t(v === "true" ? "rankings.diff.takesPart" : "rankings.diff.leftOut");
  return v;
}

export function fieldText(change: FieldChange, t: T): string {
  return t("rankings.diff.field", {
    field: t(`rankings.diff.fields.${change.field}`),
    before: valueText(change, "before", t),
    after: valueText(change, "after", t),
  });
}

export function causeText(cause: Cause, t: T): string {
  switch (cause.kind) {
    case "attendance":
      return cause.corrected
        ? t("rankings.diff.causes.attendanceCorrected", {
            session: cause.sessionCode,
            before: cause.before ? t(`attendance.statuses.${cause.before}`) : "—",
            after: t(`attendance.statuses.${cause.after}`),
            reason: cause.reason ?? "",
          })
        : t("rankings.diff.causes.attendanceRecorded", { session: cause.sessionCode, after: t(`attendance.statuses.${cause.after}`) });
    case "frontline":
      return t("rankings.diff.causes.frontline", {
        place: cause.place,
        from: cause.startDate,
        to: cause.endDate,
        status: t(`frontline.statuses.${cause.status}`),
      });
    case "assessment":
      return t("rankings.diff.causes.assessment", { grade: t(`rankings.grades.${cause.grade}`) });
    case "ratings":
      return t("rankings.diff.causes.ratings", { date: cause.date, satisfied: cause.satisfied, unsatisfied: cause.unsatisfied });
  }
}

function DiffTable({ kind, rows, quarter, version, t }: { kind: SubjectKind; rows: DiffRow[]; quarter: string; version: number; t: T }) {
  const tie = t("rankings.table.tie");
  return (
    <div className="table-wrap">
      <table className="compact rk-diff">
        <thead>
          <tr>
            <th>{t(kind === "units" ? "rankings.table.unit" : "rankings.table.name")}</th>
            <th className="num">{t("rankings.diff.rank")}</th>
            <th className="num">{t("rankings.diff.score")}</th>
            <th>{t("rankings.diff.what")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.moved ? undefined : "rk-unranked"}>
              <td>
                <Link to={`/rankings/${quarter}/${kind}/${r.id}?version=${version}`}>{r.name}</Link>{" "}
                <span className="muted small">{r.code}</span>
              </td>
              <td className="num" data-label={t("rankings.diff.rank")}>
                {r.before ? formatPlace(r.before.rank, null, r.before.tieSize, tie) : t("rankings.diff.absent")} →{" "}
                {r.after ? formatPlace(r.after.rank, null, r.after.tieSize, tie) : t("rankings.diff.absent")}
              </td>
              <td className="num" data-label={t("rankings.diff.score")}>
                {formatScore(r.before?.score)} → {formatScore(r.after?.score)}
              </td>
              <td className="small">
                {r.fields.length ? (
                  <ul className="rk-diff-list">
                    {r.fields.map((f) => (
                      <li key={f.field}>{fieldText(f, t)}</li>
                    ))}
                    {r.causes.map((c, i) => (
                      <li key={`c${i}`} className="rk-cause">
                        {causeText(c, t)}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted">{t("rankings.diff.modelOnly")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The correction's difference against the published version: shown on the draft before it is published. */
export function CorrectionDiffView({ diff, quarter }: { diff: CorrectionDiff; quarter: string }) {
  const { t } = useTranslation();
  const none = !diff.counts.units.moved && !diff.counts.cadres.moved && !diff.counts.units.inputsOnly && !diff.counts.cadres.inputsOnly;
  return (
    <section className="card rk-correction" aria-labelledby="rk-diff">
      <h2 id="rk-diff">{t("rankings.diff.title", { version: diff.published.version })}</h2>
      <p>
        {t("rankings.diff.summary", {
          units: diff.counts.units.moved,
          cadres: diff.counts.cadres.moved,
          inputs: diff.counts.units.inputsOnly + diff.counts.cadres.inputsOnly,
        })}{" "}
        <Link to={`/rankings/${quarter}?version=${diff.published.version}`}>
          {t("rankings.diff.readOld", { version: diff.published.version })}
        </Link>
      </p>
      {diff.published.model !== diff.draft.model ? (
        <p className="notice warn">{t("rankings.diff.modelChanged", { before: diff.published.model, after: diff.draft.model })}</p>
      ) : null}
      {none ? <p className="muted">{t("rankings.diff.nothing")}</p> : null}
      {(["units", "cadres"] as const).map((kind) =>
        diff.rows[kind].length ? (
          <div key={kind}>
            <h3>{t(`rankings.kinds.${kind}`)}</h3>
            <DiffTable kind={kind} rows={diff.rows[kind]} quarter={quarter} version={diff.draft.version} t={t} />
            {diff.counts[kind].moved + diff.counts[kind].inputsOnly > diff.rows[kind].length ? (
              <p className="muted small">
                {t("rankings.diff.more", { shown: diff.rows[kind].length, total: diff.counts[kind].moved + diff.counts[kind].inputsOnly })}
              </p>
            ) : null}
          </div>
        ) : null,
      )}
    </section>
  );
}
