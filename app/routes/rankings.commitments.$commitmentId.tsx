import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors, TextareaField } from "~/components/forms";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { addCommitmentNote, commitmentDetail, markCommitmentDone, reopenCommitment } from "~/modules/rankings/commitments.server";
import { CommitmentBadge } from "~/modules/rankings/components/meeting-commitments";
import { quarterLabel } from "~/modules/rankings/quarter";
import { CommitmentActionSchema } from "~/modules/rankings/schema";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) =>
    data ? t("rankings.commitments.titleOf", { unit: data.commitment.unitName }) : t("rankings.commitments.title"),
  );

/** Anyone signed in may ask; the service answers only the department, the owner and the unit's head or liaisons. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseIdParam(params.commitmentId);
  if (id === null) throw notFoundResponse();
  try {
    return { commitment: await commitmentDetail(getDb(), user, id) };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseIdParam(params.commitmentId);
  if (id === null) throw notFoundResponse();
  const form = parseForm(CommitmentActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  try {
    if (form.data.intent === "note") await addCommitmentNote(db, user, id, form.data.note);
    else if (form.data.intent === "done") await markCommitmentDone(db, user, id, form.data.note);
    else await reopenCommitment(db, user, id, form.data.note);
    return redirect(`/rankings/commitments/${id}?done=${form.data.intent}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function CommitmentPage() {
  const { t, i18n } = useTranslation();
  const { commitment: c } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/rankings/commitments">{t("rankings.commitments.title")}</Link> / {c.unitName}
      </nav>
      <div className="page-head">
        <h1>{t("rankings.commitments.titleOf", { unit: c.unitName })}</h1>
        <CommitmentBadge state={c.state} />
      </div>
      <section className="card">
        <p className="leave-reason">{c.text}</p>
        <dl className="facts">
          <dt>{t("rankings.commitments.meeting")}</dt>
          <dd>
            <Link to={`/rankings/meetings/${c.meetingId}`}>
              {t("rankings.meeting.heading", { quarter: quarterLabel(c.quarter, i18n.language) })}
            </Link>
          </dd>
          <dt>{t("rankings.meeting.responsible")}</dt>
          <dd>{c.responsibleName}</dd>
          <dt>{t("rankings.commitments.deadline")}</dt>
          <dd className={c.state === "overdue" ? "rk-danger" : undefined}>{c.deadline}</dd>
          {c.doneAt ? (
            <>
              <dt>{t("rankings.commitments.doneAt")}</dt>
              <dd>{formatDateTime(c.doneAt, i18n.language)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className="card" aria-labelledby="rk-notes">
        <h2 id="rk-notes">{t("rankings.commitments.notes")}</h2>
        {c.notes.length ? (
          <ul className="rk-notes">
            {c.notes.map((n) => (
              <li key={n.id}>
                <span className={`badge ${n.kind === "done" ? "ok" : n.kind === "reopened" ? "danger" : ""}`}>
                  {t(`rankings.commitments.noteKinds.${n.kind}`)}
                </span>{" "}
                {n.note}
                <div className="muted small">
                  {t("rankings.commitments.noteBy", { by: n.by ?? "—", at: formatDateTime(n.createdAt, i18n.language) })}
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("rankings.commitments.noNotes")}</p>
        )}
        <FormErrors errors={errors} />
        {c.may.note || c.may.done ? (
          <Form method="post" className="stack" noValidate>
            <TextareaField label={t("rankings.commitments.note")} name="note" rows={3} errors={errors} />
            <div className="actions">
              {c.may.note ? (
                <button type="submit" name="intent" value="note" className="secondary" disabled={busy}>
                  {t("rankings.commitments.addNote")}
                </button>
              ) : null}
              {c.may.done ? (
                <button type="submit" name="intent" value="done" className="primary" disabled={busy}>
                  {t("rankings.commitments.markDone")}
                </button>
              ) : null}
            </div>
          </Form>
        ) : null}
        {c.may.reopen ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="reopen" />
            <TextareaField label={t("rankings.commitments.reopenReason")} name="note" rows={2} errors={errors} />
            <div className="actions">
              <button type="submit" className="danger" disabled={busy}>
                {t("rankings.commitments.reopen")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
