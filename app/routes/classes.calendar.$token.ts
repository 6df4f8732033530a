import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedIcs } from "~/modules/classes/calendar.server";
import { getDb } from "~/utils/db.server";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";

/**
 * /classes/calendar/<token>.ics: a cadre's sessions for calendar apps, which cannot sign in. The secret
 * token in the address is the only credential; it reads that cadre's class times and nothing else.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  try {
    const ics = await feedIcs(getDb(), token, appOrigin());
    return new Response(ics, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'inline; filename="luoshi-classes.ics"',
        "Cache-Control": "private, max-age=300",
        "X-Robots-Tag": "noindex",
      },
    });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
