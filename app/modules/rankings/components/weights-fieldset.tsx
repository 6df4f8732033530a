import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList, Field } from "~/components/forms";
import type { FieldErrors } from "~/utils/errors";
import { weightSum } from "../model";

/**
 * One table's weights with their sum beside them, kept up to date as the organization department
 * types (the server refuses a sum other than 1 all the same, with the message under the sum).
 */
export function WeightsFieldset({
  legend,
  prefix,
  indicators,
  values,
  errors,
}: {
  legend: string;
  /** "cadre" or "unit": the fields are named `<prefix>.<indicator>`, the sum's errors `<prefix>.sum`. */
  prefix: "cadre" | "unit";
  indicators: readonly string[];
  values: Record<string, number>;
  errors?: FieldErrors | null;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<Record<string, string>>(() => Object.fromEntries(indicators.map((k) => [k, String(values[k] ?? 0)])));
  const numbers = Object.fromEntries(indicators.map((k) => [k, typed[k]?.trim() === "" ? 0 : Number(typed[k])]));
  const readable = Object.values(numbers).every((v) => Number.isFinite(v));
  const sum = readable ? weightSum(numbers) : null;
  const ok = sum === 1;
  return (
    <fieldset className="stack-tight">
      <legend>{legend}</legend>
      <div className="rk-grid4">
        {indicators.map((k) => (
          <Field
            key={k}
            label={t(`rankings.indicators.${k}`)}
            name={`${prefix}.${k}`}
            type="number"
            step="0.0001"
            min={0}
            max={1}
            defaultValue={values[k]}
            onChange={(e) => setTyped((before) => ({ ...before, [k]: e.currentTarget.value }))}
            errors={errors}
          />
        ))}
      </div>
      <p className={`rk-sum ${ok ? "ok" : "danger"}`} aria-live="polite" data-testid={`${prefix}-weight-sum`}>
        {sum === null
          ? t("rankings.model.sumUnreadable")
          : ok
            ? t("rankings.model.sumOk", { sum: sum.toFixed(4) })
            : t("rankings.model.sumOff", { sum: sum.toFixed(4) })}
      </p>
      <ErrorList errors={errors?.[`${prefix}.sum`]} />
    </fieldset>
  );
}
