import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms";
import { NewPasswordFields } from "~/components/new-password-fields";
import { nextStepUrl, sessionCookie } from "~/modules/auth/guards.server";
import { resetPasswordWithToken, SetPasswordSchema } from "~/modules/auth/password-reset.server";
import { inspectLinkToken } from "~/modules/email/link-tokens.server";
import { passwordRules } from "~/modules/security/policy";
import { getSecurityPolicy } from "~/modules/security/policy.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("auth.titles.resetPassword"));

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await inspectLinkToken(getDb(), params.token ?? "", "password_reset");
  const rules = passwordRules(await getSecurityPolicy(getDb()));
  return { state: link.state, name: link.name ?? null, rules };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = parseForm(SetPasswordSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const { token, session, next } = await resetPasswordWithToken(
      getDb(),
      params.token ?? "",
      form.data.newPassword,
      requestOrigin(request),
    );
    return redirect(nextStepUrl(next, "/"), { headers: { "Set-Cookie": sessionCookie(token, session.expiresAt) } });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { state, name, rules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors;
  return (
    <div className="card auth-card">
      <h1>{t("email.pages.reset.title")}</h1>
      {state === "valid" ? (
        <>
          <p className="muted">{t("email.pages.reset.intro", { name })}</p>
          <Form method="post" className="stack" noValidate>
            <FormErrors errors={errors} />
            <NewPasswordFields errors={errors} rules={rules} />
            <button type="submit" className="primary" disabled={busy}>
              {t("email.pages.reset.submit")}
            </button>
          </Form>
        </>
      ) : (
        <LinkProblem state={state} />
      )}
    </div>
  );
}

function LinkProblem({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="notice warn" role="alert">
        {t(`email.pages.token.${state}`)}
      </p>
      <p className="actions small">
        <Link to="/login">{t("email.pages.token.goLogin")}</Link>
        <Link to="/forgot-password">{t("email.pages.token.forgot")}</Link>
      </p>
    </>
  );
}
