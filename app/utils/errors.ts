/**
 * The one kind of error services throw. `messageKey` is an i18n key; `field` puts the message beside a
 * form field instead of at the top of the form. Routes turn it into a response in one place
 * (`domainErrorResponse`).
 */
export type DomainErrorLabel = "invalid" | "not_found" | "forbidden" | "conflict" | "rate_limited";

export class DomainError extends Error {
  constructor(
    public readonly label: DomainErrorLabel,
    public readonly messageKey: string,
    /** `more`: further messages for the same field (every reason a password is refused). */
    public readonly options: { field?: string; params?: Record<string, string | number>; more?: FormMessage[] } = {},
  ) {
    super(`${label}: ${messageKey}`);
    this.name = "DomainError";
  }
}

export const invalid = (messageKey: string, field?: string, params?: Record<string, string | number>) =>
  new DomainError("invalid", messageKey, { field, params });
export const notFound = (messageKey = "errors.notFound") => new DomainError("not_found", messageKey);
export const forbidden = (messageKey = "errors.forbidden") => new DomainError("forbidden", messageKey);
export const conflict = (messageKey: string, field?: string) => new DomainError("conflict", messageKey, { field });

export type FormMessage = { key: string; params?: Record<string, string | number> };

/** Field errors as the UI shows them: field name (or "form") → i18n keys, with parameters where needed. */
export type FieldErrors = Record<string, (string | FormMessage)[] | undefined>;
