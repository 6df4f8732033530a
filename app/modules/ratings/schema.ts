import { z } from "zod";
import { fields } from "~/utils/forms";
import { RATING_CASE_STATES, RATING_FINDINGS } from "~db/schema/ratings";

/** The forms of the ratings pages (one zod schema each; messages are i18n keys). */

export const CallSchema = z.object({
  intent: z.literal("call"),
  reached: z.enum(["yes", "no"], { error: "ratings.cases.errors.reached" }).transform((v) => v === "yes"),
  note: fields.requiredText(1000),
});

export const FindingSchema = z
  .object({
    intent: z.literal("finding"),
    finding: z.enum(RATING_FINDINGS, { error: "ratings.cases.errors.finding" }),
    findingNote: fields.requiredText(2000),
    rectification: fields.optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.finding === "confirmed" && !v.rectification) {
      ctx.addIssue({ code: "custom", path: ["rectification"], message: "ratings.cases.errors.rectification" });
    }
  });

export const ReviewSchema = z.object({
  intent: z.literal("review"),
  decision: z.enum(["close", "return", "accountability"], { error: "ratings.cases.errors.decision" }),
  note: fields.requiredText(2000),
});

export const CaseActionSchema = z.discriminatedUnion("intent", [CallSchema, FindingSchema, ReviewSchema], {
  error: "validation.invalid",
});
export type CaseAction = z.output<typeof CaseActionSchema>;

export const CaseFilterSchema = z.object({
  state: z.enum([...RATING_CASE_STATES, "overdue", "all"]).catch("all"),
  unit: z.coerce.number().int().positive().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type CaseFilter = z.output<typeof CaseFilterSchema>;

export const AddPointSchema = z.object({ intent: z.literal("add"), unitId: fields.id(), name: fields.requiredText(60) });
export const RetirePointSchema = z.object({ intent: z.literal("retire"), pointId: fields.id(), reason: fields.requiredText(500) });
export const PointActionSchema = z.discriminatedUnion("intent", [AddPointSchema, RetirePointSchema], { error: "validation.invalid" });

export const DiscountSchema = z.object({
  burstId: fields.id(),
  decision: z.enum(["keep", "discount"], { error: "ratings.bursts.errors.decision" }),
  reason: fields.requiredText(1000),
});

export const TenWorstSchema = z.object({
  year: z.coerce.number({ error: "validation.invalid" }).int().min(2000, "validation.invalid").max(2100, "validation.invalid"),
  size: z.coerce
    .number({ error: "validation.invalid" })
    .int("validation.invalid")
    .min(1, "ratings.tenWorst.errors.size")
    .max(100, "ratings.tenWorst.errors.size"),
  reason: fields.requiredText(2000),
});
