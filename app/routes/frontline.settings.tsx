import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors } from "~/components/forms";
import { requireRole } from "~/modules/auth/guards.server";
import { RulesSchema } from "~/modules/frontline/schema";
import { getFrontlineRules, updateFrontlineRules } from "~/modules/frontline/settings.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("frontline.titles.settings"));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  return { rules: await getFrontlineRules(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(RulesSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const { quotaLeading, quotaSection, quotaStaff, eligibilityMinDays } = form.data;
  await updateFrontlineRules(
    getDb(),
    { userId: user.id },
    {
      monthlyQuota: { leading: quotaLeading, section: quotaSection, staff: quotaStaff },
      eligibilityMinDays,
    },
  );
  return { ok: true as const };
}

export default function FrontlineSettings() {
  const { t } = useTranslation();
  const { rules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/frontline">{t("frontline.title")}</Link> / {t("frontline.settings.title")}
      </nav>
      <h1>{t("frontline.settings.title")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("common.saved")}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" className="stack" noValidate>
          <FormErrors errors={errors} />
          <h2>{t("frontline.settings.quota")}</h2>
          <p className="muted small">{t("frontline.settings.quotaHint")}</p>
          <Field
            label={t("frontline.settings.bands.leading")}
            name="quotaLeading"
            type="number"
            min={0}
            max={31}
            inputMode="numeric"
            defaultValue={rules.monthlyQuota.leading}
            errors={errors}
          />
          <Field
            label={t("frontline.settings.bands.section")}
            name="quotaSection"
            type="number"
            min={0}
            max={31}
            inputMode="numeric"
            defaultValue={rules.monthlyQuota.section}
            errors={errors}
          />
          <Field
            label={t("frontline.settings.bands.staff")}
            name="quotaStaff"
            type="number"
            min={0}
            max={31}
            inputMode="numeric"
            defaultValue={rules.monthlyQuota.staff}
            errors={errors}
          />
          <h2>{t("frontline.settings.eligibility")}</h2>
          <Field
            label={t("frontline.settings.eligibilityDays")}
            name="eligibilityMinDays"
            type="number"
            min={1}
            max={3650}
            inputMode="numeric"
            defaultValue={rules.eligibilityMinDays}
            hint={t("frontline.settings.eligibilityHint")}
            errors={errors}
          />
          <p className="muted small">{t("frontline.settings.audited")}</p>
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
