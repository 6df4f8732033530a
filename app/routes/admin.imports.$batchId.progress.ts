import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireRole } from "~/modules/auth/guards.server";
import { BatchIdSchema } from "~/modules/imports/schema";
import { findImportProgress } from "~/modules/imports/service.server";
import { getDb } from "~/utils/db.server";

/** How far a confirmed import has got, polled by the preview page's progress bar. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "org_admin");
  const id = BatchIdSchema.safeParse(params.batchId);
  if (!id.success) throw notFoundResponse();
  const progress = await findImportProgress(getDb(), id.data);
  if (!progress) throw notFoundResponse();
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
