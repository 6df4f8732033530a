import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormErrors, SelectField } from "~/components/forms";
import { shanghaiLocalInput } from "~/utils/dates";
import type { FieldErrors } from "~/utils/errors";
import { RANKS } from "~db/schema/enums";
import type { ShortlistRules } from "~db/schema/shortlists";
import { RULE_LIMITS } from "../rules";

export interface RoundFormValues {
  name: string;
  description: string;
  quota: string;
  deadline: string;
  rules: ShortlistRules;
}

/** The form's starting values: the round's own, or a new round's (rules off, the current year). */
export function roundFormValues(round?: {
  name: string;
  description: string;
  quota: number;
  deadline: Date | string;
  rules: ShortlistRules;
}): RoundFormValues {
  if (!round) return { name: "", description: "", quota: "", deadline: "", rules: {} };
  return {
    name: round.name,
    description: round.description,
    quota: String(round.quota),
    deadline: shanghaiLocalInput(round.deadline),
    rules: round.rules,
  };
}

function RuleBox({
  name,
  checked,
  label,
  hint,
  children,
}: {
  name: string;
  checked: boolean;
  label: string;
  hint: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="sl-rule">
      <label>
        <input type="checkbox" name={name} defaultChecked={checked} />
        <span>{label}</span>
      </label>
      <p className="field-hint">{hint}</p>
      {children ? <div className="sl-rule-params">{children}</div> : null}
    </div>
  );
}

/** Opening or editing a round: name, quota, deadline and each optional rule with its parameters. */
export function RoundForm({
  values,
  errors,
  busy,
  submitLabel,
  frontlineDays,
  year,
  note,
}: {
  values: RoundFormValues;
  errors?: FieldErrors | null;
  busy: boolean;
  submitLabel: string;
  frontlineDays: number;
  year: number;
  note?: ReactNode;
}) {
  const { t } = useTranslation();
  const r = values.rules;
  const { quarters, percent } = RULE_LIMITS;
  return (
    <Form method="post" className="stack sl-form" noValidate>
      <FormErrors errors={errors} />
      {note ? <p className="notice warn">{note}</p> : null}
      <Field
        label={t("shortlists.fields.name")}
        name="name"
        defaultValue={values.name}
        placeholder={t("shortlists.form.namePlaceholder")}
        required
        maxLength={100}
        errors={errors}
      />
      <div className="field">
        <label htmlFor="sl-description">{t("shortlists.fields.description")}</label>
        <textarea id="sl-description" name="description" rows={3} defaultValue={values.description} maxLength={2000} />
        <ErrorList errors={errors?.description} />
      </div>
      <Field
        label={t("shortlists.fields.quota")}
        name="quota"
        type="number"
        inputMode="numeric"
        min={1}
        max={10000}
        defaultValue={values.quota}
        required
        hint={t("shortlists.form.quotaHint")}
        errors={errors}
      />
      <Field
        label={t("shortlists.fields.deadline")}
        name="deadline"
        type="datetime-local"
        defaultValue={values.deadline}
        required
        hint={t("shortlists.form.deadlineHint")}
        errors={errors}
      />
      <fieldset className="sl-rules">
        <legend>{t("shortlists.form.rulesTitle")}</legend>
        <p className="field-hint">{t("shortlists.form.rulesHint")}</p>
        <RuleBox
          name="useMinRank"
          checked={Boolean(r.minRank)}
          label={t("shortlists.rules.minRank.label")}
          hint={t("shortlists.rules.minRank.hint")}
        >
          <SelectField
            label={t("shortlists.fields.minRank")}
            name="minRank"
            defaultValue={r.minRank ?? "deputy_section"}
            options={RANKS.map((rank) => ({ value: rank, label: t(`ranks.${rank}`) }))}
            errors={errors}
          />
        </RuleBox>
        <RuleBox
          name="useFrontline"
          checked={Boolean(r.frontline)}
          label={t("shortlists.rules.frontline.label")}
          hint={t("shortlists.rules.frontline.hint", { days: frontlineDays })}
        />
        <RuleBox
          name="useAttendance"
          checked={Boolean(r.attendance)}
          label={t("shortlists.rules.attendance.label")}
          hint={t("shortlists.rules.attendance.hint")}
        >
          <Field
            label={t("shortlists.fields.attendanceRate")}
            name="attendanceRate"
            type="number"
            inputMode="decimal"
            min={1}
            max={100}
            step="0.1"
            defaultValue={r.attendance ? String(Math.round(r.attendance.minRate * 1000) / 10) : "85"}
            errors={errors}
          />
          <Field
            label={t("shortlists.fields.attendanceQuarters")}
            name="attendanceQuarters"
            type="number"
            inputMode="numeric"
            min={quarters.min}
            max={quarters.max}
            defaultValue={String(r.attendance?.quarters ?? 2)}
            errors={errors}
          />
        </RuleBox>
        <RuleBox
          name="useTrainingHours"
          checked={Boolean(r.trainingHours)}
          label={t("shortlists.rules.trainingHours.label")}
          hint={t("shortlists.rules.trainingHours.hint")}
        >
          <Field
            label={t("shortlists.fields.trainingYear")}
            name="trainingYear"
            type="number"
            inputMode="numeric"
            defaultValue={String(r.trainingHours?.year ?? year)}
            errors={errors}
          />
        </RuleBox>
        <RuleBox
          name="useTopPercent"
          checked={Boolean(r.topPercent)}
          label={t("shortlists.rules.topPercent.label")}
          hint={t("shortlists.rules.topPercent.hint")}
        >
          <Field
            label={t("shortlists.fields.topPercent")}
            name="topPercent"
            type="number"
            inputMode="numeric"
            min={percent.min}
            max={percent.max}
            defaultValue={String(r.topPercent?.percent ?? 30)}
            errors={errors}
          />
          <Field
            label={t("shortlists.fields.topQuarters")}
            name="topQuarters"
            type="number"
            inputMode="numeric"
            min={quarters.min}
            max={quarters.max}
            defaultValue={String(r.topPercent?.quarters ?? 2)}
            errors={errors}
          />
        </RuleBox>
        <RuleBox
          name="useNoOpenFlag"
          checked={Boolean(r.noOpenFlag)}
          label={t("shortlists.rules.noOpenFlag.label")}
          hint={t("shortlists.rules.noOpenFlag.hint")}
        />
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
