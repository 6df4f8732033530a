import { z } from "zod";
import type { FieldErrors } from "./errors";

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Parses a submitted form with the route's one zod schema, on the server (the browser validates nothing
 * of its own: the errors come back from the action and show beside their fields). Messages are i18n keys.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: FormData | URLSearchParams | Record<string, unknown>,
): ParsedForm<z.output<S>> {
  const values = input instanceof FormData || input instanceof URLSearchParams ? formValues(input) : input;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: issuesToErrors(result.error.issues) };
}

/** Our schemas give i18n keys as messages; zod's own English sentences fall back to a generic key. */
const I18N_KEY = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9_]+)+$/;

export function issuesToErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.length ? String(issue.path[0]) : "form";
    errors[field] ??= [];
    errors[field].push(I18N_KEY.test(issue.message) ? issue.message : "validation.invalid");
  }
  return errors;
}

/** Repeated keys become arrays; single keys stay strings. Files are kept as File objects. */
export function formValues(form: FormData | URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** Common field shapes with i18n messages. */
export const fields = {
  requiredText: (max = 200) =>
    z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(max, "validation.tooLong"),
  optionalText: (max = 200) =>
    z
      .string()
      .trim()
      .max(max, "validation.tooLong")
      .optional()
      .transform((v) => (v ? v : undefined)),
  email: () => z.string({ error: "validation.required" }).trim().toLowerCase().pipe(z.email("validation.email")),
  optionalEmail: () =>
    z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.email("validation.email").optional()),
  id: () => z.coerce.number({ error: "validation.invalid" }).int("validation.invalid").positive("validation.invalid"),
  isoDate: () =>
    z
      .string({ error: "validation.required" })
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
      .refine(
        (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
        "validation.date",
      ),
};
