import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FormErrors } from "~/components/forms";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { getOutboxMessage, liftSuppression, retryOutboxMessage } from "~/modules/email/outbox.server";
import { OUTBOX_STATUS_BADGE } from "~/modules/email/statuses";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/errors";
import { fields, parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("email.titles.message"));

function messageId(params: { messageId?: string }): number {
  const parsed = fields.id().safeParse(params.messageId);
  if (!parsed.success) throw notFoundResponse();
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin", "system_admin");
  const { message, suppression } = await getOutboxMessage(getDb(), messageId(params)).catch(notFoundOr);
  // The HTML is served apart (see the .html route); props stay on the server.
  const { props: _props, html: _html, ...shown } = message;
  return { message: shown, suppression };
}

function notFoundOr(error: unknown): never {
  if (error instanceof DomainError && error.label === "not_found") throw notFoundResponse();
  throw error;
}

const ActionSchema = z.object({ intent: z.enum(["retry", "unsuppress"], { error: "validation.invalid" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin");
  const id = messageId(params);
  const form = parseForm(ActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  try {
    if (form.data.intent === "retry") {
      await retryOutboxMessage(db, { userId: user.id }, id);
    } else {
      const { message } = await getOutboxMessage(db, id);
      await liftSuppression(db, { userId: user.id }, message.toAddress);
    }
    return { ok: true as const, intent: form.data.intent, errors: undefined };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function OutboxMessage() {
  const { t, i18n } = useTranslation();
  const { message, suppression } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const canRetry = message.status === "failed" || message.status === "suppressed";
  const row = (label: string, value: React.ReactNode) => (
    <tr>
      <th>{label}</th>
      <td>{value}</td>
    </tr>
  );
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/admin/outbox">{t("email.outbox.back")}</Link>
      </div>
      <div className="page-head">
        <h1>{message.subject}</h1>
        <span className={`badge ${OUTBOX_STATUS_BADGE[message.status]}`}>{t(`email.outbox.statuses.${message.status}`)}</span>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.intent === "retry" ? "email.outbox.retried" : "email.outbox.unsuppressed")}
        </p>
      ) : null}
      <FormErrors errors={result?.errors} />
      {suppression ? (
        <div className="notice warn">
          {t("email.outbox.suppressedAddress", {
            reason: t(`email.outbox.reasons.${suppression.reason}`) + (suppression.detail ? ` — ${suppression.detail}` : ""),
            at: formatDateTime(suppression.createdAt, i18n.language),
          })}
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="unsuppress" />{" "}
            <button type="submit" className="link-button" disabled={busy}>
              {t("email.outbox.unsuppress")}
            </button>
          </Form>
        </div>
      ) : null}
      <div className="grid two">
        <div className="table-wrap">
          <table>
            <tbody>
              {row(t("email.outbox.recipient"), message.toAddress)}
              {row(t("email.outbox.template"), t(`email.outbox.templates.${message.template}`, { defaultValue: message.template }))}
              {row(t("email.outbox.createdAt"), formatDateTime(message.createdAt, i18n.language))}
              {row(t("email.outbox.sentAt"), formatDateTime(message.sentAt, i18n.language))}
              {row(t("email.outbox.transport"), message.transport ? t(`email.outbox.transports.${message.transport}`) : "")}
              {row(t("email.outbox.attempts"), message.attempts)}
              {row(t("email.outbox.lastError"), message.lastError)}
              {row(t("email.outbox.providerId"), message.providerMessageId ? <code>{message.providerMessageId}</code> : "")}
              {row(t("email.outbox.idempotencyKey"), <code className="small">{message.idempotencyKey}</code>)}
            </tbody>
          </table>
        </div>
        <div>
          {canRetry ? (
            <Form method="post">
              <input type="hidden" name="intent" value="retry" />
              <button type="submit" className="primary" disabled={busy}>
                {t("email.outbox.retry")}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      <h2>{t("email.outbox.html")}</h2>
      {/* A separate document with its own CSP, in a sandbox without scripts or our origin. */}
      <iframe
        title={t("email.outbox.html")}
        src={`/admin/outbox/${message.id}/html`}
        sandbox=""
        referrerPolicy="no-referrer"
        style={{ width: "100%", height: "36rem", border: "1px solid var(--line)", borderRadius: "var(--radius)", background: "#fff" }}
      />
      <h2>{t("email.outbox.text")}</h2>
      <pre className="card" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {message.text}
      </pre>
      {message.attachments.length ? (
        <>
          <h2>{t("email.outbox.attachments")}</h2>
          <ul data-testid="outbox-attachments">
            {message.attachments.map((a) => (
              <li key={a.filename}>
                {a.filename}{" "}
                <span className="muted small">
                  {a.contentType} · {Math.ceil((a.content.length * 3) / 4 / 1024)} KB
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
