import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { sessionIcs } from "~/modules/classes/calendar.server";
import { parseSessionCode } from "~/modules/classes/schema";
import { getDb } from "~/utils/db.server";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** /classes/ics/2026-07.ics: one session for the signed-in cadre's calendar. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = parseSessionCode(params.file?.replace(/\.ics$/, ""));
  if (!code) throw notFoundResponse();
  try {
    const ics = await sessionIcs(getDb(), user, code, appOrigin());
    return new Response(ics, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": `attachment; filename="${code}.ics"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
