import type { LoaderFunctionArgs } from "@remix-run/node";
import { getReportAttachment } from "~/modules/accountability/attachments.server";
import { parseIdParam } from "~/modules/accountability/schema";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { evidenceFileResponse } from "~/modules/frontline/attachment-types";
import { getDb } from "~/utils/db.server";
import { domainErrorResponse } from "~/utils/responses.server";

/**
 * A rectification report's file, for whoever may read its record: served as the frontline evidence is,
 * with the type its bytes were checked against, no sniffing and a sandbox.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  const attachmentId = parseIdParam(params.attachmentId);
  if (recordId === null || attachmentId === null) throw notFoundResponse();
  try {
    const file = await getReportAttachment(getDb(), user, recordId, attachmentId);
    return evidenceFileResponse(file, attachmentId);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
