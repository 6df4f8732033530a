import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/modules/auth/guards.server";
import { securityEventsExport } from "~/modules/security/export.server";
import { SecurityEventFilterSchema, securityEventFilter } from "~/modules/security/schema";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";

/** The security log's rows under the page's filters, as CSV or XLSX. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "audit_admin");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const format = params.format === "csv" ? "csv" : "xlsx";
  return securityEventsExport(getDb(), securityEventFilter(SecurityEventFilterSchema.parse(params)), format, getLocale(request, user));
}
