import { PassThrough, Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { batchViewer, requireImportAccess, requireImportKind } from "~/modules/imports/access.server";
import { rejectedFileName, writeRejectedWorkbook } from "~/modules/imports/rejected.server";
import { BatchIdSchema } from "~/modules/imports/schema";
import { findBatchForFile } from "~/modules/imports/service.server";
import { todayInShanghai } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { translator } from "~/utils/i18n";

/**
 * A rejected file back as .xlsx with a 错误说明 column and its bad cells marked, for a batch the user
 * may see that was previewed with problems and not discarded. Written as it is read, a stream.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const id = BatchIdSchema.safeParse(params.batchId);
  if (!id.success) throw notFoundResponse();
  const batch = await findBatchForFile(getDb(), batchViewer(user), id.data);
  if (!batch?.summary.counts.errors) throw notFoundResponse();
  requireImportKind(user, batch.kind);
  const out = new PassThrough();
  writeRejectedWorkbook(getDb(), batch, out, {
    // The department's own file: its notes in Chinese, whatever the page's language.
    t: translator("zh-CN"),
    today: todayInShanghai(),
    scope: user.scope,
    actorUserId: user.id,
  }).catch((error) => out.destroy(error));
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="import-${batch.id}-rejected.xlsx"; filename*=UTF-8''${encodeURIComponent(rejectedFileName(batch.fileName))}`,
      "Cache-Control": "no-store",
    },
  });
}
