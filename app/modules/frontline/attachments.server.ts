import { createHash } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { cadreScopeFilter } from "~/modules/organization/access.server";
import { invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, frontlineAttachments, frontlineRecords } from "~db/schema";
import { actorOf, type FrontlineCaller, factsOf, lockRecord } from "./access.server";
import { attachmentProblem, cleanFileName, MAX_ATTACHMENTS, sniffAttachmentType } from "./attachment-types";
import { mayAct } from "./rules";

/**
 * Evidence files on a record. The type is read from the file's first bytes, never from its name or
 * what the browser claims, so a script renamed to .jpg is refused; files are served back with that
 * type, nosniff and a sandbox (see the download route).
 */

/** Attachments change with the record's content: while the recorder may edit it, or an org admin correct it. */
function mayChangeAttachments(caller: FrontlineCaller, row: Parameters<typeof factsOf>[0]): boolean {
  const actor = actorOf(caller);
  return mayAct(actor, factsOf(row), "edit") || mayAct(actor, factsOf(row), "correct");
}

export async function addAttachment(
  db: Database,
  caller: FrontlineCaller,
  recordId: number,
  file: { name: string; bytes: Uint8Array },
): Promise<{ id: number; existing: boolean }> {
  const problem = attachmentProblem(file.bytes);
  if (problem) throw invalid(problem.key, "file", problem.params);
  const type = sniffAttachmentType(file.bytes)!;
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const fileName = cleanFileName(file.name, type);
  return db.transaction(async (tx) => {
    const row = await lockRecord(tx, caller, recordId);
    if (!mayChangeAttachments(caller, row)) throw invalid("frontline.errors.notNow", "file");
    const [existing] = await tx
      .select({ id: frontlineAttachments.id })
      .from(frontlineAttachments)
      .where(and(eq(frontlineAttachments.recordId, recordId), eq(frontlineAttachments.sha256, sha256)));
    if (existing) return { id: existing.id, existing: true };
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(frontlineAttachments)
      .where(eq(frontlineAttachments.recordId, recordId));
    if (n >= MAX_ATTACHMENTS) throw invalid("frontline.attachments.tooMany", "file", { max: MAX_ATTACHMENTS });
    const [added] = await tx
      .insert(frontlineAttachments)
      .values({
        recordId,
        fileName,
        contentType: type,
        byteSize: file.bytes.byteLength,
        sha256,
        data: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
        uploadedByUserId: caller.id,
      })
      .returning({ id: frontlineAttachments.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "frontline.attachment_added",
        entityType: "frontline_record",
        entityId: recordId,
        after: { attachmentId: added!.id, fileName, contentType: type, byteSize: file.bytes.byteLength, sha256 },
      },
    );
    return { id: added!.id, existing: false };
  });
}

export async function removeAttachment(db: Database, caller: FrontlineCaller, recordId: number, attachmentId: number) {
  await db.transaction(async (tx) => {
    const row = await lockRecord(tx, caller, recordId);
    if (!mayChangeAttachments(caller, row)) throw invalid("frontline.errors.notNow", "file");
    const [removed] = await tx
      .delete(frontlineAttachments)
      .where(and(eq(frontlineAttachments.id, attachmentId), eq(frontlineAttachments.recordId, recordId)))
      .returning({ fileName: frontlineAttachments.fileName, sha256: frontlineAttachments.sha256 });
    // Removing twice (a double tap) finds nothing the second time, and that is fine.
    if (!removed) return;
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "frontline.attachment_removed",
        entityType: "frontline_record",
        entityId: recordId,
        before: { attachmentId, ...removed },
      },
    );
  });
}

/** A file for download, if its record is in the caller's scope. */
export async function getAttachment(db: DbOrTx, caller: FrontlineCaller, recordId: number, attachmentId: number) {
  const [file] = await db
    .select({
      fileName: frontlineAttachments.fileName,
      contentType: frontlineAttachments.contentType,
      data: frontlineAttachments.data,
    })
    .from(frontlineAttachments)
    .innerJoin(frontlineRecords, eq(frontlineRecords.id, frontlineAttachments.recordId))
    .innerJoin(cadres, eq(cadres.id, frontlineRecords.cadreId))
    .where(and(eq(frontlineAttachments.id, attachmentId), eq(frontlineAttachments.recordId, recordId), cadreScopeFilter(caller.scope)));
  if (!file) throw notFound();
  return file;
}
