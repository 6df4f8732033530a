import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { batchViewer, requireImportAccess, requireImportKind } from "~/modules/imports/access.server";
import { BatchIdSchema } from "~/modules/imports/schema";
import { findImportProgress } from "~/modules/imports/service.server";
import { getDb } from "~/utils/db.server";

/** How far a confirmed import has got, polled by the preview page's progress bar. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const id = BatchIdSchema.safeParse(params.batchId);
  if (!id.success) throw notFoundResponse();
  const found = await findImportProgress(getDb(), batchViewer(user), id.data);
  if (!found) throw notFoundResponse();
  const { kind, ...progress } = found;
  requireImportKind(user, kind);
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
