import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { endOwnSessions } from "~/modules/auth/account-security.server";
import { describeDevice } from "~/modules/auth/devices";
import { requireUser } from "~/modules/auth/guards.server";
import { SessionsActionSchema } from "~/modules/auth/schema";
import { listUserSessions } from "~/modules/auth/session.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("account.sessions.title"));

/** Where one is signed in (device, address, last used), with "sign out elsewhere". */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = await listUserSessions(getDb(), user.id);
  return { sessions: sessions.map((s) => ({ ...s, current: s.id === user.sessionId })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(SessionsActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const ended = await endOwnSessions(
      getDb(),
      { id: user.id, sessionId: user.sessionId },
      form.data.intent === "end" ? { only: form.data.sessionId } : { allButCurrent: true },
      requestOrigin(request),
    );
    return { ok: true as const, ended };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Sessions() {
  const { t, i18n } = useTranslation();
  const { sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/account">{t("account.title")}</Link>
      </div>
      <div className="page-head">
        <h1>{t("account.sessions.title")}</h1>
        <Form method="post">
          <button type="submit" name="intent" value="end-others" className="danger" disabled={busy || others === 0}>
            {t("account.sessions.endOthers")}
          </button>
        </Form>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("account.sessions.ended", { count: result.ended })}
        </p>
      ) : null}
      <FormErrors errors={result && !result.ok ? result.errors : undefined} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("account.sessions.device")}</th>
              <th>{t("account.sessions.address")}</th>
              <th>{t("account.sessions.started")}</th>
              <th>{t("account.sessions.lastUsed")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {describeDevice(s.userAgent, t)}
                  {s.current ? <span className="badge ok"> {t("account.sessions.thisOne")}</span> : null}
                </td>
                <td>{s.address || "—"}</td>
                <td className="small">{formatDateTime(s.createdAt, i18n.language)}</td>
                <td className="small">{formatDateTime(s.lastSeenAt, i18n.language)}</td>
                <td>
                  {s.current ? null : (
                    <Form method="post">
                      <input type="hidden" name="sessionId" value={s.id} />
                      <button type="submit" name="intent" value="end" className="link-button" disabled={busy}>
                        {t("account.sessions.end")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t("account.sessions.hint")}</p>
    </>
  );
}
