import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseId } from "~/modules/attendance/schema";
import { venueDisplay } from "~/modules/attendance/venue/display.server";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { getDb } from "~/utils/db.server";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** What the venue display polls: the current code and the live counts, as JSON, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.sessionVenueId);
  if (!id) throw notFoundResponse();
  try {
    const display = await venueDisplay(getDb(), user, id, { origin: appOrigin() });
    return Response.json(display, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
