import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { DEFAULT_EFFECT_MONTHS, MAX_EFFECT_MONTHS } from "~/modules/accountability/rules";
import { EffectPeriodsSchema } from "~/modules/accountability/schema";
import { getEffectPeriods, updateEffectPeriods } from "~/modules/accountability/settings.server";
import { requireRole } from "~/modules/auth/guards.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { invalidForm } from "~/utils/responses.server";
import { ACCOUNTABILITY_KINDS } from "~db/schema/accountability";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("accountability.settings.title"));

/** The effect period of each kind (months during which a cadre is not shortlisted), set by the department. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  return { periods: await getEffectPeriods(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(EffectPeriodsSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const changed = await updateEffectPeriods(getDb(), { userId: user.id }, form.data);
  return { ok: true as const, changed };
}

export default function AccountabilitySettings() {
  const { t } = useTranslation();
  const { periods } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/accountability">{t("accountability.title")}</Link> / {t("accountability.settings.title")}
      </nav>
      <h1>{t("accountability.settings.title")}</h1>
      <p className="muted">{t("accountability.settings.intro")}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.changed ? "common.saved" : "accountability.settings.unchanged")}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" className="stack" noValidate>
          <FormErrors errors={errors} />
          {ACCOUNTABILITY_KINDS.map((k) => (
            <Field
              key={k}
              label={t(`accountability.kinds.${k}`)}
              name={k}
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_EFFECT_MONTHS}
              defaultValue={periods[k]}
              hint={t("accountability.settings.default", { months: DEFAULT_EFFECT_MONTHS[k] })}
              errors={errors}
            />
          ))}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("actions.save")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
