import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { DEVICE_COOKIE, deviceCookie, readCookie } from "~/modules/auth/cookies.server";
import { pendingStep, requireUser, SECOND_FACTOR_PAGE } from "~/modules/auth/guards.server";
import { SecondFactorSchema } from "~/modules/auth/schema";
import { verifySecondFactor } from "~/modules/auth/second-factor.server";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/redirects";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("auth.secondFactor.title"));

/** Sign-in, step two. Only a session that gave its password and still owes the code comes here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const back = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (pendingStep(user) !== SECOND_FACTOR_PAGE) throw redirect(back);
  return { rememberDays: (await getSecurityPolicy(getDb())).rememberDeviceDays };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (pendingStep(user) !== SECOND_FACTOR_PAGE) throw redirect("/");
  const form = parseForm(SecondFactorSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const { device } = await verifySecondFactor(
      getDb(),
      { id: user.sessionId, userId: user.id },
      {
        code: form.data.intent === "code" ? form.data.code : undefined,
        recoveryCode: form.data.intent === "recovery" ? form.data.recoveryCode : undefined,
        remember: form.data.remember,
        deviceToken: readCookie(request, DEVICE_COOKIE),
      },
      requestOrigin(request),
    );
    // Next: a password to replace, if any (requireUser sends them on), else where they were going.
    return redirect(safeRedirect(form.data.redirectTo), {
      headers: { "Set-Cookie": deviceCookie(device.token, device.expiresAt) },
    });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function SecondFactor() {
  const { t } = useTranslation();
  const { rememberDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  // A link, not a toggle: it works before the page's script has loaded, and the back button undoes it.
  const recovery = params.get("mode") === "recovery";
  const other = new URLSearchParams(params);
  if (recovery) other.delete("mode");
  else other.set("mode", "recovery");
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors;
  return (
    <div className="card auth-card">
      <h1>{t("auth.secondFactor.title")}</h1>
      <p className="muted">{t(recovery ? "auth.secondFactor.recoveryIntro" : "auth.secondFactor.intro")}</p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <input type="hidden" name="intent" value={recovery ? "recovery" : "code"} />
        <FormErrors errors={errors} />
        {recovery ? (
          <Field label={t("auth.secondFactor.recoveryCode")} name="recoveryCode" autoComplete="off" autoCapitalize="none" errors={errors} />
        ) : (
          <Field
            label={t("auth.secondFactor.code")}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            errors={errors}
          />
        )}
        {rememberDays > 0 ? (
          <label className="checkbox">
            <input type="checkbox" name="remember" /> {t("auth.secondFactor.remember", { days: rememberDays })}
          </label>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {t("auth.secondFactor.verify")}
        </button>
      </Form>
      <p className="small" style={{ marginTop: "1rem" }}>
        <Link to={`?${other}`} replace>
          {t(recovery ? "auth.secondFactor.useCode" : "auth.secondFactor.useRecovery")}
        </Link>
      </p>
      <Form method="post" action="/logout" className="small">
        <button type="submit" className="link-button">
          {t("auth.secondFactor.cancel")}
        </button>
      </Form>
    </div>
  );
}
