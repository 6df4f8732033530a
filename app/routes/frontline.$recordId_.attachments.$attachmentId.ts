import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { evidenceFileResponse } from "~/modules/frontline/attachment-types";
import { getAttachment } from "~/modules/frontline/attachments.server";
import { parseIdParam } from "~/modules/frontline/schema";
import { getDb } from "~/utils/db.server";
import { domainErrorResponse } from "~/utils/responses.server";

/**
 * An evidence file, for whoever may see its record. Served with the type its bytes were checked
 * against, no sniffing, and a sandbox: even a crafted file cannot run script on our origin. Images open
 * in the browser; PDFs download.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const recordId = parseIdParam(params.recordId);
  const attachmentId = parseIdParam(params.attachmentId);
  if (recordId === null || attachmentId === null) throw notFoundResponse();
  try {
    const file = await getAttachment(getDb(), user, recordId, attachmentId);
    return evidenceFileResponse(file, attachmentId);
  } catch (error) {
    throw domainErrorResponse(error);
  }
}
