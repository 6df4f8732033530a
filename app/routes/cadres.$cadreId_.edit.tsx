import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors, SelectField, TextareaField } from "~/components/forms";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { cadreEditForm, transferCadre, updateCadre } from "~/modules/organization/cadre-edits.server";
import { CadreEditActionSchema, parseIdParam } from "~/modules/organization/schema";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";
import { CADRE_STATUSES, RANKS } from "~db/schema/enums";
import { DEGREES, EDUCATIONS, ETHNICITIES, GENDERS, POLITICAL_STATUSES } from "~db/schema/roster-codes";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, (t) => t("organization.titles.editCadre", { name: data?.cadre.name ?? t("organization.titles.cadre") }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const cadreId = parseIdParam(params.cadreId);
  if (cadreId === null) throw notFoundResponse();
  try {
    return await cadreEditForm(getDb(), user, cadreId);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const cadreId = parseIdParam(params.cadreId);
  if (cadreId === null) throw notFoundResponse();
  const form = parseForm(CadreEditActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    if (form.data.intent === "transfer") {
      await transferCadre(getDb(), user, cadreId, form.data);
      return redirect(`/cadres/${cadreId}?done=transferred`);
    }
    await updateCadre(getDb(), user, cadreId, form.data);
    return redirect(`/cadres/${cadreId}?done=saved`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditCadre() {
  const { t } = useTranslation();
  const { cadre, roster, units, today } = useLoaderData<typeof loader>();
  const zh = useTranslation().i18n.language.startsWith("zh");
  const none = { value: "", label: t("roster.edit.none") };
  const errors = useActionData<typeof action>()?.errors;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/cadres">{t("nav.cadres")}</Link> / <Link to={`/cadres/${cadre.id}`}>{cadre.name}</Link> / {t("actions.edit")}
      </nav>
      <h1>
        {t("organization.cadres.editRecord")} <span className="muted small">{cadre.staffNo}</span>
      </h1>
      <FormErrors errors={errors} />
      <div className="grid two">
        <section className="card" aria-labelledby="record">
          <h2 id="record">{t("organization.cadres.basics")}</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="update" />
            <Field label={t("organization.cadres.name")} name="name" defaultValue={cadre.name} maxLength={50} required errors={errors} />
            <SelectField
              label={t("organization.cadres.rank")}
              name="rank"
              defaultValue={cadre.rank}
              options={RANKS.map((r) => ({ value: r, label: t(`ranks.${r}`) }))}
              errors={errors}
            />
            <Field
              label={t("roster.edit.rankSince")}
              name="rankSince"
              type="date"
              max={today}
              defaultValue={cadre.rankSince ?? ""}
              hint={t("roster.edit.rankSinceHint")}
              errors={errors}
            />
            <Field label={t("organization.cadres.post")} name="title" defaultValue={cadre.title} maxLength={100} errors={errors} />
            <Field
              label={t("roster.edit.postSince")}
              name="postSince"
              type="date"
              max={today}
              defaultValue={cadre.postSince ?? ""}
              hint={t("roster.edit.postSinceHint")}
              errors={errors}
            />
            <Field
              label={t("organization.cadres.email")}
              name="email"
              type="email"
              defaultValue={cadre.email ?? ""}
              autoCapitalize="none"
              errors={errors}
            />
            <Field label={t("organization.cadres.phone")} name="phone" type="tel" defaultValue={cadre.phone ?? ""} errors={errors} />
            <SelectField
              label={t("organization.cadres.status")}
              name="status"
              defaultValue={cadre.status}
              options={CADRE_STATUSES.map((s) => ({ value: s, label: t(`cadreStatuses.${s}`) }))}
              errors={errors}
            />
            <p className="field-hint">{t("organization.cadres.statusHint")}</p>
            <fieldset className="stack">
              <legend>{t("roster.edit.personal")}</legend>
              <p className="field-hint">{t("roster.edit.personalHint")}</p>
              <SelectField
                label={t("roster.fields.gender")}
                name="gender"
                defaultValue={roster?.gender ?? ""}
                options={[none, ...GENDERS.map((g) => ({ value: g, label: t(`roster.genders.${g}`) }))]}
                errors={errors}
              />
              <SelectField
                label={t("roster.fields.ethnicity")}
                name="ethnicity"
                defaultValue={roster?.ethnicity ?? ""}
                options={[none, ...ETHNICITIES.map(([code, name, en]) => ({ value: code, label: zh ? name : en }))]}
                errors={errors}
              />
              <Field
                label={t("roster.fields.birthDate")}
                name="birthDate"
                type="date"
                max={today}
                defaultValue={roster?.birthDate ?? ""}
                errors={errors}
              />
              <Field
                label={t("roster.fields.nativePlace")}
                name="nativePlace"
                defaultValue={roster?.nativePlace ?? ""}
                maxLength={50}
                errors={errors}
              />
              <SelectField
                label={t("roster.fields.politicalStatus")}
                name="politicalStatus"
                defaultValue={roster?.politicalStatus ?? ""}
                options={[none, ...POLITICAL_STATUSES.map(([code, name, , en]) => ({ value: code, label: zh ? name : en }))]}
                errors={errors}
              />
              <SelectField
                label={t("roster.fields.education")}
                name="education"
                defaultValue={roster?.education ?? ""}
                options={[none, ...EDUCATIONS.map(([code, name, en]) => ({ value: code, label: zh ? name : en }))]}
                errors={errors}
              />
              <SelectField
                label={t("roster.fields.degree")}
                name="degree"
                defaultValue={roster?.degree ?? ""}
                options={[none, ...DEGREES.map((d) => ({ value: d, label: t(`roster.degrees.${d}`) }))]}
                errors={errors}
              />
              <Field
                label={t("roster.fields.workStartDate")}
                name="workStartDate"
                type="date"
                max={today}
                defaultValue={roster?.workStartDate ?? ""}
                errors={errors}
              />
            </fieldset>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t("actions.save")}
              </button>
              <Link to={`/cadres/${cadre.id}`}>{t("actions.cancel")}</Link>
            </div>
          </Form>
        </section>

        <section className="card" aria-labelledby="transfer">
          <h2 id="transfer">{t("organization.cadres.transferTitle")}</h2>
          <p className="muted small">{t("organization.cadres.transferHint")}</p>
          <p className="small">
            {t("organization.cadres.unit")}: {cadre.unitName}
          </p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="transfer" />
            <SelectField
              label={t("organization.cadres.transferUnit")}
              name="unitId"
              defaultValue=""
              options={[
                { value: "", label: t("organization.cadres.chooseUnit") },
                ...units.filter((u) => u.id !== cadre.unitId).map((u) => ({ value: String(u.id), label: u.label })),
              ]}
              errors={errors}
            />
            <Field label={t("organization.cadres.transferDate")} name="date" type="date" defaultValue={today} max={today} errors={errors} />
            <TextareaField label={t("organization.cadres.transferReason")} name="reason" rows={3} maxLength={500} errors={errors} />
            <button type="submit" className="secondary" disabled={busy}>
              {t("organization.cadres.transferSubmit")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
