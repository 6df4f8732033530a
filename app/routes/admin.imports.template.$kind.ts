import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/guards.server";
import { requireImportAccess, requireImportKind } from "~/modules/imports/access.server";
import { templateBaseName, templateCsv, templateXlsx } from "~/modules/imports/templates.server";
import { translator } from "~/utils/i18n";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * A kind's template: .xlsx (the sheet to fill in with drop-down lists, an example row, instructions)
 * by default, or ?format=csv for the header alone with a BOM, so that Excel reads it as UTF-8.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const kind = requireImportKind(user, params.kind ?? "");
  const csv = new URL(request.url).searchParams.get("format") === "csv";
  const name = `${templateBaseName(kind)}.${csv ? "csv" : "xlsx"}`;
  // The templates are the departments' own sheets: written in Chinese whatever the page's language.
  const body = csv ? templateCsv(kind) : await templateXlsx(kind, translator("zh-CN"));
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": csv ? "text/csv; charset=utf-8" : XLSX,
      "Content-Disposition": `attachment; filename="${kind.kind}-template.${csv ? "csv" : "xlsx"}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "no-store",
    },
  });
}
