import { z } from "zod";
import { parseIdParam } from "~/modules/organization/schema";
import { fields } from "~/utils/forms";
import { ACCOUNTABILITY_KINDS, ACCOUNTABILITY_SUBJECTS } from "~db/schema/accountability";
import { MAX_EFFECT_MONTHS } from "./rules";

/** One zod schema per form of the accountability pages; messages are i18n keys. */

export { parseIdParam };

const optionalId = () => z.preprocess((v) => (v === "" || v == null ? undefined : v), fields.id().optional());
const optionalDate = () => z.preprocess((v) => (v === "" || v == null ? undefined : v), fields.isoDate().optional());

/** Opening a record (the department): from a flag, or on its own initiative for a unit or a cadre. */
export const OpenRecordSchema = z
  .object({
    subject: z.enum(ACCOUNTABILITY_SUBJECTS, { error: "validation.invalid" }),
    unitId: optionalId(),
    /** The cadre of a cadre record, by staff number (工号), as the department writes it. */
    cadreStaffNo: fields.optionalText(40),
    flagId: optionalId(),
    /** A public rating's request (a confirmed case, or 十差 two years running) this record answers. */
    ratingRequestId: optionalId(),
    kind: z.enum(ACCOUNTABILITY_KINDS, {
      error: (issue) => (issue.input === undefined || issue.input === "" ? "validation.required" : "validation.invalid"),
    }),
    heldOn: fields.isoDate(),
    interviewers: fields.requiredText(500),
    findings: fields.requiredText(5000),
    rectification: fields.optionalText(2000),
    rectificationDue: optionalDate(),
    requestKey: z.string().trim().max(64).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.subject === "unit" && !v.unitId) ctx.addIssue({ code: "custom", path: ["unitId"], message: "validation.required" });
    if (v.subject === "cadre" && !v.cadreStaffNo) ctx.addIssue({ code: "custom", path: ["cadreStaffNo"], message: "validation.required" });
    if (v.rectificationDue && !v.rectification)
      ctx.addIssue({ code: "custom", path: ["rectification"], message: "accountability.validation.rectificationForDue" });
    if (v.rectification && !v.rectificationDue)
      ctx.addIssue({ code: "custom", path: ["rectificationDue"], message: "accountability.validation.dueForRectification" });
    if (v.rectificationDue && v.rectificationDue < v.heldOn)
      ctx.addIssue({ code: "custom", path: ["rectificationDue"], message: "accountability.validation.dueBeforeHeld" });
  });
export type OpenRecordInput = z.output<typeof OpenRecordSchema>;

/** What the record page can ask for; `intent` says which form was sent. */
export const RecordActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("report"), reportText: fields.requiredText(5000) }),
    z.object({
      intent: z.literal("attach"),
      // A browser sends an empty, nameless part when no file was chosen.
      file: z
        .instanceof(File, { error: "frontline.attachments.required" })
        .refine((f) => f.size > 0 || f.name !== "", "frontline.attachments.required"),
    }),
    z.object({ intent: z.literal("detach"), attachmentId: fields.id() }),
    z.object({ intent: z.literal("followUp"), followUp: fields.requiredText(5000) }),
    z.object({ intent: z.literal("close"), closingNote: fields.requiredText(2000) }),
  ],
  { error: "validation.invalid" },
);

const months = () =>
  z.coerce
    .number({ error: "accountability.validation.months" })
    .int("accountability.validation.months")
    .min(0, "accountability.validation.months")
    .max(MAX_EFFECT_MONTHS, "accountability.validation.months");

/** The effect period of each kind, in months. */
export const EffectPeriodsSchema = z.object(
  Object.fromEntries(ACCOUNTABILITY_KINDS.map((k) => [k, months()])) as Record<
    (typeof ACCOUNTABILITY_KINDS)[number],
    ReturnType<typeof months>
  >,
);

export const ListQuerySchema = z.object({
  status: z.enum(["open", "overdue", "inEffect", "closed", "all"]).catch("open"),
  kind: z.enum(ACCOUNTABILITY_KINDS).optional().catch(undefined),
});
