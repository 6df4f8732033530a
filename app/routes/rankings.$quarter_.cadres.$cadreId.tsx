import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { maySeeCadre } from "~/modules/rankings/access";
import { cadreBreakdown, cadreUnitIn } from "~/modules/rankings/breakdown.server";
import { BreakdownTable, LeftOutNote, RankStat } from "~/modules/rankings/components/breakdown-table";
import { HistoryChart } from "~/modules/rankings/components/charts";
import { HistoryTable } from "~/modules/rankings/components/history-table";
import { formatNumber, formatScore } from "~/modules/rankings/format";
import { getSharing } from "~/modules/rankings/model.server";
import { quarterLabel } from "~/modules/rankings/quarter";
import { rankingFor } from "~/modules/rankings/views.server";
import { getDb } from "~/utils/db.server";
import { fields } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("rankings.titles.cadre", { name: data?.cadre.name ?? t("organization.titles.cadre") }));

/**
 * One cadre's score explained, with their history. The organization department sees everyone; a cadre
 * sees themselves; a unit head their own cadres only when the department shares cadre tables.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cadreId = fields.id().safeParse(params.cadreId);
  if (!cadreId.success) throw notFoundResponse();
  const version = new URL(request.url).searchParams.get("version");
  try {
    const db = getDb();
    const ranking = await rankingFor(db, user, params.quarter ?? "", version ? Number(version) : undefined);
    const unitId = await cadreUnitIn(db, ranking.id, cadreId.data);
    if (unitId === null || !maySeeCadre(user, await getSharing(db), { cadreId: cadreId.data, unitId })) throw notFoundResponse();
    const cadre = await cadreBreakdown(db, ranking, cadreId.data);
    return {
      quarter: ranking.quarter,
      version: ranking.version,
      status: ranking.status,
      lateWeight: ranking.model.spec.params.lateWeight,
      cadre,
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function CadreBreakdownPage() {
  const { t, i18n } = useTranslation();
  const { quarter, version, status, lateWeight, cadre } = useLoaderData<typeof loader>();
  const label = quarterLabel(quarter, i18n.language);
  const i = cadre.inputs;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / <Link to={`/rankings/${quarter}?tab=cadres&group=${cadre.group}`}>{label}</Link>{" "}
        / {cadre.name}
      </nav>
      <div className="page-head">
        <h1>
          {cadre.name} <span className="muted small">{cadre.code}</span>
        </h1>
        <div className="actions">
          <span className="badge">{t(`rankings.bands.${cadre.group}`)}</span>
          <span className="muted small">
            {cadre.unitName} · {t(`ranks.${cadre.cadreRank}`)}
          </span>
          {status !== "published" ? <span className="badge warn">{`v${version} ${t(`rankings.statuses.${status}`)}`}</span> : null}
        </div>
      </div>
      <div className="stats">
        <RankStat rank={cadre.rank} tieSize={cadre.tieSize} groupSize={cadre.groupSize} />
        <div className="stat">
          <div className="stat-value">{formatScore(cadre.score)}</div>
          <div className="stat-label">{t("rankings.table.score")}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{`${formatNumber(i.hoursEarned, 1)}`}</div>
          <div className="stat-label">{t("rankings.breakdown.hoursOf", { required: formatNumber(i.hoursRequired, 2) })}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{i.grade ? t(`rankings.grades.${i.grade}`) : "—"}</div>
          <div className="stat-label">{t("rankings.indicators.assessment")}</div>
        </div>
      </div>
      <section className="card" aria-labelledby="rk-lines">
        <h2 id="rk-lines">{t("rankings.breakdown.title")}</h2>
        <BreakdownTable lines={cadre.lines} score={cadre.score} kind="cadres" params={{ late: lateWeight }} />
        <ul className="small muted rk-facts">
          <li>{t("rankings.breakdown.cadreAttendance", { enrolled: i.enrolled, present: i.present, late: i.late, excused: i.excused })}</li>
          <li>
            {t("rankings.breakdown.cadreHours", {
              earned: formatNumber(i.hoursEarned, 1),
              makeup: formatNumber(i.hoursMakeup, 1),
              required: formatNumber(i.hoursRequired, 2),
            })}
          </li>
          <li>{t("rankings.breakdown.cadreFrontline", { days: i.frontlineDays, quota: i.frontlineQuota })}</li>
          <LeftOutNote lines={cadre.lines} />
          <li>{t("rankings.breakdown.tieRule")}</li>
        </ul>
      </section>
      <section className="card" aria-labelledby="rk-history">
        <h2 id="rk-history">{t("rankings.breakdown.history")}</h2>
        {cadre.history.length ? (
          <>
            <HistoryChart points={cadre.history} label={t("rankings.breakdown.history")} />
            <HistoryTable history={cadre.history} kind="cadres" id={cadre.id} />
          </>
        ) : (
          <p className="muted">{t("rankings.breakdown.noHistory")}</p>
        )}
      </section>
    </>
  );
}
