import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { forbiddenResponse, requireAccess, requireUser } from "~/modules/auth/guards.server";
import { isRankingsAdmin, maySeeTables, mayUseRankings } from "~/modules/rankings/access";
import { computeRanking } from "~/modules/rankings/compute.server";
import { openFlags } from "~/modules/rankings/flags.server";
import { getSharing } from "~/modules/rankings/model.server";
import { previousQuarter, quarterLabel, quarterOf } from "~/modules/rankings/quarter";
import { ComputeSchema } from "~/modules/rankings/schema";
import { listQuarters } from "~/modules/rankings/views.server";
import { formatDate, todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("rankings.titles.index"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayUseRankings);
  const db = getDb();
  const admin = isRankingsAdmin(user);
  const sharing = await getSharing(db);
  const today = todayInShanghai();
  return {
    admin,
    quarters: await listQuarters(db, user),
    defaultQuarter: previousQuarter(quarterOf(today)),
    currentQuarter: quarterOf(today),
    openFlags: admin ? (await openFlags(db)).length : 0,
    units: maySeeTables(user, sharing, "units"),
    cadres: maySeeTables(user, sharing, "cadres"),
  };
}

/** Computing a quarter's draft (or a correction) is the organization department's. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!isRankingsAdmin(user)) throw forbiddenResponse();
  const form = parseForm(ComputeSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const outcome = await computeRanking(getDb(), { userId: user.id }, form.data.quarter, { reason: form.data.reason });
    return redirect(`/rankings/${outcome.quarter}?version=${outcome.version}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function RankingsIndex() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <div className="page-head">
        <h1>{t("rankings.index.title")}</h1>
        <div className="actions">
          <Link className="button secondary" to="/rankings/assessments">
            {t("rankings.assessments.title")}
          </Link>
          {data.admin ? (
            <>
              <Link className="button secondary" to="/rankings/flags">
                {t("rankings.flags.title")}
                {data.openFlags ? <span className="badge danger">{data.openFlags}</span> : null}
              </Link>
              <Link className="button secondary" to="/rankings/model">
                {t("rankings.model.title")}
              </Link>
              <Link className="button secondary" to="/admin/imports">
                {t("rankings.index.imports")}
              </Link>
            </>
          ) : null}
        </div>
      </div>
      <p className="muted">{t("rankings.index.intro")}</p>
      {data.admin ? (
        <section className="card" aria-labelledby="rk-compute">
          <h2 id="rk-compute">{t("rankings.index.compute")}</h2>
          <Form method="post" className="rk-compute" noValidate>
            <FormErrors errors={errors} />
            <input type="hidden" name="intent" value="compute" />
            <Field
              label={t("rankings.fields.quarter")}
              name="quarter"
              defaultValue={data.defaultQuarter}
              required
              errors={errors}
              hint={t("rankings.index.quarterHint", { current: data.currentQuarter })}
            />
            <Field label={t("rankings.fields.correctionReason")} name="reason" errors={errors} hint={t("rankings.index.reasonHint")} />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("rankings.index.computeButton")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="rk-quarters">
        <h2 id="rk-quarters">{t("rankings.index.quarters")}</h2>
        {data.quarters.length ? (
          <div className="table-wrap">
            <table className="compact">
              <thead>
                <tr>
                  <th>{t("rankings.fields.quarter")}</th>
                  <th>{t("rankings.index.versions")}</th>
                  <th className="num">{t("rankings.index.units")}</th>
                  <th className="num">{t("rankings.index.cadres")}</th>
                  <th>{t("rankings.index.publishedAt")}</th>
                  <th>{t("rankings.meeting.title")}</th>
                </tr>
              </thead>
              <tbody>
                {data.quarters.map((q) => {
                  const shown = q.versions.find((v) => v.status === "published") ?? q.versions[0]!;
                  return (
                    <tr key={q.quarter}>
                      <td>
                        <Link to={`/rankings/${q.quarter}${data.units ? "" : "?tab=cadres"}`}>
                          {quarterLabel(q.quarter, i18n.language)}
                        </Link>
                      </td>
                      <td>
                        {q.versions.map((v) => (
                          <Link
                            key={v.id}
                            to={`/rankings/${q.quarter}?version=${v.version}`}
                            className={`badge ${v.status === "published" ? "ok" : v.status === "draft" ? "warn" : ""}`}
                          >
                            v{v.version} {t(`rankings.statuses.${v.status}`)}
                          </Link>
                        ))}
                      </td>
                      <td className="num">{shown.unitCount}</td>
                      <td className="num">{shown.cadreCount}</td>
                      <td>{formatDate(shown.publishedAt, i18n.language) || "—"}</td>
                      <td>{q.meetingId ? <Link to={`/rankings/meetings/${q.meetingId}`}>{t("rankings.meeting.open")}</Link> : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card muted">{t("rankings.index.empty")}</p>
        )}
      </section>
    </>
  );
}
