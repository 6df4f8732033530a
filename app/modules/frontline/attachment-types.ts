/** Evidence files accepted: photos and PDFs (scanned sign-in sheets, meeting minutes), by content type → extension. */
export const ATTACHMENT_TYPES = {
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/webp": ".webp",
  "application/pdf": ".pdf",
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

const startsWith = (bytes: Uint8Array, prefix: number[], offset = 0) => prefix.every((b, i) => bytes[offset + i] === b);

/** The file's real type from its first bytes, or null for anything we do not accept. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  return null;
}

export function isImage(type: string): boolean {
  return type.startsWith("image/");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const UNSAFE_IN_FILE_NAME = /[\u0000-\u001f\u007f"<>|:*?]/g;

/** A name safe to show and to put in a header: no path, no control characters, the right extension. */
export function cleanFileName(name: string, type: AttachmentType): string {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(UNSAFE_IN_FILE_NAME, "").trim().slice(0, 120);
  const ext = ATTACHMENT_TYPES[type];
  const stem = base.replace(/\.[^.]*$/, "") || "evidence";
  return `${stem}${ext}`;
}

/**
 * What is wrong with a file offered as evidence, as an i18n key with its parameters, or null: empty, too
 * large, or of a type its bytes do not show (a script renamed to .jpg is refused). Every evidence upload
 * (frontline records, rectification reports) goes through it.
 */
export function attachmentProblem(bytes: Uint8Array): { key: string; params?: Record<string, number> } | null {
  if (bytes.byteLength === 0) return { key: "frontline.attachments.empty" };
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES)
    return { key: "frontline.attachments.tooLarge", params: { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 } };
  if (!sniffAttachmentType(bytes)) return { key: "frontline.attachments.badType" };
  return null;
}

/**
 * An evidence file as a download: the type its bytes were checked against, no sniffing, and a sandbox,
 * so that even a crafted file cannot run script on our origin. Images open in the browser; PDFs download.
 */
export function evidenceFileResponse(file: { fileName: string; contentType: string; data: Uint8Array }, attachmentId: number): Response {
  const disposition = isImage(file.contentType) ? "inline" : "attachment";
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `${disposition}; filename="attachment-${attachmentId}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
