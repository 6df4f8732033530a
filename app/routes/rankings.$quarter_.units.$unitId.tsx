import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { maySeeUnit } from "~/modules/rankings/access";
import { unitBreakdown } from "~/modules/rankings/breakdown.server";
import { BreakdownTable, LeftOutNote, RankStat } from "~/modules/rankings/components/breakdown-table";
import { HistoryChart } from "~/modules/rankings/components/charts";
import { HistoryTable } from "~/modules/rankings/components/history-table";
import { formatNumber, formatScore, formatValue } from "~/modules/rankings/format";
import { quarterLabel } from "~/modules/rankings/quarter";
import { changeText } from "~/modules/rankings/tables";
import { rankingFor } from "~/modules/rankings/views.server";
import { getDb } from "~/utils/db.server";
import { fields } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("rankings.titles.unit", { name: data?.unit.name ?? t("organization.titles.unit") }));

/** One unit's score explained, with its members and its history. A unit head sees their own units only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const unitId = fields.id().safeParse(params.unitId);
  if (!unitId.success || !maySeeUnit(user, unitId.data)) throw notFoundResponse();
  const version = new URL(request.url).searchParams.get("version");
  try {
    const db = getDb();
    const ranking = await rankingFor(db, user, params.quarter ?? "", version ? Number(version) : undefined);
    const unit = await unitBreakdown(db, ranking, unitId.data);
    return {
      quarter: ranking.quarter,
      version: ranking.version,
      status: ranking.status,
      lateWeight: ranking.model.spec.params.lateWeight,
      unit,
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function UnitBreakdownPage() {
  const { t, i18n } = useTranslation();
  const { quarter, version, status, lateWeight, unit } = useLoaderData<typeof loader>();
  const label = quarterLabel(quarter, i18n.language);
  const i = unit.inputs;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / <Link to={`/rankings/${quarter}?tab=units&group=${unit.group}`}>{label}</Link> /{" "}
        {unit.name}
      </nav>
      <div className="page-head">
        <h1>{unit.name}</h1>
        <div className="actions">
          <span className="badge">{t(`unitKinds.${unit.group}`)}</span>
          {status !== "published" ? <span className="badge warn">{`v${version} ${t(`rankings.statuses.${status}`)}`}</span> : null}
        </div>
      </div>
      {unit.participates ? null : <p className="notice warn">{t("rankings.excluded.notice")}</p>}
      <div className="stats">
        <RankStat rank={unit.rank} tieSize={unit.tieSize} groupSize={unit.groupSize} />
        <div className="stat">
          <div className="stat-value">{formatScore(unit.score)}</div>
          <div className="stat-label">{t("rankings.table.score")}</div>
        </div>
        <div className="stat">
          <div className={`stat-value ${(unit.change ?? 0) < 0 ? "danger" : ""}`}>{changeText(unit.change) || "—"}</div>
          <div className="stat-label">{t("rankings.breakdown.change", { rank: unit.previousRank ?? "—" })}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{unit.inputs.members}</div>
          <div className="stat-label">{t("rankings.breakdown.members", { count: unit.inputs.membersSectionUp })}</div>
        </div>
      </div>
      <section className="card" aria-labelledby="rk-lines">
        <h2 id="rk-lines">{t("rankings.breakdown.title")}</h2>
        <BreakdownTable lines={unit.lines} score={unit.score} kind="units" params={{ late: lateWeight }} />
        <ul className="small muted rk-facts">
          <li>{t("rankings.breakdown.unitAttendance", { enrolled: i.enrolled, present: i.present, late: i.late, excused: i.excused })}</li>
          <li>
            {t("rankings.breakdown.unitFrontline", {
              days: i.frontlineDays,
              members: i.membersSectionUp,
              raw: formatNumber(i.frontlineRaw, 4),
              min: formatNumber(i.frontlineMin, 4),
              max: formatNumber(i.frontlineMax, 4),
            })}
          </li>
          <li>{t("rankings.breakdown.unitRatings", { satisfied: i.satisfied, unsatisfied: i.unsatisfied })}</li>
          <LeftOutNote lines={unit.lines} />
          <li>{t("rankings.breakdown.tieRule")}</li>
        </ul>
      </section>
      {unit.commitment ? (
        <section className="card">
          <h2>{t("rankings.breakdown.commitment")}</h2>
          <p className="leave-reason">{unit.commitment.text}</p>
          <p className="muted small">
            {t("rankings.meeting.responsible")}：{unit.commitment.responsibleName} ·{" "}
            <Link to={`/rankings/meetings/${unit.commitment.meetingId}`}>{t("rankings.meeting.open")}</Link>
          </p>
        </section>
      ) : null}
      <section className="card" aria-labelledby="rk-history">
        <h2 id="rk-history">{t("rankings.breakdown.history")}</h2>
        {unit.history.length ? (
          <>
            <HistoryChart points={unit.history} label={t("rankings.breakdown.history")} />
            <HistoryTable history={unit.history} kind="units" id={unit.id} />
          </>
        ) : (
          <p className="muted">{t("rankings.breakdown.noHistory")}</p>
        )}
      </section>
      <section className="card" aria-labelledby="rk-members">
        <h2 id="rk-members">{t("rankings.breakdown.memberList", { count: unit.members.length })}</h2>
        <p className="muted small">{t("rankings.breakdown.memberHint")}</p>
        <div className="table-wrap">
          <table className="compact">
            <thead>
              <tr>
                <th>{t("rankings.table.staffNo")}</th>
                <th>{t("rankings.table.name")}</th>
                <th>{t("rankings.table.cadreRank")}</th>
                <th className="num">{t("rankings.breakdown.hours")}</th>
                <th className="num">{t("rankings.indicators.training")}</th>
              </tr>
            </thead>
            <tbody>
              {unit.members.map((m) => (
                <tr key={m.cadreId}>
                  <td>{m.staffNo}</td>
                  <td>{m.name}</td>
                  <td>{t(`ranks.${m.cadreRank}`)}</td>
                  <td className="num">{`${formatNumber(m.hoursEarned, 1)} / ${formatNumber(m.hoursRequired, 2)}`}</td>
                  <td className="num">{formatValue(m.trainingValue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
