import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbiddenResponse, notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { mayUseRankings } from "~/modules/rankings/access";
import { meetingIcs } from "~/modules/rankings/meeting-invitations.server";
import { meetingView } from "~/modules/rankings/meetings.server";
import { getDb } from "~/utils/db.server";
import { fields } from "~/utils/forms";
import { getLocale } from "~/utils/locale.server";
import { appOrigin } from "~/utils/origin.server";
import { domainErrorResponse } from "~/utils/responses.server";

/** The meeting as an .ics, for those who may see the meeting (the same file the invitation carries). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayUseRankings(user)) throw forbiddenResponse();
  const id = fields.id().safeParse(params.meetingId);
  if (!id.success) throw notFoundResponse();
  try {
    const meeting = await meetingView(getDb(), user, id.data);
    const url = `${appOrigin()}/rankings/meetings/${meeting.id}`;
    const ics = meetingIcs(
      { ...meeting, startsAt: new Date(meeting.startsAt), endsAt: new Date(meeting.endsAt) },
      url,
      getLocale(request, user),
    );
    return new Response(ics, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": `attachment; filename="ranking-meeting-${meeting.quarter}.ics"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
