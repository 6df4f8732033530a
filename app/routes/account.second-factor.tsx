import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { RecoveryCodes } from "~/modules/auth/components/recovery-codes";
import { requireUser } from "~/modules/auth/guards.server";
import { isAdministrative } from "~/modules/auth/roles";
import { EnrolmentSchema } from "~/modules/auth/schema";
import {
  completeEnrolment,
  disableSecondFactor,
  renewRecoveryCodes,
  resumeEnrolment,
  secondFactorStatus,
  startEnrolment,
} from "~/modules/auth/second-factor.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { DomainError, type FieldErrors } from "~/utils/errors";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/redirects";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("auth.secondFactor.manageTitle"));

/**
 * The second factor: enrolment (a QR code for any authenticator app, then a first code), and once
 * enrolled, new recovery codes or — where the role does not require it — turning it off. An
 * administrator without one is sent here at sign-in and cannot go anywhere else until it is done.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const status = await secondFactorStatus(db, user.id);
  const enrolment = status.enrolled ? null : await startEnrolment(db, user.id, appLabels(user));
  const redirectTo = new URL(request.url).searchParams.get("redirectTo");
  return {
    status,
    enrolment: enrolment && { pending: enrolment.pending, qrSvg: enrolment.qrSvg, manualKey: enrolment.manualKey },
    mandatory: isAdministrative(user.roles),
    signingIn: user.secondFactor === "enrol",
    redirectTo: redirectTo ? safeRedirect(redirectTo) : null,
  };
}

const appLabels = (user: { displayName: string }) => ({ issuer: "Luoshi", account: user.displayName });

// A mistyped code keeps the QR code on screen as it was.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && actionResult.ok === false ? false : defaultShouldRevalidate;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(EnrolmentSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const db = getDb();
  const origin = requestOrigin(request);
  try {
    if (form.data.intent === "enrol") {
      const { recoveryCodes } = await completeEnrolment(db, { id: user.sessionId, userId: user.id }, form.data, origin);
      return { ok: true as const, recoveryCodes, next: safeRedirect(form.data.redirectTo) };
    }
    if (form.data.intent === "renew-codes") {
      return { ok: true as const, recoveryCodes: await renewRecoveryCodes(db, user.id, form.data.code, origin), next: null };
    }
    await disableSecondFactor(db, user, form.data.code, origin);
    return { ok: true as const, recoveryCodes: null, next: null, disabled: true };
  } catch (error) {
    if (form.data.intent !== "enrol" || !(error instanceof DomainError) || error.label !== "invalid") return domainErrorResponse(error);
    const enrolment = await resumeEnrolment(db, user.id, form.data.pending, appLabels(user));
    return data(
      {
        ok: false as const,
        errors: { [error.options.field ?? "form"]: [{ key: error.messageKey, params: error.options.params }] } as FieldErrors,
        enrolment: { pending: enrolment.pending, qrSvg: enrolment.qrSvg, manualKey: enrolment.manualKey },
      },
      { status: 400 },
    );
  }
}

export default function SecondFactorPage() {
  const { t, i18n } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const { status, mandatory, signingIn, redirectTo } = loaded;
  const result = useActionData<typeof action>();
  type Shown = { pending: string; qrSvg: string; manualKey: string };
  const resumed = result && !result.ok && "enrolment" in result ? (result.enrolment as Shown) : null;
  const enrolment: Shown | null = resumed ?? loaded.enrolment;
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;

  if (result?.ok && result.recoveryCodes) {
    return (
      <div className="card auth-card wide">
        <h1>{t("auth.secondFactor.recoveryTitle")}</h1>
        <RecoveryCodes codes={result.recoveryCodes} />
        <p className="actions">
          <Link className="button primary" to={result.next ?? "/account"}>
            {t("auth.secondFactor.savedContinue")}
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="card auth-card wide">
      <h1>{t("auth.secondFactor.manageTitle")}</h1>
      {result?.ok && "disabled" in result ? (
        <p className="notice" role="status">
          {t("auth.secondFactor.disabledDone")}
        </p>
      ) : null}
      {enrolment ? (
        <>
          {signingIn ? (
            <p className="notice warn">{t("auth.secondFactor.mandatory")}</p>
          ) : (
            <p className="muted">{t("auth.secondFactor.optional")}</p>
          )}
          <ol className="steps">
            <li>{t("auth.secondFactor.stepInstall")}</li>
            <li>
              {t("auth.secondFactor.stepScan")}
              <div
                className="qr"
                aria-label={t("auth.secondFactor.qrLabel")}
                role="img"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is made on the server by the qrcode package from our own key URI
                dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
              />
              <p className="small muted">
                {t("auth.secondFactor.manualKey")} <code data-testid="totp-manual-key">{enrolment.manualKey}</code>
              </p>
            </li>
            <li>{t("auth.secondFactor.stepCode")}</li>
          </ol>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="enrol" />
            <input type="hidden" name="pending" value={enrolment.pending} />
            {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
            <FormErrors errors={errors} />
            <Field
              label={t("auth.secondFactor.code")}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              errors={errors}
            />
            <button type="submit" className="primary" disabled={busy}>
              {t("auth.secondFactor.enrol")}
            </button>
          </Form>
          {signingIn ? (
            <Form method="post" action="/logout" className="small" style={{ marginTop: "1rem" }}>
              <button type="submit" className="link-button">
                {t("auth.secondFactor.cancel")}
              </button>
            </Form>
          ) : null}
        </>
      ) : (
        <>
          <p>
            <span className="badge ok">{t("auth.secondFactor.on")}</span>{" "}
            {status.enrolledAt ? t("auth.secondFactor.since", { at: formatDateTime(status.enrolledAt, i18n.language) }) : null}
          </p>
          <p className="muted">{t("auth.secondFactor.codesLeft", { count: status.recoveryCodesLeft })}</p>
          <FormErrors errors={errors} />
          <Form method="post" className="stack" noValidate>
            <Field
              label={t("auth.secondFactor.currentCode")}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              errors={errors}
            />
            <div className="actions">
              <button type="submit" name="intent" value="renew-codes" className="secondary" disabled={busy}>
                {t("auth.secondFactor.renewCodes")}
              </button>
              {mandatory ? null : (
                <button type="submit" name="intent" value="disable" className="danger" disabled={busy}>
                  {t("auth.secondFactor.disable")}
                </button>
              )}
            </div>
          </Form>
          {mandatory ? <p className="muted small">{t("auth.secondFactor.requiredForRole")}</p> : null}
        </>
      )}
    </div>
  );
}
