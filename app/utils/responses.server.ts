import { data } from "@remix-run/node";
import { forbiddenResponse, notFoundResponse } from "~/modules/auth/guards.server";
import { DomainError, type FieldErrors } from "./errors";

export type ActionFailure = { ok: false; errors: FieldErrors };

/**
 * The one place a domain error becomes a response: not-found and forbidden become error pages, the
 * rest go back to the form beside the field they concern. Anything else is a real failure.
 */
export function domainErrorResponse(error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  if (error.label === "not_found") throw notFoundResponse();
  if (error.label === "forbidden") throw forbiddenResponse();
  const field = error.options.field ?? "form";
  const status = error.label === "rate_limited" ? 429 : error.label === "conflict" ? 409 : 400;
  const messages = [{ key: error.messageKey, params: error.options.params }, ...(error.options.more ?? [])];
  return data<ActionFailure>({ ok: false, errors: { [field]: messages } }, { status });
}

export function invalidForm(errors: FieldErrors) {
  return data<ActionFailure>({ ok: false, errors }, { status: 400 });
}
