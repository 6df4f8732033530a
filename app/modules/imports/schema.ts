import { z } from "zod";
import { fileExtension, IMPORT_EXTENSIONS, MAX_IMPORT_BYTES } from "./constants";
import type { ImportParamSpec } from "./kinds";

/** The form field of a kind's extra parameter. */
export function paramField(name: string): string {
  return `param.${name}`;
}

/**
 * The upload form, for the kinds that exist (an unknown kind is a field error; whether the user may use
 * a known one is the route's guard). A kind's required parameters are checked beside their fields. The
 * size is checked again on the request itself, before the body is read.
 */
export function uploadSchema(kinds: readonly { kind: string; params?: readonly ImportParamSpec[] }[]) {
  const paramsOf = (kind: unknown) => kinds.find((k) => k.kind === kind)?.params ?? [];
  return z
    .looseObject({
      kind: z.string({ error: "imports.errors.kind" }).refine((k) => kinds.some((x) => x.kind === k), "imports.errors.kind"),
      file: z.instanceof(File, { error: "imports.errors.fileRequired" }).superRefine((file, ctx) => {
        const problem = fileProblem(file);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    })
    .superRefine((values, ctx) => {
      for (const p of paramsOf(values.kind)) {
        const value = values[paramField(p.name)];
        if (p.required && (typeof value !== "string" || !value.trim())) {
          ctx.addIssue({ code: "custom", path: [paramField(p.name)], message: "imports.errors.paramRequired" });
        }
      }
    })
    .transform((values) => ({
      kind: values.kind,
      file: values.file,
      params: Object.fromEntries(
        paramsOf(values.kind)
          .map((p) => [p.name, values[paramField(p.name)]] as const)
          .filter((e): e is readonly [string, string] => typeof e[1] === "string" && e[1].trim() !== "")
          .map(([name, value]) => [name, value.trim()]),
      ) as Record<string, string>,
    }));
}

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
