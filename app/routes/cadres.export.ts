import { PassThrough, Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbiddenResponse, requireRole } from "~/modules/auth/guards.server";
import { rosterViewer, seesOthersRoster } from "~/modules/organization/roster.server";
import { writeRosterWorkbook } from "~/modules/organization/roster-export.server";
import { CadreSearchSchema } from "~/modules/organization/schema";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";

/**
 * The roster with the cadre list's filters, as .xlsx in the import's columns (export, correct, import
 * back). Personal data: the organization department, and heads for their units' cadres.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "org_admin", "unit_head");
  const roster = await rosterViewer(getDb(), user);
  if (!seesOthersRoster(roster)) throw forbiddenResponse();
  const filter = CadreSearchSchema.parse(formValues(new URL(request.url).searchParams));
  const out = new PassThrough();
  writeRosterWorkbook(getDb(), user.scope, roster, filter, out).catch((error) => out.destroy(error));
  const name = `干部花名册-${todayInShanghai()}.xlsx`;
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="roster-${todayInShanghai()}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "no-store",
    },
  });
}
