import { z } from "zod";
import { fields } from "~/utils/forms";
import { FRONTLINE_CATEGORIES, MAX_RECORD_DAYS } from "~db/schema/frontline";
import { intervalDays } from "./days";

/** PostgreSQL `integer` ids stop here. */
const MAX_ID = 2_147_483_647;

export { parseIdParam } from "~/modules/organization/schema";
export const MAX_LINKS = 10;
export const MAX_BULK = 200;

const idValue = () =>
  z.coerce
    .number({ error: "validation.invalid" })
    .int("validation.invalid")
    .positive("validation.invalid")
    .max(MAX_ID, "validation.invalid");

const category = () =>
  z.enum(FRONTLINE_CATEGORIES, {
    error: (issue) => (issue.input === undefined || issue.input === "" ? "validation.required" : "validation.invalid"),
  });

const longText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "validation.tooLong")
    .optional()
    .transform((v) => v ?? "");

/** One link a line; only web addresses, so nothing else can end up in an href. */
const links = () =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .max(500, "validation.tooLong")
            .refine((l) => {
              try {
                const url = new URL(l);
                return url.protocol === "https:" || url.protocol === "http:";
              } catch {
                return false;
              }
            }, "frontline.validation.link"),
        )
        .max(MAX_LINKS, "frontline.validation.tooManyLinks"),
    );

/** A spreadsheet-style place name: spaces inside are kept, but runs of them count as one. */
const place = () => fields.requiredText(200).transform((v) => v.replace(/\s+/g, " "));

export const recordFields = {
  category: category(),
  place: place(),
  startDate: fields.isoDate(),
  endDate: fields.isoDate(),
  summary: fields.requiredText(2000),
  outcome: longText(2000),
  evidence: longText(2000),
  links: links(),
};

/** End on or after the start, and not longer than a year: checked beside the end date. */
function checkDates(value: { startDate: string; endDate: string }, ctx: z.RefinementCtx) {
  if (typeof value.startDate !== "string" || typeof value.endDate !== "string") return;
  if (value.endDate < value.startDate) {
    ctx.addIssue({ code: "custom", path: ["endDate"], message: "frontline.validation.endBeforeStart" });
  } else if (intervalDays({ start: value.startDate, end: value.endDate }) > MAX_RECORD_DAYS) {
    ctx.addIssue({ code: "custom", path: ["endDate"], message: "frontline.validation.tooLong" });
  }
}

/**
 * The date check runs whenever both dates are well formed, even if other fields have problems, so that
 * one submission shows every problem beside its field.
 */
const whenDatesParse = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((i) => i.path?.[0] === "startDate" || i.path?.[0] === "endDate"),
};

/** The record form: save as a draft, or save and submit for verification in one go. */
export const RecordFormSchema = z
  .object({
    ...recordFields,
    intent: z.enum(["save", "submit"]).default("save").catch("save"),
    /** Someone recording on a cadre's behalf names them by staff number; a cadre leaves it empty. */
    staffNo: fields.optionalText(50),
    /** The revision the edit form was opened at; absent on the new-record form. */
    revision: z.coerce.number().int().positive().optional().catch(undefined),
  })
  .superRefine(checkDates, whenDatesParse);
export type RecordFormInput = z.output<typeof RecordFormSchema>;
export type RecordContent = Pick<RecordFormInput, keyof typeof recordFields>;

/** The organization department's correction of a verified record: the same fields, and a reason. */
export const CorrectionSchema = z
  .object({
    ...recordFields,
    revision: z.coerce.number().int().positive().optional().catch(undefined),
    reason: z.string({ error: "validation.reasonRequired" }).trim().min(1, "validation.reasonRequired").max(500, "validation.tooLong"),
  })
  .superRefine(checkDates, whenDatesParse);
export type CorrectionInput = z.output<typeof CorrectionSchema>;

const comment = (message: string) => z.string({ error: message }).trim().min(1, message).max(1000, "validation.tooLong");

/** What the record page can ask for; `intent` says which button was pressed. */
export const RecordActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("submit") }),
    z.object({ intent: z.literal("withdraw") }),
    z.object({ intent: z.literal("delete") }),
    z.object({ intent: z.literal("verify") }),
    z.object({ intent: z.literal("return"), comment: comment("frontline.validation.commentRequired") }),
    z.object({ intent: z.literal("reopen"), comment: comment("validation.reasonRequired") }),
    z.object({
      intent: z.literal("attach"),
      // A browser sends an empty, nameless part when no file was chosen.
      file: z
        .instanceof(File, { error: "frontline.attachments.required" })
        .refine((f) => f.size > 0 || f.name !== "", "frontline.attachments.required"),
    }),
    z.object({ intent: z.literal("detach"), attachmentId: idValue() }),
  ],
  { error: "validation.invalid" },
);
export type RecordActionInput = z.output<typeof RecordActionSchema>;

/** The queue: one record decided, or many clean ones verified together. */
export const QueueActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("verify"), recordId: idValue() }),
    z.object({ intent: z.literal("return"), recordId: idValue(), comment: comment("frontline.validation.commentRequired") }),
    z.object({
      intent: z.literal("bulkVerify"),
      recordIds: z
        .preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(idValue()))
        .pipe(z.array(z.number()).min(1, "frontline.validation.noneSelected").max(MAX_BULK, "frontline.validation.tooMany")),
    }),
  ],
  { error: "validation.invalid" },
);

const quota = () =>
  z.coerce
    .number({ error: "validation.invalid" })
    .int("frontline.validation.wholeDays")
    .min(0, "frontline.validation.quotaRange")
    .max(31, "frontline.validation.quotaRange");

export const RulesSchema = z.object({
  quotaLeading: quota(),
  quotaSection: quota(),
  quotaStaff: quota(),
  eligibilityMinDays: z.coerce
    .number({ error: "validation.invalid" })
    .int("frontline.validation.wholeDays")
    .min(1, "frontline.validation.eligibilityRange")
    .max(3650, "frontline.validation.eligibilityRange"),
});

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A period of whole months from the URL; nonsense falls back to the default (the last twelve months). */
export const MonthPeriodSchema = z.object({
  from: z.string().regex(MONTH).optional().catch(undefined),
  to: z.string().regex(MONTH).optional().catch(undefined),
});
