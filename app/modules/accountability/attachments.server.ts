import { createHash } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { attachmentProblem, cleanFileName, MAX_ATTACHMENTS, sniffAttachmentType } from "~/modules/frontline/attachment-types";
import { conflict, invalid, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { accountabilityAttachments } from "~db/schema";
import { accessOf, lockRecord } from "./records.server";
import { type AccountabilityCaller, mayRead, mayReport } from "./rules";

/**
 * The rectification report's files, under the project's evidence rules (frontline/attachment-types):
 * PDF or images up to 5 MB, the type read from the bytes, five at most, the same file stored once.
 * Whoever may submit the report attaches and removes them while the record is open.
 */
export async function addReportAttachment(
  db: Database,
  caller: AccountabilityCaller,
  recordId: number,
  file: { name: string; bytes: Uint8Array },
): Promise<{ id: number; existing: boolean }> {
  const problem = attachmentProblem(file.bytes);
  if (problem) throw invalid(problem.key, "file", problem.params);
  const type = sniffAttachmentType(file.bytes)!;
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const fileName = cleanFileName(file.name, type);
  const access = await accessOf(db, caller);
  return db.transaction(async (tx) => {
    const { row, facts } = await lockRecord(tx, recordId);
    if (!mayRead(caller, access, facts)) throw notFound();
    if (!mayReport(caller, access, facts)) throw invalid("accountability.errors.notYours", "file");
    if (row.status !== "open" || row.followedUpAt) throw conflict("accountability.errors.closed", "file");
    const [existing] = await tx
      .select({ id: accountabilityAttachments.id })
      .from(accountabilityAttachments)
      .where(and(eq(accountabilityAttachments.recordId, recordId), eq(accountabilityAttachments.sha256, sha256)));
    if (existing) return { id: existing.id, existing: true };
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(accountabilityAttachments)
      .where(eq(accountabilityAttachments.recordId, recordId));
    if (n >= MAX_ATTACHMENTS) throw invalid("frontline.attachments.tooMany", "file", { max: MAX_ATTACHMENTS });
    const [added] = await tx
      .insert(accountabilityAttachments)
      .values({
        recordId,
        fileName,
        contentType: type,
        byteSize: file.bytes.byteLength,
        sha256,
        data: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
        uploadedByUserId: caller.id,
      })
      .returning({ id: accountabilityAttachments.id });
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "accountability.attachment_added",
        entityType: "accountability_record",
        entityId: recordId,
        after: { attachmentId: added!.id, fileName, contentType: type, byteSize: file.bytes.byteLength, sha256 },
      },
    );
    return { id: added!.id, existing: false };
  });
}

export async function removeReportAttachment(db: Database, caller: AccountabilityCaller, recordId: number, attachmentId: number) {
  const access = await accessOf(db, caller);
  await db.transaction(async (tx) => {
    const { row, facts } = await lockRecord(tx, recordId);
    if (!mayRead(caller, access, facts)) throw notFound();
    if (!mayReport(caller, access, facts)) throw invalid("accountability.errors.notYours", "file");
    if (row.status !== "open" || row.followedUpAt) throw conflict("accountability.errors.closed", "file");
    const [removed] = await tx
      .delete(accountabilityAttachments)
      .where(and(eq(accountabilityAttachments.id, attachmentId), eq(accountabilityAttachments.recordId, recordId)))
      .returning({ fileName: accountabilityAttachments.fileName, sha256: accountabilityAttachments.sha256 });
    // A second tap finds nothing to remove, and that is fine.
    if (!removed) return;
    await audit(
      tx,
      { userId: caller.id },
      {
        action: "accountability.attachment_removed",
        entityType: "accountability_record",
        entityId: recordId,
        before: { attachmentId, ...removed },
      },
    );
  });
}

/** A file of a record the caller may read, for download. */
export async function getReportAttachment(db: DbOrTx, caller: AccountabilityCaller, recordId: number, attachmentId: number) {
  const access = await accessOf(db, caller);
  const { facts } = await lockRecord(db, recordId, { lock: false });
  if (!mayRead(caller, access, facts)) throw notFound();
  const [file] = await db
    .select({
      fileName: accountabilityAttachments.fileName,
      contentType: accountabilityAttachments.contentType,
      data: accountabilityAttachments.data,
    })
    .from(accountabilityAttachments)
    .where(and(eq(accountabilityAttachments.id, attachmentId), eq(accountabilityAttachments.recordId, recordId)));
  if (!file) throw notFound();
  return file;
}
