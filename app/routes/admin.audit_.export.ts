import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditExport } from "~/modules/audit/export.server";
import { AuditFilterSchema, auditFilter } from "~/modules/audit/schema";
import { requireRole } from "~/modules/auth/guards.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";

/** The audit page's rows under the same filters, as CSV or XLSX. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "audit_admin");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const format = params.format === "csv" ? "csv" : "xlsx";
  return auditExport(getDb(), auditFilter(AuditFilterSchema.parse(params)), format, getLocale(request, user));
}
