import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { MAX_ATTACHMENT_BYTES } from "~/modules/frontline/attachment-types";
import { addAttachment, removeAttachment } from "~/modules/frontline/attachments.server";
import {
  OtherRecords,
  RecordActions,
  RecordAttachments,
  RecordDetails,
  RecordHistory,
  RecordOverlaps,
} from "~/modules/frontline/components/record-page";
import { CategoryBadge, StatusBadge } from "~/modules/frontline/components/status-badge";
import { deleteRecord, submitRecord, withdrawRecord } from "~/modules/frontline/records.server";
import { parseIdParam, RecordActionSchema } from "~/modules/frontline/schema";
import { recordDetail } from "~/modules/frontline/timeline.server";
import { decideRecord } from "~/modules/frontline/verification.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => data?.record.place ?? t("frontline.titles.record"));

/** Anyone signed in may ask; the service answers only within their scope (a cadre: their own records). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  if (recordId === null) throw notFoundResponse();
  try {
    const detail = await recordDetail(getDb(), user, recordId);
    return { ...detail, isOwn: detail.record.cadreId === user.cadreId };
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

/** Room for the other form fields and the multipart boundaries around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  if (recordId === null) throw notFoundResponse();
  // Refuse an oversized upload before reading its body into memory.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD) {
    return invalidForm({ file: [{ key: "frontline.attachments.tooLarge", params: { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 } }] });
  }
  const form = parseForm(RecordActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  const back = (done: string) => redirect(`/frontline/${recordId}?done=${done}`);
  try {
    const input = form.data;
    switch (input.intent) {
      case "submit":
        await submitRecord(db, user, recordId, { today: todayInShanghai() });
        return back("submitted");
      case "withdraw":
        await withdrawRecord(db, user, recordId);
        return back("withdrawn");
      case "delete":
        await deleteRecord(db, user, recordId);
        return redirect("/frontline?done=deleted");
      case "verify":
      case "return":
      case "reopen":
        await decideRecord(db, user, recordId, input, { origin: appOrigin() });
        return back({ verify: "verified", return: "returned", reopen: "reopened" }[input.intent]);
      case "attach":
        await addAttachment(db, user, recordId, { name: input.file.name, bytes: new Uint8Array(await input.file.arrayBuffer()) });
        return back("attached");
      case "detach":
        await removeAttachment(db, user, recordId, input.attachmentId);
        return back("detached");
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
}

const DONE = [
  "created",
  "saved",
  "submitted",
  "existing",
  "withdrawn",
  "verified",
  "returned",
  "reopened",
  "attached",
  "detached",
  "updated",
  "corrected",
];

export default function FrontlineRecordPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const done = useSearchParams()[0].get("done");
  const { record, actions, isOwn } = data;
  const mayDecide = actions.includes("verify");
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link>
        {isOwn ? null : (
          <>
            {" / "}
            <Link to={`/frontline/cadres/${record.cadreId}`}>{record.cadreName}</Link>
          </>
        )}
        {mayDecide ? (
          <>
            {" · "}
            <Link to="/frontline/verify">{t("frontline.verify.title")}</Link>
          </>
        ) : null}
      </nav>
      <div className="page-head">
        <h1>{record.place}</h1>
        <div className="actions">
          <CategoryBadge category={record.category} />
          <StatusBadge status={record.status} />
        </div>
      </div>
      {done && DONE.includes(done) ? (
        <p className="notice" role="status">
          {t(`frontline.done.${done}`)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      {record.returnComment && (record.status === "returned" || record.status === "submitted") ? (
        <div className={`notice ${record.status === "returned" ? "warn" : ""}`} data-testid="frontline-return-comment">
          <strong>{t(record.status === "returned" ? "frontline.record.returnedTitle" : "frontline.record.returnedBefore")}</strong>
          <p className="frontline-quote">{record.returnComment}</p>
          <p className="small muted">{t("frontline.record.returnedBy", { name: record.returnedBy ?? "—" })}</p>
        </div>
      ) : null}
      <RecordOverlaps overlaps={data.overlaps} />
      <div className="grid two">
        <RecordDetails record={record} />
        <div>
          <RecordActions record={record} actions={actions} errors={errors} />
          <RecordAttachments
            recordId={record.id}
            attachments={data.attachments}
            canChange={actions.includes("edit") || actions.includes("correct")}
            errors={errors}
          />
        </div>
      </div>
      {isOwn ? null : <OtherRecords others={data.others} overlapIds={data.overlaps.map((o) => o.id)} />}
      <RecordHistory history={data.history} />
    </>
  );
}
