import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from "react";
import { useTranslation } from "react-i18next";
import type { FieldErrors, FormMessage } from "~/utils/errors";

/** Error keys translated; shown beside the field they belong to. */
export function ErrorList({ errors, id }: { errors?: (string | FormMessage)[] | null; id?: string }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <ul className="field-errors" id={id} role="alert">
      {errors.map((e, i) => (
        <li key={i}>{typeof e === "string" ? t(e) : t(e.key, e.params)}</li>
      ))}
    </ul>
  );
}

type FieldProps = {
  label: ReactNode;
  name: string;
  errors?: FieldErrors | null;
  hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>;

export function Field({ label, name, errors, hint, id, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const fieldErrors = errors?.[name];
  const errorId = fieldErrors?.length ? `${inputId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name={name} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} {...input} />
      {hint ? <p className="field-hint">{hint}</p> : null}
      <ErrorList errors={fieldErrors} id={errorId} />
    </div>
  );
}

type SelectFieldProps = {
  label: ReactNode;
  name: string;
  errors?: FieldErrors | null;
  options: { value: string; label: string }[];
} & SelectHTMLAttributes<HTMLSelectElement>;

export function SelectField({ label, name, errors, options, id, ...select }: SelectFieldProps) {
  const generated = useId();
  const selectId = id ?? generated;
  const fieldErrors = errors?.[name];
  const errorId = fieldErrors?.length ? `${selectId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} name={name} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList errors={fieldErrors} id={errorId} />
    </div>
  );
}

type TextareaFieldProps = {
  label: ReactNode;
  name: string;
  errors?: FieldErrors | null;
} & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextareaField({ label, name, errors, id, ...textarea }: TextareaFieldProps) {
  const generated = useId();
  const textareaId = id ?? generated;
  const fieldErrors = errors?.[name];
  const errorId = fieldErrors?.length ? `${textareaId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={textareaId}>{label}</label>
      <textarea id={textareaId} name={name} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} {...textarea} />
      <ErrorList errors={fieldErrors} id={errorId} />
    </div>
  );
}

/** Errors that belong to the whole form, not one field. */
export function FormErrors({ errors }: { errors?: FieldErrors | null }) {
  if (!errors?.form?.length) return null;
  return (
    <div className="form-errors">
      <ErrorList errors={errors.form} />
    </div>
  );
}
