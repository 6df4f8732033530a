import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { OneTimePasswordSheet } from "~/components/otp-sheet";
import { createStaffAccount } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { StaffAccountSchema } from "~/modules/auth/schema-admin";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.accounts.newStaffAccount"));

/**
 * Accounts for people who are not cadres, such as IT staff: only system administrators create them;
 * the security administrator then grants their roles (三员分立).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "system_admin");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "system_admin");
  const form = parseForm(StaffAccountSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    return { ok: true as const, issued: [await createStaffAccount(getDb(), { userId: user.id }, form.data)] };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewStaffAccount() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/admin/accounts">{t("admin.accounts.title")}</Link>
      </div>
      <h1>{t("admin.accounts.newStaffAccount")}</h1>
      {result?.ok ? (
        <OneTimePasswordSheet issued={result.issued} />
      ) : (
        <Form method="post" className="stack card" noValidate>
          <FormErrors errors={errors} />
          <Field label={t("admin.accounts.email")} name="email" type="email" errors={errors} />
          <Field label={t("admin.accounts.displayName")} name="displayName" errors={errors} />
          <p className="field-hint">{t("admin.accounts.rolesBySecurityAdmin")}</p>
          <button type="submit" className="primary" disabled={busy}>
            {t("actions.create")}
          </button>
        </Form>
      )}
    </>
  );
}
