import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { isImportKind, templateCsv } from "~/modules/imports/columns";

/** An empty CSV with the Chinese headers, BOM first so that Excel reads it as UTF-8. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const kind = params.kind;
  if (!isImportKind(kind)) throw notFoundResponse();
  const fileName = kind === "units" ? "单位导入模板.csv" : "干部导入模板.csv";
  return new Response(templateCsv(kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${kind}-template.csv"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "no-store",
    },
  });
}
