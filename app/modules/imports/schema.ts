import { z } from "zod";

/** The form field of a kind's extra parameter. */
export function paramField(name: string): string {
  return `param.${name}`;
}

/** Confirm or discard a previewed batch, or read its file again with another sheet. */
export const BatchActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("confirm") }),
    z.object({ intent: z.literal("discard") }),
    z.object({
      intent: z.literal("sheet"),
      sheet: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(100, "validation.tooLong"),
    }),
  ],
  { error: "validation.invalid" },
);

export const BatchIdSchema = z.coerce.number({ error: "validation.invalid" }).int().positive();
