import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { POLICY_LIMITS, type PolicyNumberKey, SecurityPolicyFormSchema } from "~/modules/security/policy";
import { getSecurityPolicy, updateSecurityPolicy } from "~/modules/security/policy.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { requestOrigin } from "~/utils/request.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("admin.security.policyTitle"));

/** The security policy: passwords, sessions, sign-in limits, retention. The security administrator's alone. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "security_admin");
  return { policy: await getSecurityPolicy(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "security_admin");
  const form = parseForm(SecurityPolicyFormSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const { changed } = await updateSecurityPolicy(getDb(), { userId: user.id }, form.data, requestOrigin(request));
    return { ok: true as const, changed };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

const GROUPS: { title: string; keys: PolicyNumberKey[]; flags?: ("rejectCommonPasswords" | "rejectPersonalPasswords")[] }[] = [
  {
    title: "passwords",
    keys: [
      "passwordMinLength",
      "passwordMinClasses",
      "passwordHistory",
      "adminPasswordMaxAgeDays",
      "otherPasswordMaxAgeDays",
      "oneTimePasswordHours",
    ],
    flags: ["rejectCommonPasswords", "rejectPersonalPasswords"],
  },
  {
    title: "sessions",
    keys: ["adminIdleMinutes", "adminSessionMaxHours", "otherIdleMinutes", "otherSessionMaxHours", "rememberDeviceDays"],
  },
  { title: "signIn", keys: ["maxFailuresPerAccount", "lockMinutes", "maxFailuresPerAddress", "failureWindowMinutes"] },
  { title: "logs", keys: ["securityLogRetentionDays"] },
];

export default function SecurityPolicyPage() {
  const { t } = useTranslation();
  const { policy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <>
      <h1>{t("admin.security.policyTitle")}</h1>
      <p className="muted">{t("admin.security.policyIntro")}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.changed ? "admin.security.policySaved" : "admin.security.policyUnchanged")}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <FormErrors errors={errors} />
        <div className="policy-groups">
          {GROUPS.map((g) => (
            <fieldset key={g.title} className="card policy-group">
              <legend>{t(`admin.security.groups.${g.title}`)}</legend>
              {g.keys.map((key) => {
                const [min, max, fallback] = POLICY_LIMITS[key];
                return (
                  <Field
                    key={key}
                    label={t(`admin.security.fields.${key}`)}
                    name={key}
                    type="number"
                    inputMode="numeric"
                    min={min}
                    max={max}
                    defaultValue={policy[key]}
                    hint={t("admin.security.range", { min, max, fallback })}
                    errors={errors}
                  />
                );
              })}
              {g.flags?.map((flag) => (
                <label key={flag} className="checkbox">
                  <input type="checkbox" name={flag} defaultChecked={policy[flag]} /> {t(`admin.security.fields.${flag}`)}
                </label>
              ))}
            </fieldset>
          ))}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("actions.save")}
          </button>
        </div>
      </Form>
    </>
  );
}
