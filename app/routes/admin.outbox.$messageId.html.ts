import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { getOutboxHtml } from "~/modules/email/outbox.server";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/errors";
import { fields } from "~/utils/forms";

/**
 * The rendered HTML of one message, for the preview frame. Email HTML is content we do not vouch for
 * (it carries names and addresses typed by others), so it is served with a CSP that allows no script,
 * no fetch and no form, sandboxed into an opaque origin even if opened outside the frame.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src data: https:",
  "font-src data:",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox",
].join("; ");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin", "system_admin");
  const id = fields.id().safeParse(params.messageId);
  if (!id.success) throw notFoundResponse();
  try {
    const html = await getOutboxHtml(getDb(), id.data);
    return new Response(html, {
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof DomainError && error.label === "not_found") throw notFoundResponse();
    throw error;
  }
}
