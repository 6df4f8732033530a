import { z } from "zod";
import { IMPORT_KINDS } from "./columns";
import { fileExtension, IMPORT_EXTENSIONS, MAX_IMPORT_BYTES } from "./constants";

/** The upload form. The size is checked again on the request itself, before the body is read. */
export const UploadSchema = z.object({
  kind: z.enum(IMPORT_KINDS, { error: "imports.errors.kind" }),
  file: z.instanceof(File, { error: "imports.errors.fileRequired" }).superRefine((file, ctx) => {
    const problem = fileProblem(file);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

/** The first thing wrong with an uploaded file, as an i18n key; one message is enough. */
function fileProblem(file: File): string | null {
  // A browser sends an empty, nameless part when no file was chosen.
  if (file.size === 0 && file.name === "") return "imports.errors.fileRequired";
  if (!(IMPORT_EXTENSIONS as readonly string[]).includes(fileExtension(file.name))) return "imports.errors.fileType";
  if (file.size === 0) return "imports.errors.emptyFile";
  if (file.size > MAX_IMPORT_BYTES) return "imports.errors.fileTooLarge";
  return null;
}

/** Confirm or discard a previewed batch. */
export const BatchActionSchema = z.object({
  intent: z.enum(["confirm", "discard"], { error: "validation.invalid" }),
});

export const BatchIdSchema = z.coerce.number({ error: "validation.invalid" }).int().positive();
