import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { QueueItem } from "~/modules/frontline/components/queue-item";
import { QueueActionSchema } from "~/modules/frontline/schema";
import { bulkVerify, decideRecord, verificationQueue } from "~/modules/frontline/verification.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("frontline.titles.verify"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  return verificationQueue(getDb(), user);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head", "unit_liaison");
  const form = parseForm(QueueActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  const context = { origin: appOrigin() };
  try {
    const input = form.data;
    if (input.intent === "bulkVerify") {
      const result = await bulkVerify(db, user, input.recordIds, context);
      return { ok: true as const, verified: result.verified.length, skipped: result.skipped.length };
    }
    await decideRecord(db, user, input.recordId, input, context);
    return { ok: true as const, verified: input.intent === "verify" ? 1 : 0, returned: input.intent === "return" ? 1 : 0, skipped: 0 };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function VerificationQueue() {
  const { t } = useTranslation();
  const { rows, total } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = result && !result.ok ? result.errors : undefined;
  const clean = rows.filter((r) => r.canDecide && !r.overlaps.length);
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / {t("frontline.verify.title")}
      </nav>
      <div className="page-head">
        <h1>{t("frontline.verify.title")}</h1>
        <span className="muted small" data-testid="frontline-queue-total">
          {t("frontline.verify.total", { count: total })}
        </span>
      </div>
      <p className="muted small">{t("frontline.verify.intro")}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("frontline.verify.done", {
            verified: result.verified,
            returned: "returned" in result ? result.returned : 0,
            skipped: result.skipped,
          })}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <ErrorList errors={errors?.recordIds} />
      <ErrorList errors={errors?.comment} />

      {clean.length ? (
        <Form method="post" id="bulk-verify" className="card frontline-bulk">
          <input type="hidden" name="intent" value="bulkVerify" />
          <p className="small">{t("frontline.verify.bulkHint", { count: clean.length })}</p>
          <button type="submit" className="primary" disabled={busy}>
            {t("frontline.actions.bulkVerify")}
          </button>
        </Form>
      ) : null}

      {rows.length ? (
        <ol className="frontline-queue">
          {rows.map((r) => (
            <QueueItem key={r.id} item={r} busy={busy} bulkFormId="bulk-verify" />
          ))}
        </ol>
      ) : (
        <p className="card muted">{t("frontline.verify.empty")}</p>
      )}
    </>
  );
}
