import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { ForgotPasswordSchema, PASSWORD_RESET_VALID_MINUTES, requestPasswordReset } from "~/modules/auth/password-reset.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { clientAddress } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("auth.titles.forgotPassword"));

export async function action({ request }: ActionFunctionArgs) {
  const form = parseForm(ForgotPasswordSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    await requestPasswordReset(getDb(), {
      identifier: form.data.identifier,
      address: clientAddress(request),
      origin: appOrigin(),
    });
    // The same answer whether or not the account exists.
    return { ok: true as const, minutes: PASSWORD_RESET_VALID_MINUTES, errors: undefined };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors;
  return (
    <div className="card auth-card">
      <h1>{t("email.pages.forgot.title")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("email.pages.forgot.sent", { minutes: result.minutes })}
        </p>
      ) : (
        <p className="muted">{t("email.pages.forgot.intro")}</p>
      )}
      <Form method="post" className="stack" noValidate>
        <FormErrors errors={errors} />
        <Field label={t("auth.identifier")} name="identifier" autoComplete="username" autoCapitalize="none" required errors={errors} />
        <button type="submit" className="primary" disabled={busy}>
          {t("email.pages.forgot.submit")}
        </button>
      </Form>
      <p className="small">
        <Link to="/login">{t("email.pages.forgot.backToLogin")}</Link>
      </p>
    </div>
  );
}
