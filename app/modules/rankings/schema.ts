import { z } from "zod";
import { shanghaiInstant } from "~/utils/dates";
import { fields } from "~/utils/forms";
import { ASSESSMENT_GRADES, type AssessmentGrade, MEETING_ROLES } from "~db/schema/rankings";
import { CADRE_INDICATORS, type ModelSpec, UNIT_INDICATORS } from "./model";
import { normaliseQuarter } from "./quarter";

/** One zod schema per form, used by the route and (for the field errors) the page. Messages are i18n keys. */

export const quarterField = () =>
  z
    .string({ error: "validation.required" })
    .trim()
    .min(1, "validation.required")
    .transform((v, ctx) => {
      const q = normaliseQuarter(v);
      if (!q) {
        ctx.addIssue({ code: "custom", message: "rankings.validation.quarter" });
        return z.NEVER;
      }
      return q;
    });

const reason = () => fields.optionalText(500);
const requiredReason = () => fields.requiredText(500).pipe(z.string().min(1, "rankings.validation.reasonRequired"));

export const ComputeSchema = z.object({ intent: z.literal("compute"), quarter: quarterField(), reason: reason() });
export const PublishSchema = z.object({ intent: z.literal("publish"), rankingId: fields.id(), reason: reason() });
export const RankingIdSchema = z.object({ intent: z.enum(["discard", "verify"]), rankingId: fields.id() });

const time = () =>
  z
    .string({ error: "validation.required" })
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "rankings.validation.time");

export const MeetingSchema = z
  .object({
    date: fields.isoDate(),
    startTime: time(),
    endTime: time(),
    place: fields.requiredText(200),
    agendaSize: z.coerce
      .number({ error: "rankings.validation.agendaSize" })
      .int("rankings.validation.agendaSize")
      .min(1, "rankings.validation.agendaSize")
      .max(20, "rankings.validation.agendaSize"),
  })
  .refine((v) => v.endTime > v.startTime, { message: "rankings.validation.endsBeforeStart", path: ["endTime"] })
  .transform((v) => ({
    startsAt: shanghaiInstant(v.date, v.startTime),
    endsAt: shanghaiInstant(v.date, v.endTime),
    place: v.place,
    agendaSize: v.agendaSize,
  }));

export const RemoveItemSchema = z.object({ itemId: fields.id(), reason: requiredReason() });
export const AddItemSchema = z.object({
  unitId: fields.id(),
  role: z.enum(MEETING_ROLES, { error: "validation.invalid" }),
  reason: requiredReason(),
});
export const MinutesSchema = z.object({ minutes: z.string().max(20_000, "validation.tooLong").default("") });
export const CommitmentSchema = z.object({ unitId: fields.id(), text: fields.requiredText(2000), responsibleCadreId: fields.id() });
export const ResolveFlagSchema = z.object({ flagId: fields.id(), note: fields.requiredText(1000) });
export const SharingFormSchema = z.object({ unitTables: z.enum(["admins", "heads"]), cadreTables: z.enum(["admins", "heads"]) });

const num = (message: string) => z.coerce.number({ error: message }).refine((v) => Number.isFinite(v), message);

/** The model page's flat form → a model spec (the spec's own schema then checks the ranges). */
export const ModelFormSchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    reason: requiredReason(),
    lateWeight: num("rankings.validation.unitValue"),
    agendaSize: num("rankings.validation.agendaSize"),
    assessmentDeadlineDays: num("rankings.validation.deadlineDays"),
    ...Object.fromEntries(CADRE_INDICATORS.map((k) => [`cadre.${k}`, num("rankings.validation.weight")])),
    ...Object.fromEntries(UNIT_INDICATORS.map((k) => [`unit.${k}`, num("rankings.validation.weight")])),
    ...Object.fromEntries(ASSESSMENT_GRADES.map((g) => [`grade.${g}`, num("rankings.validation.unitValue")])),
  })
  .transform((v): { year: number; reason: string; spec: ModelSpec } => {
    const get = (k: string) => (v as unknown as Record<string, number>)[k]!;
    return {
      year: v.year,
      reason: v.reason,
      spec: {
        cadreWeights: Object.fromEntries(CADRE_INDICATORS.map((k) => [k, get(`cadre.${k}`)])) as ModelSpec["cadreWeights"],
        unitWeights: Object.fromEntries(UNIT_INDICATORS.map((k) => [k, get(`unit.${k}`)])) as ModelSpec["unitWeights"],
        params: {
          lateWeight: v.lateWeight,
          gradeValues: Object.fromEntries(ASSESSMENT_GRADES.map((g) => [g, get(`grade.${g}`)])) as ModelSpec["params"]["gradeValues"],
          agendaSize: v.agendaSize,
          assessmentDeadlineDays: v.assessmentDeadlineDays,
        },
      },
    };
  });

/**
 * The grading sheet: `grade.<cadreId>` (a grade or blank) and `comment.<cadreId>` per row. A comment
 * needs a grade beside it.
 */
export function parseGradeSheet(
  form: FormData,
):
  | { ok: true; entries: { cadreId: number; grade: AssessmentGrade | null; comment: string }[] }
  | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const entries: { cadreId: number; grade: AssessmentGrade | null; comment: string }[] = [];
  for (const [key, value] of form.entries()) {
    const m = /^grade\.(\d+)$/.exec(key);
    if (!m || typeof value !== "string") continue;
    const cadreId = Number(m[1]);
    const grade = value === "" ? null : (ASSESSMENT_GRADES as readonly string[]).includes(value) ? (value as AssessmentGrade) : undefined;
    const comment = String(form.get(`comment.${cadreId}`) ?? "").trim();
    if (grade === undefined) errors[key] = ["validation.invalid"];
    else if (comment.length > 500) errors[`comment.${cadreId}`] = ["validation.tooLong"];
    else if (comment && grade === null) errors[key] = ["rankings.validation.gradeForComment"];
    else entries.push({ cadreId, grade, comment });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, entries };
}

export const TableQuerySchema = z.object({
  tab: z.enum(["units", "cadres"]).catch("units"),
  group: z.string().max(20).optional().catch(undefined),
  q: z.string().max(50).optional().catch(undefined),
  sort: z.string().max(20).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  version: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});
