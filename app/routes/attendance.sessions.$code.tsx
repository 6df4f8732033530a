import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors, TextareaField } from "~/components/forms";
import { correctAttendance } from "~/modules/attendance/closing/close.server";
import { AttendanceStatusBadge, ExportLinks, RateValue, ReportTableView } from "~/modules/attendance/components";
import { reviewFlag, sessionReport } from "~/modules/attendance/reports/session-report.server";
import { sessionRecordsTable } from "~/modules/attendance/reports/tables";
import { CorrectionSchema, FlagReviewSchema, MARKABLE_STATUSES, parseCode } from "~/modules/attendance/schema";
import { getAttendanceRules } from "~/modules/attendance/settings.server";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { sessionWhen } from "~/modules/classes/format";
import { findSessionByCode } from "~/modules/classes/sessions.server";
import { shanghaiTimeOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => (data ? t("attendance.titles.session", { code: data.session.code }) : t("nav.attendance")));

function codeOf(params: { code?: string }) {
  const code = parseCode(params.code);
  if (!code) throw notFoundResponse();
  return code;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const db = getDb();
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 50) ?? "";
  const rules = await getAttendanceRules(db);
  try {
    const report = await sessionReport(db, user, codeOf(params), { q, rules });
    return { ...report, threshold: rules.lowAttendance.threshold, autoCloseHours: rules.autoCloseHours };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** A correction (with its reason) or a flag review, both by the organization department, both audited. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const db = getDb();
  const formData = await request.formData();
  try {
    const session = await findSessionByCode(db, codeOf(params));
    if (formData.get("intent") === "flag") {
      const form = parseForm(FlagReviewSchema, formData);
      if (!form.ok) return invalidForm(form.errors);
      const outcome = await reviewFlag(db, user, session.id, form.data);
      return { ok: true as const, message: outcome.changed ? "attendance.unit.decided" : "attendance.session.unchanged" };
    }
    const form = parseForm(CorrectionSchema, formData);
    if (!form.ok) return invalidForm(form.errors);
    const outcome = await correctAttendance(db, user, { sessionId: session.id, ...form.data });
    return { ok: true as const, message: outcome.changed ? "attendance.session.corrected" : "attendance.session.unchanged" };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function SessionAttendance() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const correcting = data.records.find((r) => String(r.cadreId) === params.get("correct"));
  const errors = result && !result.ok ? result.errors : undefined;
  const withQuery = (extra: Record<string, string>) => `?${new URLSearchParams({ ...(data.q ? { q: data.q } : {}), ...extra })}`;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/attendance/reports">{t("attendance.reports.title")}</Link> / {data.session.code}
      </nav>
      <div className="page-head">
        <h1>{t("attendance.session.title", { code: data.session.code })}</h1>
        <Link className="button secondary no-print" to={`/classes/admin/sessions/${encodeURIComponent(data.session.code)}`}>
          {t("attendance.session.manage")}
        </Link>
      </div>
      <p>
        {data.session.title} · {sessionWhen(data.session.startsAt, data.session.endsAt, i18n.language)}
      </p>
      <p className="small muted">{t("attendance.session.closeHint", { hours: data.autoCloseHours })}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.message)}
        </p>
      ) : null}
      <FormErrors errors={errors} />

      <h2>{t("attendance.session.venues")}</h2>
      <div className="table-wrap">
        <table className="compact">
          <thead>
            <tr>
              <th>{t("attendance.table.venue")}</th>
              <th className="num">{t("attendance.table.enrolled")}</th>
              <th className="num">{t("attendance.table.present")}</th>
              <th className="num">{t("attendance.table.late")}</th>
              <th className="num">{t("attendance.table.excused")}</th>
              <th className="num">{t("attendance.table.absent")}</th>
              <th className="num">{t("attendance.table.rate")}</th>
            </tr>
          </thead>
          <tbody>
            {data.places.map((p) => (
              <tr key={p.venueId ?? "online"}>
                <td>{p.name ?? t("attendance.session.online")}</td>
                <td className="num">{p.enrolled}</td>
                <td className="num">{p.present}</td>
                <td className="num">{p.late}</td>
                <td className="num">{p.excused}</td>
                <td className="num">{p.absent}</td>
                <td className="num">
                  <RateValue rate={p.rate} threshold={data.threshold} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {correcting ? (
        <section className="card attendance-correct" id="correct">
          <h2>
            {t("attendance.session.correct")}: {correcting.name} <AttendanceStatusBadge status={correcting.status} />
          </h2>
          <p className="small muted">{t("attendance.session.correctHint")}</p>
          <Form method="post" className="stack" action={withQuery({ correct: String(correcting.cadreId) })}>
            <input type="hidden" name="cadreId" value={correcting.cadreId} />
            <fieldset className="attendance-status-choice">
              {MARKABLE_STATUSES.map((s) => (
                <label key={s}>
                  <input type="radio" name="status" value={s} defaultChecked={correcting.status === s} /> {t(`attendance.statuses.${s}`)}
                </label>
              ))}
            </fieldset>
            <TextareaField label={t("attendance.session.reason")} name="reason" rows={2} required errors={errors} />
            <div className="actions">
              <button type="submit" className="primary" name="intent" value="correct" disabled={busy}>
                {t("attendance.session.correct")}
              </button>
              <Link to={withQuery({})}>{t("actions.cancel")}</Link>
            </div>
          </Form>
        </section>
      ) : null}

      <h2>{t("attendance.session.flags")}</h2>
      {data.flags.length ? (
        <ul className="attendance-flags">
          {data.flags.map((f) => (
            <li key={f.id} className={`card flag-${f.status}`}>
              <strong>{f.name}</strong> <span className="muted small">{f.staffNo}</span> · {t(`attendance.session.flagKinds.${f.kind}`)}
              {f.venueName ? ` · ${f.venueName}` : ""}
              {f.checkedInAt ? ` · ${shanghaiTimeOf(f.checkedInAt)}` : ""}{" "}
              <span className="badge">{t(`attendance.session.flagStatuses.${f.status}`)}</span>
              {f.status === "open" ? (
                <Form method="post" className="actions">
                  <input type="hidden" name="intent" value="flag" />
                  <input type="hidden" name="flagId" value={f.id} />
                  <button type="submit" name="decision" value="dismissed" className="secondary" disabled={busy}>
                    {t("attendance.session.dismiss")}
                  </button>
                  <button type="submit" name="decision" value="confirmed" className="danger" disabled={busy}>
                    {t("attendance.session.confirmFlag")}
                  </button>
                </Form>
              ) : f.reviewNote ? (
                <p className="small muted">{f.reviewNote}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("attendance.session.noFlags")}</p>
      )}

      <div className="page-head">
        <h2>{t("attendance.session.roster")}</h2>
        <ExportLinks href={(format) => `/attendance/sessions/${encodeURIComponent(data.session.code)}/export?format=${format}`} />
      </div>
      <Form method="get" className="roster-search no-print" role="search">
        <input
          type="search"
          name="q"
          defaultValue={data.q}
          placeholder={t("attendance.roster.searchHint")}
          aria-label={t("attendance.roster.search")}
        />
        <button type="submit" className="secondary">
          {t("attendance.roster.search")}
        </button>
      </Form>
      <ReportTableView
        table={sessionRecordsTable(data.session.code, data.records, t, (cadreId) => `${withQuery({ correct: String(cadreId) })}#correct`)}
        testId="session-records"
      />
    </>
  );
}
