import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors, TextareaField } from "~/components/forms";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { adminSessionView } from "~/modules/classes/admin-views.server";
import { Figure, LeaveBadge, minRankLabel, SessionStatusBadge } from "~/modules/classes/components";
import { formatHours, sessionWhen } from "~/modules/classes/format";
import { parseSessionCode, RosterFilterSchema, SessionStatusSchema } from "~/modules/classes/schema";
import { syncSessionEnrolment, transitionSession } from "~/modules/classes/status.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("classes.titles.manageSession", { title: data?.session.title ?? t("classes.titles.session") }));

function codeOf(params: { code?: string }): string {
  const code = parseSessionCode(params.code);
  if (!code) throw notFoundResponse();
  return code;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const filter = RosterFilterSchema.parse(formValues(new URL(request.url).searchParams));
  try {
    return await adminSessionView(getDb(), codeOf(params), filter);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const code = codeOf(params);
  const form = parseForm(SessionStatusSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const actor = { userId: user.id };
  const options = { origin: appOrigin() };
  try {
    if (form.data.intent === "sync") {
      const sync = await syncSessionEnrolment(getDb(), actor, code, options);
      return { ok: true as const, message: "classes.admin.synced", params: { ...sync } };
    }
    const reason = form.data.intent === "cancel" ? form.data.reason : undefined;
    const outcome = await transitionSession(getDb(), actor, code, form.data.intent, { ...options, reason });
    return {
      ok: true as const,
      message: outcome.unchanged ? "classes.admin.unchanged" : `classes.admin.done.${form.data.intent}`,
      params: { enrolled: outcome.sync?.enrolled ?? 0, notified: outcome.notified ?? 0 },
    };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function AdminSession() {
  const { t, i18n } = useTranslation();
  const { session, series, places, totals, audience, roster } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = result && !result.ok ? result.errors : undefined;
  const started = new Date(session.startsAt) <= new Date();
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const s = next.toString();
    return s ? `?${s}` : "?";
  };
  const exportQuery = new URLSearchParams([...params].filter(([k]) => k === "venue" || k === "q")).toString();
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes/admin">{t("classes.admin.title")}</Link>
        {series ? (
          <>
            {" / "}
            <Link to={`/classes/admin/series/${series.id}`}>{series.title}</Link>
          </>
        ) : null}
        {" / "}
        <span aria-current="page">{session.code}</span>
      </nav>
      <div className="page-head">
        <h1>
          {session.title} <SessionStatusBadge status={session.status} />
        </h1>
        <div className="actions no-print">
          {session.status !== "cancelled" ? (
            <Link className="button secondary" to={`/classes/admin/sessions/${session.code}/edit`}>
              {t("actions.edit")}
            </Link>
          ) : null}
          {session.status === "draft" ? (
            <Form method="post">
              <button type="submit" name="intent" value="publish" className="primary" disabled={busy}>
                {t("classes.admin.publish")}
              </button>
            </Form>
          ) : null}
          {session.status === "published" && !started ? (
            <Form method="post">
              <button type="submit" name="intent" value="sync" className="secondary" disabled={busy}>
                {t("classes.admin.sync")}
              </button>
            </Form>
          ) : null}
          {session.status === "published" && started ? (
            <Form method="post">
              <button type="submit" name="intent" value="close" className="primary" disabled={busy}>
                {t("classes.admin.close")}
              </button>
            </Form>
          ) : null}
        </div>
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
            <dt>{t("classes.session.when")}</dt>
            <dd>{sessionWhen(session.startsAt, session.endsAt, i18n.language)}</dd>
            <dt>{t("classes.session.lecturer")}</dt>
            <dd>{[session.lecturer, session.lecturerAffiliation].filter(Boolean).join("，") || "—"}</dd>
            <dt>{t("classes.session.hours")}</dt>
            <dd>{formatHours(session.trainingHours)}</dd>
            <dt>{t("classes.session.deadline")}</dt>
            <dd>{formatDateTime(session.registrationDeadline, i18n.language)}</dd>
            <dt>{t("classes.audience.title")}</dt>
            <dd>
              {session.audience.minRank ? minRankLabel(t, session.audience.minRank) : t("classes.audience.noRank")}
              {session.audience.unitIds.length ? ` · ${t("classes.audience.unitCount", { count: session.audience.unitIds.length })}` : ""}
              {session.audience.cadreIds.length
                ? ` · ${t("classes.audience.namedCount", { count: session.audience.cadreIds.length })}`
                : ""}
              {session.audience.excludeCadreIds.length
                ? ` · ${t("classes.audience.excludedCount", { count: session.audience.excludeCadreIds.length })}`
                : ""}
              {" · "}
              {t(session.audienceMandatory ? "classes.mandatory" : "classes.optional")}
            </dd>
            {session.cancelReason ? (
              <>
                <dt>{t("classes.admin.cancelReason")}</dt>
                <dd>{session.cancelReason}</dd>
              </>
            ) : null}
          </dl>
        </section>
        {session.status === "draft" || session.status === "published" ? (
          <section className="card no-print">
            <h2>{t("classes.admin.cancel")}</h2>
            <Form
              method="post"
              className="stack"
              noValidate
              onSubmit={(e) => {
                if (!window.confirm(t("classes.admin.cancelConfirm"))) e.preventDefault();
              }}
            >
              <TextareaField label={t("classes.admin.cancelReason")} name="reason" rows={2} errors={errors} />
              <button type="submit" name="intent" value="cancel" className="danger" disabled={busy}>
                {t("classes.admin.cancel")}
              </button>
            </Form>
          </section>
        ) : null}
      </div>

      <div className="stats" style={{ marginBottom: "1rem" }}>
        <Figure label={t("classes.admin.registered")} value={totals.registered} to={link({ venue: null, page: null })} />
        <Figure
          label={t("classes.admin.waitlisted")}
          value={totals.waitlisted}
          to={link({ venue: "waitlist", page: null })}
          tone={totals.waitlisted ? "warn" : undefined}
        />
        <Figure
          label={t("classes.admin.leave")}
          value={`${totals.onLeave} / ${totals.leavePending}`}
          to={link({ venue: "leave", page: null })}
        />
        {audience ? (
          <Figure
            label={t("classes.admin.mandatoryMissing")}
            value={audience.notRegistered}
            tone={audience.notRegistered ? "danger" : undefined}
          />
        ) : null}
      </div>

      <section aria-labelledby="places">
        <h2 id="places">{t("classes.admin.places")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("classes.roster.place")}</th>
                <th>{t("classes.venues.ranks")}</th>
                <th className="num">{t("classes.venues.capacity")}</th>
                <th className="num">{t("classes.admin.registered")}</th>
                <th className="num">{t("classes.admin.onLeave")}</th>
                <th className="num">{t("classes.admin.leavePending")}</th>
                <th className="num">{t("classes.admin.waitlisted")}</th>
                <th className="num">{t("classes.admin.free")}</th>
              </tr>
            </thead>
            <tbody>
              {places.map((p) => (
                <tr key={p.venueId ?? "online"} data-place={p.venueId ?? "online"}>
                  <td>
                    <Link to={link({ venue: p.venueId === null ? "online" : String(p.venueId), page: null })}>
                      {p.name ?? t("classes.online")}
                    </Link>
                  </td>
                  <td className="small">{p.ranks.map((r) => t(`ranks.${r}`)).join("、") || "—"}</td>
                  <td className="num">{p.capacity ?? "—"}</td>
                  <td className="num">{p.registered}</td>
                  <td className="num">{p.onLeave}</td>
                  <td className="num">{p.leavePending}</td>
                  <td className="num">{p.waitlisted}</td>
                  <td className="num">{p.free ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="roster">
        <div className="page-head">
          <h2 id="roster">{t("classes.admin.roster")}</h2>
          <div className="actions no-print">
            <a
              className="button secondary"
              href={`/classes/admin/sessions/${session.code}/roster/xlsx${exportQuery ? `?${exportQuery}` : ""}`}
              download
            >
              {t("classes.admin.exportXlsx")}
            </a>
            <a
              className="button secondary"
              href={`/classes/admin/sessions/${session.code}/roster/csv${exportQuery ? `?${exportQuery}` : ""}`}
              download
            >
              {t("actions.exportCsv")}
            </a>
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t("actions.print")}
            </button>
          </div>
        </div>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="venue">{t("classes.roster.place")}</label>
            <select id="venue" name="venue" defaultValue={params.get("venue") ?? ""}>
              <option value="">{t("classes.admin.allRegistered")}</option>
              {places.map((p) => (
                <option key={p.venueId ?? "online"} value={p.venueId ?? "online"}>
                  {p.name ?? t("classes.online")}
                </option>
              ))}
              <option value="waitlist">{t("classes.admin.waitlisted")}</option>
              <option value="leave">{t("classes.admin.leave")}</option>
              <option value="cancelled">{t("classes.registrationStatuses.cancelled")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="q">{t("actions.search")}</label>
            <input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} placeholder={t("classes.admin.searchHint")} />
          </div>
          <div className="actions">
            <button type="submit" className="secondary">
              {t("actions.filter")}
            </button>
          </div>
        </Form>
        {roster.rows.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("classes.roster.staffNo")}</th>
                  <th>{t("classes.roster.name")}</th>
                  <th>{t("classes.roster.unit")}</th>
                  <th>{t("classes.roster.rank")}</th>
                  <th>{t("classes.roster.place")}</th>
                  <th>{t("classes.roster.source")}</th>
                  <th>{t("classes.roster.leave")}</th>
                </tr>
              </thead>
              <tbody>
                {roster.rows.map((r) => (
                  <tr key={r.registrationId}>
                    <td>{r.staffNo}</td>
                    <td>{r.name}</td>
                    <td>{r.unitName}</td>
                    <td>{t(`ranks.${r.rank}`)}</td>
                    <td>
                      {r.status === "registered" ? (r.venueName ?? t("classes.online")) : t("classes.registrationStatuses.cancelled")}
                      {r.waitlistVenueName ? (
                        <div className="muted small">{t("classes.my.waiting", { venue: r.waitlistVenueName })}</div>
                      ) : null}
                    </td>
                    <td className="small">{t(`classes.sources.${r.source}`)}</td>
                    <td>{r.leaveStatus ? <LeaveBadge status={r.leaveStatus} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card muted">{t("common.noResults")}</p>
        )}
        {roster.page > 1 || roster.hasMore ? (
          <nav className="pager" aria-label={t("common.page", { page: roster.page })}>
            {roster.page > 1 ? <Link to={link({ page: String(roster.page - 1) })}>← {t("actions.previous")}</Link> : <span />}
            <span className="muted small">{t("common.page", { page: roster.page })}</span>
            {roster.hasMore ? <Link to={link({ page: String(roster.page + 1) })}>{t("actions.next")} →</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </>
  );
}
