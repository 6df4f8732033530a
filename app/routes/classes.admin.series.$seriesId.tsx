import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { SessionStatusBadge } from "~/modules/classes/components";
import { formatHours, sessionWhen } from "~/modules/classes/format";
import { SeriesActionSchema } from "~/modules/classes/schema";
import { addSeriesDate, getSeries, publishSeriesDrafts } from "~/modules/classes/series.server";
import { parseIdParam } from "~/modules/organization/schema";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.series.title ?? t("classes.titles.series"));

function seriesIdOf(params: { seriesId?: string }): number {
  const id = parseIdParam(params.seriesId);
  if (id === null) throw notFoundResponse();
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  try {
    return await getSeries(getDb(), seriesIdOf(params));
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const seriesId = seriesIdOf(params);
  const form = parseForm(SeriesActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const actor = { userId: user.id };
  try {
    if (form.data.intent === "addDate") {
      const created = await addSeriesDate(getDb(), actor, seriesId, form.data.date);
      return { ok: true as const, message: "classes.series.dateAdded", params: { code: created.code } };
    }
    const { published } = await publishSeriesDrafts(getDb(), actor, seriesId, { origin: appOrigin() });
    return { ok: true as const, message: "classes.series.draftsPublished", params: { count: published } };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function SeriesPage() {
  const { t, i18n } = useTranslation();
  const { series, venues, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  const drafts = sessions.filter((s) => s.status === "draft").length;
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes/admin">{t("classes.admin.title")}</Link> / <span aria-current="page">{series.title}</span>
      </nav>
      <div className="page-head">
        <h1>{series.title}</h1>
        {drafts ? (
          <Form method="post">
            <button type="submit" name="intent" value="publishDrafts" className="primary" disabled={busy}>
              {t("classes.series.publishDrafts", { count: drafts })}
            </button>
          </Form>
        ) : null}
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message, result.params)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <div className="grid two">
        <section className="card">
          <dl className="facts">
            <dt>{t("classes.series.recurrence")}</dt>
            <dd>
              {series.recurrence.kind === "monthly"
                ? t("classes.series.monthlyRule", {
                    weeks: series.recurrence.weeks.map((n) => t(`classes.series.nth.${n === -1 ? "last" : n}`)).join("、"),
                    weekday: t(`classes.weekdays.${series.recurrence.weekday}`),
                  })
                : t("classes.series.weeklyRule", {
                    count: series.recurrence.intervalWeeks,
                    weekdays: series.recurrence.weekdays.map((d) => t(`classes.weekdays.${d}`)).join("、"),
                  })}
            </dd>
            <dt>{t("classes.series.range")}</dt>
            <dd>
              {series.startDate} – {series.endDate} · {series.startTime}–{series.endTime}
            </dd>
            <dt>{t("classes.session.hours")}</dt>
            <dd>{formatHours(series.trainingHours)}</dd>
            <dt>{t("classes.series.venues")}</dt>
            <dd>{venues.length ? venues.map((v) => v.name).join("、") : t("classes.onlineOnly")}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t("classes.series.addDate")}</h2>
          <p className="muted small">{t("classes.series.addDateHint")}</p>
          <Form method="post" className="stack" noValidate>
            <Field label={t("classes.series.date")} name="date" type="date" errors={errors} />
            <button type="submit" name="intent" value="addDate" className="secondary" disabled={busy}>
              {t("classes.series.addDate")}
            </button>
          </Form>
        </section>
      </div>
      <h2>{t("classes.series.sessionsTitle", { count: sessions.length })}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("classes.admin.code")}</th>
              <th>{t("classes.admin.when")}</th>
              <th>{t("classes.admin.sessionTitle")}</th>
              <th>{t("classes.admin.status")}</th>
              <th className="num">{t("classes.admin.registered")}</th>
              <th className="num">{t("classes.admin.leavePending")}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/classes/admin/sessions/${s.code}`}>{s.code}</Link>
                </td>
                <td>{sessionWhen(s.startsAt, s.endsAt, i18n.language)}</td>
                <td>
                  {s.title}
                  {s.lecturer ? <div className="muted small">{s.lecturer}</div> : null}
                </td>
                <td>
                  <SessionStatusBadge status={s.status} />
                </td>
                <td className="num">{s.counts?.registered ?? 0}</td>
                <td className="num">{s.counts?.leavePending ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t("classes.series.editHint")}</p>
    </>
  );
}
