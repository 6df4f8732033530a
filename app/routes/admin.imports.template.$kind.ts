import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/guards.server";
import { requireImportAccess, requireImportKind } from "~/modules/imports/access.server";
import { templateCsv } from "~/modules/imports/kinds.server";

/** An empty CSV with a kind's Chinese headers, BOM first so that Excel reads it as UTF-8. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const kind = requireImportKind(user, params.kind ?? "");
  const fileName = kind.templateFileName ?? `${kind.kind}-template.csv`;
  return new Response(templateCsv(kind.kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${kind.kind}-template.csv"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "no-store",
    },
  });
}
