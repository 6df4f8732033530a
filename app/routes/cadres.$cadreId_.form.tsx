import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { getCadre } from "~/modules/organization/cadres.server";
import { birthWithAge, codeLabel, educationDegree } from "~/modules/organization/components/roster";
import { resumeRows, yearMonth } from "~/modules/organization/roster";
import { rosterViewer } from "~/modules/organization/roster.server";
import { parseIdParam } from "~/modules/organization/schema";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => `${data?.cadre.name ?? ""} · ${t("roster.form.title")}`);

/**
 * One cadre's 干部任免审批表 on A4, in the national form's order: basic information, education, posts,
 * the résumé from the unit and post history, then what Luoshi does not keep (rewards and discipline,
 * appraisals, family, the authorities' opinions) as blank boxes to fill in by hand. Personal data: for
 * the organization department and the heads of the cadre's units only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cadreId = parseIdParam(params.cadreId);
  if (cadreId === null) throw notFoundResponse();
  try {
    const record = await getCadre(getDb(), user.scope, cadreId, await rosterViewer(getDb(), user));
    if (!record.roster || user.cadreId === cadreId) throw forbiddenResponse();
    const posts = record.terms.filter((t) => t.kind === "post");
    const memberships = [...record.memberships].reverse();
    return {
      cadre: record.cadre,
      roster: record.roster,
      today: todayInShanghai(),
      resume: resumeRows(memberships, posts),
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export default function AppointmentForm() {
  const { t } = useTranslation();
  const { cadre, roster, today, resume } = useLoaderData<typeof loader>();
  const blank = <td className="af-blank" />;
  return (
    <article className="appointment-form">
      <div className="no-print actions af-tools">
        <Link to={`/cadres/${cadre.id}`}>{t("roster.form.back")}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t("roster.form.print")}
        </button>
      </div>
      <h1>{t("roster.form.title")}</h1>
      <table className="af-table">
        <colgroup>
          <col className="af-label" />
          <col />
          <col className="af-label" />
          <col />
          <col className="af-label" />
          <col />
          <col className="af-photo" />
        </colgroup>
        <tbody>
          <tr>
            <th>{t("roster.form.name")}</th>
            <td>{cadre.name}</td>
            <th>{t("roster.form.gender")}</th>
            <td>{codeLabel(t, "genders", roster.gender)}</td>
            <th className="af-pre">{t("roster.form.birth")}</th>
            <td>{birthWithAge(t, roster.birthDate, today)}</td>
            <td rowSpan={4} className="af-photo-box">
              {t("roster.form.photo")}
            </td>
          </tr>
          <tr>
            <th>{t("roster.form.ethnicity")}</th>
            <td>{codeLabel(t, "ethnicities", roster.ethnicity)}</td>
            <th>{t("roster.form.nativePlace")}</th>
            <td>{roster.nativePlace ?? ""}</td>
            <th>{t("roster.form.birthPlace")}</th>
            {blank}
          </tr>
          <tr>
            {/* The national form's 入党时间: Luoshi keeps no date of joining, so the cell says what it holds. */}
            <th>{t("roster.form.politicalStatus")}</th>
            <td>{roster.politicalStatus ? codeLabel(t, "politicalStatuses", roster.politicalStatus) : ""}</td>
            <th>{t("roster.form.workStart")}</th>
            <td>{yearMonth(roster.workStartDate)}</td>
            <th>{t("roster.form.health")}</th>
            {blank}
          </tr>
          <tr>
            <th>{t("roster.form.profTitle")}</th>
            {blank}
            <th>{t("roster.form.specialty")}</th>
            <td colSpan={3} className="af-blank" />
          </tr>
          <tr>
            <th rowSpan={2}>{t("roster.form.educationDegree")}</th>
            <th>{t("roster.form.fullTime")}</th>
            <td colSpan={2}>{roster.education || roster.degree ? educationDegree(t, roster) : ""}</td>
            <th>{t("roster.form.school")}</th>
            <td colSpan={2} className="af-blank" />
          </tr>
          <tr>
            <th>{t("roster.form.inService")}</th>
            <td colSpan={2} className="af-blank" />
            <th>{t("roster.form.school")}</th>
            <td colSpan={2} className="af-blank" />
          </tr>
          <tr>
            <th>{t("roster.form.currentPost")}</th>
            <td colSpan={6}>
              {cadre.unitName}
              {cadre.title}（{t(`ranks.${cadre.rank}`)}
              {cadre.rankSince ? `，${yearMonth(cadre.rankSince)}` : ""}）
            </td>
          </tr>
          <tr>
            <th>{t("roster.form.proposedPost")}</th>
            <td colSpan={6} className="af-blank" />
          </tr>
          <tr>
            <th>{t("roster.form.proposedRemoval")}</th>
            <td colSpan={6} className="af-blank" />
          </tr>
          <tr className="af-resume">
            <th>{t("roster.form.resume")}</th>
            <td colSpan={6}>
              {resume.map((r, i) => (
                <div key={i}>
                  {t("roster.form.resumeLine", {
                    from: r.from ? yearMonth(r.from) : "……",
                    to: r.to ? yearMonth(r.to) : "",
                    unit: r.unit,
                    title: r.title,
                  })}
                </div>
              ))}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted small no-print">{t("roster.form.educationNote")}</p>

      <table className="af-table af-page-two">
        <colgroup>
          <col className="af-label" />
          <col />
          <col />
          <col />
          <col />
          <col />
        </colgroup>
        <tbody>
          <tr className="af-tall">
            <th>{t("roster.form.rewards")}</th>
            <td colSpan={5} className="af-blank" />
          </tr>
          <tr className="af-tall">
            <th>{t("roster.form.appraisal")}</th>
            <td colSpan={5} className="af-blank" />
          </tr>
          <tr className="af-tall">
            <th>{t("roster.form.reason")}</th>
            <td colSpan={5} className="af-blank" />
          </tr>
          <tr>
            <th rowSpan={6}>{t("roster.form.family")}</th>
            <th>{t("roster.form.relation")}</th>
            <th>{t("roster.form.name")}</th>
            <th>{t("roster.form.familyAge")}</th>
            <th>{t("roster.form.familyPolitics")}</th>
            <th>{t("roster.form.employer")}</th>
          </tr>
          {[1, 2, 3, 4, 5].map((n) => (
            <tr key={n}>
              <td className="af-blank" />
              <td className="af-blank" />
              <td className="af-blank" />
              <td className="af-blank" />
              <td className="af-blank" />
            </tr>
          ))}
          {(["reporter", "approval", "administrative"] as const).map((key) => (
            <tr key={key} className="af-tall">
              <th>{t(`roster.form.${key}`)}</th>
              <td colSpan={5} className="af-sign">
                {t("roster.form.seal")} {t("roster.form.dateLine")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">{t("roster.form.filledBy")}：＿＿＿＿＿＿</p>
    </article>
  );
}
