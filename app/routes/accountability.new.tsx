import { randomUUID } from "node:crypto";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors, SelectField, TextareaField } from "~/components/forms";
import { newRecordContext, openRecordFromForm } from "~/modules/accountability/records.server";
import { OpenRecordSchema } from "~/modules/accountability/schema";
import { requireRole } from "~/modules/auth/guards.server";
import { parseIdParam } from "~/modules/organization/schema";
import { quarterLabel } from "~/modules/rankings/quarter";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";
import { ACCOUNTABILITY_KINDS } from "~db/schema/accountability";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("accountability.titles.new"));

/** Opening a record: from a 约谈 flag (?flag=), a public rating's request (?ratingRequest=), or on the department's initiative for a unit (?unit=) or a cadre (?cadre=). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const search = new URL(request.url).searchParams;
  const id = (name: string) => parseIdParam(search.get(name) ?? undefined) ?? undefined;
  const context = await newRecordContext(getDb(), {
    flagId: id("flag"),
    ratingRequestId: id("ratingRequest"),
    unitId: id("unit"),
    cadreId: id("cadre"),
  });
  // The form's own key: sent twice, it opens one record.
  return { ...context, today: todayInShanghai(), requestKey: randomUUID() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const form = parseForm(OpenRecordSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  try {
    const { recordId } = await openRecordFromForm(getDb(), { userId: user.id }, form.data, { origin: appOrigin() });
    return redirect(`/accountability/${recordId}?done=opened`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewAccountabilityRecord() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : undefined;
  const busy = useNavigation().state !== "idle";
  const [subject, setSubject] = useState<"unit" | "cadre">(data.cadre ? "cadre" : "unit");
  const [kind, setKind] = useState<string>(data.flag ? "admonishment_talk" : "reminder_talk");
  const months = data.periods[kind as keyof typeof data.periods] ?? 0;
  const flagUnit = data.flag ? data.units.find((u) => u.id === data.flag!.unitId) : null;
  return (
    <>
      <nav className="breadcrumbs">
        <Link to="/accountability">{t("accountability.title")}</Link> / {t("accountability.titles.new")}
      </nav>
      <h1>{t("accountability.titles.new")}</h1>
      {data.flag ? (
        <p className="notice warn">
          {t("accountability.form.fromFlag", { unit: flagUnit?.name ?? "", quarter: quarterLabel(data.flag.quarter, i18n.language) })}
        </p>
      ) : null}
      {data.ratingRequest ? (
        <p className="notice warn">
          {data.ratingRequest.source === "case"
            ? t("accountability.form.fromRatingCase", {
                caseId: data.ratingRequest.caseId,
                unit: data.ratingRequest.unitName,
                note: data.ratingRequest.note,
              })
            : t("accountability.form.fromTenWorst", {
                year: data.ratingRequest.year,
                unit: data.ratingRequest.unitName,
                note: data.ratingRequest.note,
              })}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" className="stack ac-form" noValidate>
          <FormErrors errors={errors} />
          <input type="hidden" name="requestKey" value={data.requestKey} />
          {data.ratingRequest ? <input type="hidden" name="ratingRequestId" value={data.ratingRequest.id} /> : null}
          {data.flag ? (
            <>
              <input type="hidden" name="flagId" value={data.flag.id} />
              <input type="hidden" name="subject" value="unit" />
              <input type="hidden" name="unitId" value={data.flag.unitId} />
              <p>
                {t("accountability.form.unitFixed", {
                  unit: flagUnit?.name ?? "",
                  principal: flagUnit?.headName ?? t("accountability.form.noHead"),
                })}
              </p>
            </>
          ) : (
            <>
              <fieldset className="choices">
                <legend>{t("accountability.fields.subject")}</legend>
                {(["unit", "cadre"] as const).map((s) => (
                  <label key={s} className="check">
                    <input type="radio" name="subject" value={s} checked={subject === s} onChange={() => setSubject(s)} />{" "}
                    {t(`accountability.subjects.${s}`)}
                  </label>
                ))}
              </fieldset>
              {/* Both stay on the page, so the form works before (or without) JavaScript; the subject says which counts. */}
              <div className={subject === "unit" ? undefined : "ac-inactive"}>
                <SelectField
                  label={t("accountability.fields.unit")}
                  name="unitId"
                  defaultValue={data.unitId ? String(data.unitId) : ""}
                  options={[
                    { value: "", label: t("accountability.form.chooseUnit") },
                    ...data.units.map((u) => ({ value: String(u.id), label: `${u.name}（${u.code}）` })),
                  ]}
                  errors={errors}
                />
                <p className="field-hint">{t("accountability.form.principalHint")}</p>
              </div>
              <div className={subject === "cadre" ? undefined : "ac-inactive"}>
                <Field
                  label={t("accountability.fields.cadreStaffNo")}
                  name="cadreStaffNo"
                  defaultValue={data.cadre?.staffNo ?? ""}
                  hint={data.cadre ? data.cadre.name : t("accountability.form.staffNoHint")}
                  errors={errors}
                />
              </div>
            </>
          )}
          <SelectField
            label={t("accountability.fields.kind")}
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value)}
            options={ACCOUNTABILITY_KINDS.map((k) => ({ value: k, label: t(`accountability.kinds.${k}`) }))}
            errors={errors}
          />
          <p className="field-hint" data-testid="effect-hint">
            {months ? t("accountability.form.effect", { months }) : t("accountability.form.noEffect")}
          </p>
          <Field
            label={t("accountability.fields.heldOn")}
            name="heldOn"
            type="date"
            max={data.today}
            defaultValue={data.today}
            errors={errors}
          />
          <Field
            label={t("accountability.fields.interviewers")}
            name="interviewers"
            hint={t("accountability.form.interviewersHint")}
            errors={errors}
          />
          <TextareaField
            label={t("accountability.fields.findings")}
            name="findings"
            rows={4}
            defaultValue={data.ratingRequest?.note ?? ""}
            errors={errors}
          />
          <TextareaField label={t("accountability.fields.rectification")} name="rectification" rows={3} errors={errors} />
          <Field
            label={t("accountability.fields.rectificationDue")}
            name="rectificationDue"
            type="date"
            min={data.today}
            hint={t("accountability.form.dueHint")}
            errors={errors}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("accountability.actions.open")}
            </button>
            <Link to="/accountability">{t("actions.cancel")}</Link>
          </div>
        </Form>
      </section>
    </>
  );
}
