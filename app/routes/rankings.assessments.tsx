import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorList, FormErrors } from "~/components/forms";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { isRankingsAdmin, mayUseRankings } from "~/modules/rankings/access";
import { completion, gradingSheet, gradingUnits, saveGrades } from "~/modules/rankings/assessments.server";
import { ASSESSMENT_GRADES } from "~/modules/rankings/model";
import { normaliseQuarter, quarterLabel, quarterOf, shiftQuarter } from "~/modules/rankings/quarter";
import { parseGradeSheet } from "~/modules/rankings/schema";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("rankings.titles.assessments"));

const QuerySchema = z.object({
  quarter: z
    .string()
    .optional()
    .transform((v) => normaliseQuarter(v) ?? undefined),
  unit: z.coerce.number().int().positive().optional().catch(undefined),
});

/**
 * 平时考核: a unit head grades the cadres of their unit each quarter, until the deadline; the
 * organization department sees how far each unit is, and may open any unit's sheet.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = todayInShanghai();
  const quarter = query.quarter ?? quarterOf(today);
  const db = getDb();
  const admin = isRankingsAdmin(user);
  const units = await gradingUnits(db, user);
  const unitId = query.unit ?? (admin ? undefined : units[0]?.id);
  try {
    return {
      quarter,
      admin,
      units,
      quarters: [-2, -1, 0].map((n) => shiftQuarter(quarterOf(today), n)),
      sheet: unitId ? await gradingSheet(db, user, quarter, unitId, today) : null,
      overview: admin && !unitId ? await completion(db, quarter, today) : null,
    };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const form = await request.formData();
  const quarter = normaliseQuarter(form.get("quarter"));
  const unitId = Number(form.get("unitId"));
  if (!quarter || !Number.isInteger(unitId) || unitId <= 0) return invalidForm({ form: ["validation.invalid"] });
  const sheet = parseGradeSheet(form);
  if (!sheet.ok) return invalidForm(sheet.errors);
  try {
    const { saved } = await saveGrades(getDb(), user, quarter, unitId, sheet.entries, todayInShanghai());
    return { ok: true as const, saved };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Assessments() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  const sheet = data.sheet;
  const mayEdit = sheet ? sheet.open || data.admin : false;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings">{t("rankings.title")}</Link> / {t("rankings.assessments.title")}
      </nav>
      <div className="page-head">
        <h1>{t("rankings.assessments.heading", { quarter: quarterLabel(data.quarter, i18n.language) })}</h1>
        <nav className="rk-tabs" aria-label={t("rankings.fields.quarter")}>
          {data.quarters.map((q) => (
            <Link
              key={q}
              to={`/rankings/assessments?quarter=${q}${sheet ? `&unit=${sheet.unit.id}` : ""}`}
              className={q === data.quarter ? "active" : undefined}
            >
              {q}
            </Link>
          ))}
        </nav>
      </div>
      <p className="muted">{t("rankings.assessments.intro")}</p>
      {!data.admin && data.units.length > 1 ? (
        <nav className="rk-tabs" aria-label={t("rankings.assessments.units")}>
          {data.units.map((u) => (
            <Link
              key={u.id}
              to={`/rankings/assessments?quarter=${data.quarter}&unit=${u.id}`}
              className={u.id === sheet?.unit.id ? "active" : undefined}
            >
              {u.name}
            </Link>
          ))}
        </nav>
      ) : null}
      {result?.ok ? (
        <p className="notice" role="status">
          {t("rankings.assessments.saved", { count: result.saved })}
        </p>
      ) : null}
      {data.overview ? (
        <section className="card" aria-labelledby="rk-completion">
          <h2 id="rk-completion">{t("rankings.assessments.completion")}</h2>
          <p className="muted small">
            {t("rankings.assessments.window", { opens: data.overview.window.opensOn, closes: data.overview.window.closesOn })}
          </p>
          <div className="table-wrap">
            <table className="compact">
              <thead>
                <tr>
                  <th>{t("rankings.table.unitCode")}</th>
                  <th>{t("rankings.table.unit")}</th>
                  <th>{t("rankings.assessments.head")}</th>
                  <th className="num">{t("rankings.assessments.graded")}</th>
                  <th className="num">{t("rankings.assessments.percent")}</th>
                </tr>
              </thead>
              <tbody>
                {data.overview.rows.map((r) => (
                  <tr key={r.unitId}>
                    <td>{r.code}</td>
                    <td>
                      <Link to={`/rankings/assessments?quarter=${data.quarter}&unit=${r.unitId}`}>{r.name}</Link>
                    </td>
                    <td>{r.headName ?? "—"}</td>
                    <td className="num">{`${r.graded} / ${r.members}`}</td>
                    <td
                      className={`num ${r.graded < r.members ? "rk-warn" : "rk-ok"}`}
                    >{`${Math.round((100 * r.graded) / r.members)}%`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {sheet ? (
        <section className="card" aria-labelledby="rk-sheet">
          <h2 id="rk-sheet">{sheet.unit.name}</h2>
          <p className={sheet.open ? "muted small" : "notice warn"}>
            {sheet.open
              ? t("rankings.assessments.deadline", { date: sheet.window.closesOn })
              : t("rankings.assessments.closed", { date: sheet.window.closesOn })}
            {!sheet.open && data.admin ? ` ${t("rankings.assessments.adminMay")}` : ""}
          </p>
          <Form method="post" noValidate>
            <FormErrors errors={errors} />
            <input type="hidden" name="quarter" value={data.quarter} />
            <input type="hidden" name="unitId" value={sheet.unit.id} />
            <div className="table-wrap">
              <table className="rk-sheet">
                <thead>
                  <tr>
                    <th>{t("rankings.table.name")}</th>
                    <th>{t("rankings.table.cadreRank")}</th>
                    <th>{t("rankings.fields.grade")}</th>
                    <th>{t("rankings.fields.comment")}</th>
                  </tr>
                </thead>
                <tbody>
                  {sheet.rows.map((r) => (
                    <tr key={r.cadreId}>
                      <td>
                        {r.name} <span className="muted small">{r.staffNo}</span>
                        {r.title ? <div className="muted small">{r.title}</div> : null}
                      </td>
                      <td>{t(`ranks.${r.rank}`)}</td>
                      <td>
                        {r.self ? (
                          <span className="muted small">{t("rankings.assessments.self")}</span>
                        ) : (
                          <fieldset className="rk-grades" disabled={!mayEdit}>
                            <legend className="visually-hidden">{t("rankings.assessments.gradeOf", { name: r.name })}</legend>
                            {ASSESSMENT_GRADES.map((g) => (
                              <label key={g} className="check">
                                <input type="radio" name={`grade.${r.cadreId}`} value={g} defaultChecked={r.grade === g} />
                                {t(`rankings.grades.${g}`)}
                              </label>
                            ))}
                            <ErrorList errors={errors?.[`grade.${r.cadreId}`]} />
                          </fieldset>
                        )}
                      </td>
                      <td>
                        {r.self ? null : (
                          <input
                            className="rk-comment"
                            name={`comment.${r.cadreId}`}
                            defaultValue={r.comment}
                            maxLength={500}
                            disabled={!mayEdit}
                            aria-label={t("rankings.assessments.commentOf", { name: r.name })}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {mayEdit ? (
              <div className="actions rk-sheet-actions">
                <button type="submit" className="primary" disabled={busy}>
                  {t("actions.save")}
                </button>
              </div>
            ) : null}
          </Form>
        </section>
      ) : !data.overview ? (
        <p className="card muted">{t("rankings.assessments.noUnits")}</p>
      ) : null}
    </>
  );
}
