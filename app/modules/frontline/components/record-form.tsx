import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormErrors, SelectField, TextareaField } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import { FRONTLINE_CATEGORIES } from "~db/schema/frontline";

export interface RecordFormValues {
  category?: string;
  place?: string;
  startDate?: string;
  endDate?: string;
  summary?: string;
  outcome?: string;
  evidence?: string;
  links?: string[] | string;
  staffNo?: string;
}

/**
 * The record form, one column on a phone: what, where, when, what was done and solved, evidence.
 * "Save draft" keeps it private; "Submit" sends it to the unit for verification at once. An org
 * admin's correction of a verified record asks for a reason instead.
 */
export function RecordForm({
  mode,
  values,
  errors,
  busy,
  revision,
  askStaffNo,
  cancelTo,
}: {
  mode: "new" | "edit" | "correct";
  values: RecordFormValues;
  errors?: FieldErrors;
  busy: boolean;
  revision?: number;
  askStaffNo: boolean;
  cancelTo: string;
}) {
  const { t } = useTranslation();
  const links = Array.isArray(values.links) ? values.links.join("\n") : (values.links ?? "");
  return (
    <Form method="post" className="stack frontline-form" noValidate>
      <FormErrors errors={errors} />
      {revision ? <input type="hidden" name="revision" value={revision} /> : null}
      {askStaffNo ? (
        <Field
          label={t("frontline.fields.staffNo")}
          name="staffNo"
          defaultValue={values.staffNo ?? ""}
          autoCapitalize="characters"
          autoComplete="off"
          hint={t("frontline.hints.staffNo")}
          errors={errors}
        />
      ) : null}
      <SelectField
        label={t("frontline.fields.category")}
        name="category"
        defaultValue={values.category ?? ""}
        options={[
          { value: "", label: t("frontline.fields.chooseCategory") },
          ...FRONTLINE_CATEGORIES.map((c) => ({ value: c, label: t(`frontline.categories.${c}`) })),
        ]}
        errors={errors}
      />
      <Field
        label={t("frontline.fields.place")}
        name="place"
        defaultValue={values.place ?? ""}
        placeholder={t("frontline.hints.place")}
        maxLength={200}
        errors={errors}
      />
      <div className="frontline-dates-row">
        <Field label={t("frontline.fields.startDate")} name="startDate" type="date" defaultValue={values.startDate ?? ""} errors={errors} />
        <Field label={t("frontline.fields.endDate")} name="endDate" type="date" defaultValue={values.endDate ?? ""} errors={errors} />
      </div>
      <p className="field-hint">{t("frontline.hints.dates")}</p>
      <TextareaField
        label={t("frontline.fields.summary")}
        name="summary"
        rows={4}
        defaultValue={values.summary ?? ""}
        placeholder={t("frontline.hints.summary")}
        maxLength={2000}
        errors={errors}
      />
      <TextareaField
        label={t("frontline.fields.outcome")}
        name="outcome"
        rows={3}
        defaultValue={values.outcome ?? ""}
        placeholder={t("frontline.hints.outcome")}
        maxLength={2000}
        errors={errors}
      />
      <TextareaField
        label={t("frontline.fields.evidence")}
        name="evidence"
        rows={2}
        defaultValue={values.evidence ?? ""}
        placeholder={t("frontline.hints.evidence")}
        maxLength={2000}
        errors={errors}
      />
      <TextareaField
        label={t("frontline.fields.links")}
        name="links"
        rows={2}
        defaultValue={links}
        placeholder="https://"
        inputMode="url"
        errors={errors}
      />
      <p className="field-hint">{t("frontline.hints.links")}</p>
      {mode === "correct" ? (
        <>
          <TextareaField label={t("frontline.fields.reason")} name="reason" rows={2} maxLength={500} errors={errors} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("frontline.actions.saveCorrection")}
            </button>
            <Link to={cancelTo}>{t("actions.cancel")}</Link>
          </div>
        </>
      ) : (
        <div className="actions frontline-form-actions">
          {/* Enter in a field presses the first button: it should save, not send for verification. */}
          <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
            {t("frontline.actions.saveDraft")}
          </button>
          <button type="submit" name="intent" value="submit" className="primary" disabled={busy}>
            {t("frontline.actions.submit")}
          </button>
          <Link to={cancelTo}>{t("actions.cancel")}</Link>
        </div>
      )}
    </Form>
  );
}
