import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/modules/auth/guards.server";
import { SessionStatusBadge } from "~/modules/classes/components";
import { sessionWhen } from "~/modules/classes/format";
import { SessionListFilterSchema } from "~/modules/classes/schema";
import { classesOverview } from "~/modules/classes/sessions.server";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { CLASS_SESSION_STATUSES } from "~db/schema/classes";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("classes.titles.admin"));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const filter = SessionListFilterSchema.parse(formValues(new URL(request.url).searchParams));
  return { filter, ...(await classesOverview(getDb(), filter)) };
}

export default function ClassesAdmin() {
  const { t, i18n } = useTranslation();
  const { filter, year, years, sessions, series } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes">{t("classes.my.title")}</Link> / <span aria-current="page">{t("classes.admin.title")}</span>
      </nav>
      <div className="page-head">
        <h1>{t("classes.admin.title")}</h1>
        <div className="actions">
          <Link className="button" to="/classes/admin/series/new">
            {t("classes.series.new")}
          </Link>
          <Link className="button secondary" to="/classes/admin/venues">
            {t("classes.venues.title")}
          </Link>
          <Link className="button secondary" to="/admin/imports">
            {t("classes.admin.importPlan")}
          </Link>
        </div>
      </div>

      <section aria-labelledby="series">
        <h2 id="series">{t("classes.series.title")}</h2>
        {series.length ? (
          <div className="table-wrap">
            <table className="compact">
              <thead>
                <tr>
                  <th>{t("classes.series.name")}</th>
                  <th>{t("classes.series.range")}</th>
                  <th>{t("classes.series.time")}</th>
                  <th className="num">{t("classes.series.sessions")}</th>
                  <th className="num">{t("classes.series.published")}</th>
                </tr>
              </thead>
              <tbody>
                {series.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/classes/admin/series/${s.id}`}>{s.title}</Link>
                    </td>
                    <td>
                      {s.startDate} – {s.endDate}
                    </td>
                    <td>
                      {s.startTime}–{s.endTime}
                    </td>
                    <td className="num">{s.sessions}</td>
                    <td className="num">{s.published}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card muted">{t("classes.series.none")}</p>
        )}
      </section>

      <section aria-labelledby="sessions">
        <h2 id="sessions">{t("classes.admin.sessions", { year })}</h2>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="year">{t("classes.admin.year")}</label>
            <select id="year" name="year" defaultValue={year}>
              {[...new Set([year, ...years])].map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="status">{t("classes.admin.status")}</label>
            <select id="status" name="status" defaultValue={filter.status ?? ""}>
              <option value="">{t("classes.admin.anyStatus")}</option>
              {CLASS_SESSION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`classes.sessionStatuses.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="secondary">
              {t("actions.filter")}
            </button>
          </div>
        </Form>
        {sessions.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("classes.admin.code")}</th>
                  <th>{t("classes.admin.when")}</th>
                  <th>{t("classes.admin.sessionTitle")}</th>
                  <th>{t("classes.admin.status")}</th>
                  <th className="num">{t("classes.admin.registered")}</th>
                  <th className="num">{t("classes.admin.waitlisted")}</th>
                  <th className="num">{t("classes.admin.leavePending")}</th>
                  <th className="num">{t("classes.admin.onLeave")}</th>
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
                    <td className="num">{s.counts.registered}</td>
                    <td className="num">{s.counts.waitlisted}</td>
                    <td className="num">{s.counts.leavePending}</td>
                    <td className="num">{s.counts.leaveApproved}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card muted">{t("common.noResults")}</p>
        )}
      </section>
    </>
  );
}
