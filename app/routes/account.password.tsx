import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { NewPasswordFields } from "~/components/new-password-fields";
import { requireUser } from "~/modules/auth/guards.server";
import { isAdministrative } from "~/modules/auth/roles";
import { ChangePasswordSchema } from "~/modules/auth/schema";
import { changePassword } from "~/modules/auth/service.server";
import { passwordRules, sessionLimits } from "~/modules/security/policy";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/redirects";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("auth.changePasswordTitle"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const policy = await getSecurityPolicy(getDb());
  const redirectTo = new URL(request.url).searchParams.get("redirectTo");
  return {
    mustChange: user.mustChangePassword,
    redirectTo: redirectTo ? safeRedirect(redirectTo, "") || null : null,
    expired: user.passwordExpired,
    rules: passwordRules(policy),
    sessions: sessionLimits(policy, isAdministrative(user.roles)),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const data = await request.formData();
  const form = parseForm(ChangePasswordSchema, data);
  if (!form.ok) return invalidForm(form.errors);
  try {
    await changePassword(getDb(), user, form.data, requestOrigin(request));
  } catch (error) {
    return domainErrorResponse(error);
  }
  // A forced change was on the way somewhere: carry on there. A voluntary one stays to say it worked.
  const next = safeRedirect(data.get("redirectTo"), "");
  if (next) return redirect(next);
  return { ok: true as const, errors: undefined };
}

/** A length of time in the largest whole unit: "7 天", "30 分钟", "12 hours". */
function duration(ms: number, t: (key: string, params: Record<string, number>) => string): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return t("auth.duration.days", { count: minutes / 1440 });
  if (minutes % 60 === 0) return t("auth.duration.hours", { count: minutes / 60 });
  return t("auth.duration.minutes", { count: minutes });
}

export default function ChangePassword() {
  const { t } = useTranslation();
  const { mustChange, expired, redirectTo, rules, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors;
  return (
    <div className="card auth-card">
      <h1>{t("auth.changePasswordTitle")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("auth.passwordChanged")} <a href="/">{t("errors.goHome")}</a>
        </p>
      ) : mustChange ? (
        <p className="notice warn">{t("auth.mustChangePassword")}</p>
      ) : expired ? (
        <p className="notice warn">{t("auth.passwordExpired")}</p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <FormErrors errors={errors} />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <Field label={t("auth.currentPassword")} name="currentPassword" type="password" autoComplete="current-password" errors={errors} />
        <NewPasswordFields errors={errors} rules={rules} />
        <button type="submit" className="primary" disabled={busy}>
          {t("actions.save")}
        </button>
      </Form>
      <p className="muted small">{t("auth.sessionPolicy", { idle: duration(sessions.idleMs, t), max: duration(sessions.maxMs, t) })}</p>
    </div>
  );
}
