import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { actOnCase, getCase } from "~/modules/ratings/cases.server";
import { CaseActionSchema } from "~/modules/ratings/schema";
import { formatDate, formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { fields, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";
import { RATING_FINDINGS } from "~db/schema/ratings";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, (t) => t("ratings.titles.case", { id: data?.case.id ?? "" }));

async function guard(request: Request, params: { caseId?: string }) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const caseId = fields.id().safeParse(params.caseId);
  if (!caseId.success) throw new Response("Not Found", { status: 404 });
  return { user, caseId: caseId.data };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, caseId } = await guard(request, params);
  try {
    return { case: await getCase(getDb(), user, caseId) };
  } catch (error) {
    return domainErrorResponse(error) as never;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, caseId } = await guard(request, params);
  const form = parseForm(CaseActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    await actOnCase(getDb(), user, caseId, form.data);
    return { ok: true as const, intent: form.data.intent };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function RatingCasePage() {
  const { t, i18n } = useTranslation();
  const { case: c } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  const lang = i18n.language;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/ratings">{t("ratings.overview.title")}</Link> / <Link to="/ratings/cases">{t("ratings.cases.title")}</Link> / #{c.id}
      </nav>
      <div className="page-head">
        <h1>{t("ratings.titles.case", { id: c.id })}</h1>
        <span className={`badge ${c.overdue ? "danger" : c.state === "closed" ? "ok" : "warn"}`} data-testid="case-state">
          {c.overdue ? t("ratings.cases.overdueBadge") : t(`ratings.cases.states.${c.state}`)}
        </span>
      </div>
      {result?.ok ? (
        <p className="notice ok" role="status">
          {t("ratings.cases.done")}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <section className="card">
        <dl className="facts">
          <dt>{t("ratings.cases.unit")}</dt>
          <dd>{c.unitName}</dd>
          <dt>{t("ratings.cases.point")}</dt>
          <dd>
            {c.pointName || t("ratings.points.unitPoint")} <span className="muted small">/r/{c.pointCode}</span>
          </dd>
          <dt>{t("ratings.cases.ratedAt")}</dt>
          <dd>{formatDateTime(c.ratedAt, lang)}</dd>
          <dt>{t("ratings.cases.due")}</dt>
          <dd>{formatDate(c.dueOn, lang)}</dd>
          <dt>{t("ratings.cases.reasons")}</dt>
          <dd>{c.reasons.map((r) => t(`ratings.reasons.${r}`)).join("、")}</dd>
          <dt>{t("ratings.cases.comment")}</dt>
          <dd className="pre-wrap">{c.comment ?? "—"}</dd>
          <dt>{t("ratings.cases.phone")}</dt>
          <dd data-testid="case-phone">
            {c.phone ? (
              c.phone.includes("*") ? (
                c.phone
              ) : (
                <a href={`tel:${c.phone}`}>{c.phone}</a>
              )
            ) : c.phoneErasedAt ? (
              t("ratings.cases.phoneErased")
            ) : (
              t("ratings.cases.noPhone")
            )}
          </dd>
        </dl>
      </section>
      <section className="card">
        <h2>{t("ratings.cases.calls")}</h2>
        {c.calls.length ? (
          <ul className="stack">
            {c.calls.map((call) => (
              <li key={call.id}>
                <strong>
                  {t("ratings.cases.callLine", {
                    at: formatDateTime(call.calledAt, lang),
                    by: call.by ?? "",
                    reached: t(call.reached ? "ratings.cases.reached" : "ratings.cases.notReached"),
                  })}
                </strong>
                <div className="pre-wrap">{call.note}</div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("ratings.cases.noCalls")}</p>
        )}
        {c.can.handle ? (
          <Form method="post" className="stack" replace>
            <input type="hidden" name="intent" value="call" />
            <h3>{t("ratings.cases.recordCall")}</h3>
            <fieldset className="field">
              <legend>{t("ratings.cases.reachedQuestion")}</legend>
              <label className="inline-choice">
                <input type="radio" name="reached" value="yes" /> {t("ratings.cases.reached")}
              </label>
              <label className="inline-choice">
                <input type="radio" name="reached" value="no" /> {t("ratings.cases.notReached")}
              </label>
              <ErrorList errors={errors?.reached} />
            </fieldset>
            <div className="field">
              <label htmlFor="call-note">{t("ratings.cases.callNote")}</label>
              <textarea id="call-note" name="note" rows={3} aria-invalid={errors?.note ? true : undefined} />
              <ErrorList errors={errors?.note} />
            </div>
            <div className="actions">
              <button type="submit" className="secondary" disabled={busy}>
                {t("ratings.cases.recordCallButton")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
      {c.returnNote && c.state === "open" ? <p className="notice warn">{t("ratings.cases.returned", { note: c.returnNote })}</p> : null}
      <section className="card">
        <h2>{t("ratings.cases.finding")}</h2>
        {c.finding ? (
          <dl className="facts">
            <dt>{t("ratings.cases.finding")}</dt>
            <dd data-testid="case-finding">{t(`ratings.cases.findings.${c.finding}`)}</dd>
            <dt>{t("ratings.cases.findingNote")}</dt>
            <dd className="pre-wrap">{c.findingNote}</dd>
            {c.rectification ? (
              <>
                <dt>{t("ratings.cases.rectification")}</dt>
                <dd className="pre-wrap">{c.rectification}</dd>
              </>
            ) : null}
            {c.submittedAt ? (
              <>
                <dt />
                <dd className="muted small">
                  {t("ratings.cases.submitted", { at: formatDateTime(c.submittedAt, lang), by: c.submittedByName ?? "" })}
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {c.can.handle ? (
          <Form method="post" className="stack" replace>
            <input type="hidden" name="intent" value="finding" />
            <fieldset className="field">
              <legend>{t("ratings.cases.finding")}</legend>
              {RATING_FINDINGS.map((f) => (
                <label key={f} className="inline-choice">
                  <input type="radio" name="finding" value={f} defaultChecked={c.finding === f} /> {t(`ratings.cases.findings.${f}`)}
                </label>
              ))}
              <ErrorList errors={errors?.finding} />
            </fieldset>
            <div className="field">
              <label htmlFor="finding-note">{t("ratings.cases.findingNote")}</label>
              <textarea
                id="finding-note"
                name="findingNote"
                rows={3}
                defaultValue={c.findingNote ?? ""}
                aria-invalid={errors?.findingNote ? true : undefined}
              />
              <ErrorList errors={errors?.findingNote} />
            </div>
            <div className="field">
              <label htmlFor="rectification">{t("ratings.cases.rectification")}</label>
              <textarea
                id="rectification"
                name="rectification"
                rows={3}
                defaultValue={c.rectification ?? ""}
                aria-invalid={errors?.rectification ? true : undefined}
              />
              <p className="field-hint">{t("ratings.cases.rectificationHint")}</p>
              <ErrorList errors={errors?.rectification} />
            </div>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("ratings.cases.submit")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
      <section className="card">
        <h2>{t("ratings.cases.review")}</h2>
        {c.state === "closed" && c.outcome ? (
          <p data-testid="case-outcome">
            {t("ratings.cases.closed", {
              at: formatDateTime(c.closedAt, lang),
              by: c.closedByName ?? "",
              outcome: t(`ratings.cases.outcomes.${c.outcome}`),
            })}
            {c.reviewNote ? `：${c.reviewNote}` : ""}
          </p>
        ) : null}
        {c.state === "void" ? <p>{t("ratings.cases.voidLine", { note: c.reviewNote ?? "" })}</p> : null}
        {c.state === "open" ? <p className="muted">{t("ratings.cases.waitingUnit")}</p> : null}
        {c.state === "submitted" && !c.can.review ? <p className="muted">{t("ratings.cases.waitingReview")}</p> : null}
        {c.accountability ? (
          <p className="notice warn">
            {t("ratings.cases.accountability", { note: c.accountability.note, at: formatDate(c.accountability.at, lang) })}
          </p>
        ) : null}
        {c.can.review ? (
          <Form method="post" className="stack" replace>
            <input type="hidden" name="intent" value="review" />
            <fieldset className="field">
              <legend>{t("ratings.cases.decision")}</legend>
              {(["close", "return", "accountability"] as const).map((d) => (
                <label key={d} className="inline-choice">
                  <input type="radio" name="decision" value={d} /> {t(`ratings.cases.decisions.${d}`)}
                </label>
              ))}
              <ErrorList errors={errors?.decision} />
            </fieldset>
            <div className="field">
              <label htmlFor="review-note">{t("ratings.cases.reviewNote")}</label>
              <textarea id="review-note" name="note" rows={3} aria-invalid={errors?.note ? true : undefined} />
              <ErrorList errors={errors?.note} />
            </div>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("ratings.cases.reviewButton")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
