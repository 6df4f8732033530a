import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { cookieHeaders, DEVICE_COOKIE, deviceCookie, readCookie, sessionCookie } from "~/modules/auth/cookies.server";
import { getCurrentUser, nextStepUrl } from "~/modules/auth/guards.server";
import { LoginSchema } from "~/modules/auth/schema";
import { signIn } from "~/modules/auth/sign-in.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/redirects";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("auth.titles.signIn"));

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getCurrentUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = parseForm(LoginSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const result = await signIn(getDb(), {
      identifier: form.data.identifier,
      password: form.data.password,
      deviceToken: readCookie(request, DEVICE_COOKIE),
      ...requestOrigin(request),
    });
    return redirect(nextStepUrl(result.next, safeRedirect(form.data.redirectTo)), {
      headers: cookieHeaders(
        sessionCookie(result.token, result.session.expiresAt),
        result.device ? deviceCookie(result.device.token, result.device.expiresAt) : null,
      ),
    });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Login() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors;
  return (
    <div className="card auth-card">
      <h1>{t("auth.title")}</h1>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <FormErrors errors={errors} />
        <Field label={t("auth.identifier")} name="identifier" autoComplete="username" autoCapitalize="none" required errors={errors} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="current-password" required errors={errors} />
        <button type="submit" className="primary" disabled={busy}>
          {t("auth.submit")}
        </button>
      </Form>
      <p className="small" style={{ marginTop: "1rem" }}>
        <Link to="/forgot-password">{t("email.pages.token.forgot")}</Link>
      </p>
    </div>
  );
}
