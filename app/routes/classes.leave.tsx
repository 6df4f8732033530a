import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { LeaveBadge } from "~/modules/classes/components";
import { sessionWhen } from "~/modules/classes/format";
import { decideLeave, listLeaveRequests } from "~/modules/classes/leave.server";
import { LeaveDecisionSchema } from "~/modules/classes/schema";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("classes.titles.leave"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "unit_head", "unit_liaison", "org_admin");
  const show = new URL(request.url).searchParams.get("show") === "decided" ? "decided" : "pending";
  return { show, requests: await listLeaveRequests(getDb(), user, { status: show }) };
}

/** A request outside the caller's units answers 404, whatever id is posted. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "unit_head", "unit_liaison", "org_admin");
  const form = parseForm(LeaveDecisionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const outcome = await decideLeave(getDb(), user, form.data.leaveId, form.data.decision, form.data.comment, {
      origin: appOrigin(),
    });
    return { ok: true as const, outcome };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function LeaveRequests() {
  const { t, i18n } = useTranslation();
  const { show, requests } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/classes">{t("classes.my.title")}</Link> / <span aria-current="page">{t("classes.leave.title")}</span>
      </nav>
      <div className="page-head">
        <h1>{t("classes.leave.title")}</h1>
        <nav className="actions" aria-label={t("classes.leave.title")}>
          <Link
            to="?show=pending"
            className={`button ${show === "pending" ? "" : "secondary"}`}
            aria-current={params.get("show") !== "decided" ? "page" : undefined}
          >
            {t("classes.leave.pending")}
          </Link>
          <Link
            to="?show=decided"
            className={`button ${show === "decided" ? "" : "secondary"}`}
            aria-current={show === "decided" ? "page" : undefined}
          >
            {t("classes.leave.decided")}
          </Link>
        </nav>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.outcome.status === "approved" ? "classes.leave.approvedDone" : "classes.leave.refusedDone")}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      {requests.length ? (
        <ul className="class-list">
          {requests.map((r) => (
            <li key={r.id} className="card class-card" data-leave-id={r.id}>
              <div className="class-when">{sessionWhen(r.startsAt, r.endsAt, i18n.language)}</div>
              <div className="class-title">
                {r.cadreName}{" "}
                <span className="muted small">
                  {r.staffNo} · {t(`ranks.${r.rank}`)} · {r.unitName}
                </span>
              </div>
              <div className="small">
                {r.code} {r.title}
              </div>
              <p className="leave-reason">{r.reason}</p>
              <p className="muted small">
                {t("classes.leave.askedAt", { at: formatDateTime(r.requestedAt, i18n.language) })}
                {r.decidedAt ? ` · ${t("classes.leave.decidedAt", { at: formatDateTime(r.decidedAt, i18n.language) })}` : ""}
              </p>
              {r.status === "pending" ? (
                <Form method="post" className="stack">
                  <input type="hidden" name="leaveId" value={r.id} />
                  <div className="field">
                    <label htmlFor={`comment-${r.id}`}>{t("classes.leave.comment")}</label>
                    <input id={`comment-${r.id}`} name="comment" maxLength={500} />
                  </div>
                  <div className="actions">
                    <button type="submit" name="decision" value="approve" className="primary" disabled={busy}>
                      {t("classes.leave.approve")}
                    </button>
                    <button type="submit" name="decision" value="refuse" className="danger" disabled={busy}>
                      {t("classes.leave.refuse")}
                    </button>
                  </div>
                </Form>
              ) : (
                <p>
                  <LeaveBadge status={r.status} /> {r.decisionComment ? <span className="small">{r.decisionComment}</span> : null}
                </p>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="card muted">{t(show === "pending" ? "classes.leave.nonePending" : "classes.leave.noneDecided")}</p>
      )}
    </>
  );
}
