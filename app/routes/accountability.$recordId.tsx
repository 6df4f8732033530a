import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { addReportAttachment, removeReportAttachment } from "~/modules/accountability/attachments.server";
import { FollowUpSection, RecordFacts, ReportSection } from "~/modules/accountability/components/record-view";
import { closeRecord, recordFollowUp, submitReport } from "~/modules/accountability/records.server";
import { parseIdParam, RecordActionSchema } from "~/modules/accountability/schema";
import { recordDetail } from "~/modules/accountability/views.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { MAX_ATTACHMENT_BYTES } from "~/modules/frontline/attachment-types";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => (data ? t("accountability.titles.record", { id: data.record.id }) : t("accountability.title")));

/** Anyone signed in may ask; the service answers only what they may read (404 otherwise). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  if (recordId === null) throw notFoundResponse();
  try {
    return { record: await recordDetail(getDb(), user, recordId) };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** Room for the other fields and the multipart boundaries around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  if (recordId === null) throw notFoundResponse();
  if (Number(request.headers.get("content-length") ?? 0) > MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD) {
    return invalidForm({ file: [{ key: "frontline.attachments.tooLarge", params: { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 } }] });
  }
  const form = parseForm(RecordActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  const back = (done: string) => redirect(`/accountability/${recordId}?done=${done}`);
  try {
    const input = form.data;
    switch (input.intent) {
      case "report":
        await submitReport(db, user, recordId, input.reportText);
        return back("reported");
      case "attach":
        await addReportAttachment(db, user, recordId, { name: input.file.name, bytes: new Uint8Array(await input.file.arrayBuffer()) });
        return back("attached");
      case "detach":
        await removeReportAttachment(db, user, recordId, input.attachmentId);
        return back("detached");
      case "followUp":
        await recordFollowUp(db, user, recordId, input.followUp);
        return back("followedUp");
      case "close":
        await closeRecord(db, user, recordId, input.closingNote);
        return back("closed");
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
}

const DONE = ["opened", "reported", "attached", "detached", "followedUp", "closed"];

export default function AccountabilityRecordPage() {
  const { t } = useTranslation();
  const { record } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  const done = useSearchParams()[0].get("done");
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/accountability">{t("accountability.title")}</Link> / #{record.id}
      </nav>
      <h1>
        {t(`accountability.kinds.${record.kind}`)} · {record.subject === "unit" ? record.unitName : record.cadreName}
      </h1>
      {done && DONE.includes(done) ? (
        <p className="notice" role="status">
          {t(`accountability.done.${done}`)}
        </p>
      ) : null}
      <RecordFacts record={record} />
      <ReportSection record={record} errors={errors} busy={busy} />
      <FollowUpSection record={record} errors={errors} busy={busy} />
    </>
  );
}
