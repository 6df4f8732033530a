import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { EXPORT_FORMATS, type ExportFormat, rosterExport } from "~/modules/classes/export.server";
import { parseSessionCode, RosterFilterSchema } from "~/modules/classes/schema";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { getLocale } from "~/utils/locale.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** The roster as CSV or XLSX, filtered like the page it is downloaded from. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin");
  const code = parseSessionCode(params.code);
  const format = params.format as ExportFormat;
  if (!code || !EXPORT_FORMATS.includes(format)) throw notFoundResponse();
  const { page: _page, ...filter } = RosterFilterSchema.parse(formValues(new URL(request.url).searchParams));
  try {
    const file = await rosterExport(getDb(), code, format, getLocale(request, user), filter);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
