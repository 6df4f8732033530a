import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { RecordForm } from "~/modules/frontline/components/record-form";
import { correctRecord, updateRecord } from "~/modules/frontline/records.server";
import { CorrectionSchema, parseIdParam, RecordFormSchema } from "~/modules/frontline/schema";
import { recordForEdit } from "~/modules/frontline/timeline.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("frontline.titles.edit"));

/**
 * Drafts and returned records are edited by whoever may record for the cadre; a verified record is
 * corrected only by an org admin, with a reason. Anything else goes back to the record's page.
 */
async function load(request: Request, params: { recordId?: string }) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  if (recordId === null) throw notFoundResponse();
  try {
    const found = await recordForEdit(getDb(), user, recordId);
    if (!found.mode) throw redirect(`/frontline/${recordId}`);
    return { user, recordId, ...found, mode: found.mode };
  } catch (error) {
    if (error instanceof Response) throw error;
    throw domainErrorResponse(error);
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { record, mode } = await load(request, params);
  return { record, mode };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, recordId, mode } = await load(request, params);
  const formData = await request.formData();
  const db = getDb();
  try {
    if (mode === "correct") {
      const form = parseForm(CorrectionSchema, formData);
      if (!form.ok) return invalidForm(form.errors);
      await correctRecord(db, user, recordId, form.data);
      return redirect(`/frontline/${recordId}?done=corrected`);
    }
    const form = parseForm(RecordFormSchema, formData);
    if (!form.ok) return invalidForm(form.errors);
    await updateRecord(db, user, recordId, form.data, { today: todayInShanghai() });
    return redirect(`/frontline/${recordId}?done=${form.data.intent === "submit" ? "submitted" : "updated"}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditFrontlineRecord() {
  const { t } = useTranslation();
  const { record, mode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / <Link to={`/frontline/${record.id}`}>{record.place}</Link> /{" "}
        {t(mode === "correct" ? "frontline.actions.correct" : "frontline.actions.edit")}
      </nav>
      <h1>{t(mode === "correct" ? "frontline.edit.correctTitle" : "frontline.edit.title")}</h1>
      <p className="muted small">
        {record.cadreName} · {record.staffNo}
      </p>
      {mode === "correct" ? <p className="notice warn">{t("frontline.edit.correctHint")}</p> : null}
      {record.status === "returned" && record.returnComment ? (
        <div className="notice warn">
          <strong>{t("frontline.record.returnedTitle")}</strong>
          <p className="frontline-quote">{record.returnComment}</p>
        </div>
      ) : null}
      <section className="card">
        <RecordForm
          mode={mode}
          values={record}
          errors={result?.errors}
          busy={busy}
          revision={record.revision}
          askStaffNo={false}
          cancelTo={`/frontline/${record.id}`}
        />
      </section>
    </>
  );
}
