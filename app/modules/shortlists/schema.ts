import { z } from "zod";
import { parseShanghaiLocal } from "~/utils/dates";
import { fields } from "~/utils/forms";
import { RANKS } from "~db/schema/enums";
import { SHORTLIST_DECISIONS, type ShortlistRules } from "~db/schema/shortlists";
import { RULE_LIMITS } from "./rules";

/** One zod schema per form; messages are i18n keys, shown beside the field they concern. */

const checkbox = () =>
  z
    .union([z.literal("on"), z.literal("true"), z.literal("1"), z.literal("")])
    .optional()
    .transform((v) => v === "on" || v === "true" || v === "1");

const optionalNumber = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : undefined));

const RULE_FIELDS = new Set<PropertyKey>([
  "useMinRank",
  "minRank",
  "useAttendance",
  "attendanceRate",
  "attendanceQuarters",
  "useTrainingHours",
  "trainingYear",
  "useTopPercent",
  "topPercent",
  "topQuarters",
]);

/**
 * zod skips a refinement once any field fails outright (a quota that is not a number, a missing field),
 * which hid a bad rule parameter until the next submission. The rule check runs whenever the fields it
 * reads parsed, so that one submission shows every problem beside its field.
 */
const whenRulesParse = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((i) => RULE_FIELDS.has(i.path?.[0] ?? "")),
};

/** A datetime-local value (YYYY-MM-DDTHH:mm), read as Asia/Shanghai. */
const shanghaiDateTime = () =>
  z
    .string({ error: "shortlists.validation.deadline" })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "shortlists.validation.deadline")
    .transform(parseShanghaiLocal)
    .refine((d) => !Number.isNaN(d.getTime()), "shortlists.validation.deadline");

export const RoundFormSchema = z
  .object({
    name: fields.requiredText(100),
    description: fields.optionalText(2000),
    quota: z.coerce
      .number({ error: "shortlists.validation.quota" })
      .int("shortlists.validation.quota")
      .min(1, "shortlists.validation.quota")
      .max(10_000, "shortlists.validation.quota"),
    deadline: shanghaiDateTime(),
    useMinRank: checkbox(),
    minRank: z.enum(RANKS).optional().catch(undefined),
    useFrontline: checkbox(),
    useAttendance: checkbox(),
    attendanceRate: optionalNumber(),
    attendanceQuarters: optionalNumber(),
    useTrainingHours: checkbox(),
    trainingYear: optionalNumber(),
    useTopPercent: checkbox(),
    topPercent: optionalNumber(),
    topQuarters: optionalNumber(),
    useNoOpenFlag: checkbox(),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const between = (x: number | undefined, min: number, max: number, integer = true) =>
      x !== undefined && Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isInteger(x));
    const { quarters, percent, year } = RULE_LIMITS;
    if (v.useMinRank && !v.minRank) issue("minRank", "shortlists.validation.minRank");
    if (v.useAttendance) {
      if (!between(v.attendanceRate, 1, 100, false)) issue("attendanceRate", "shortlists.validation.rate");
      if (!between(v.attendanceQuarters, quarters.min, quarters.max)) issue("attendanceQuarters", "shortlists.validation.quarters");
    }
    if (v.useTrainingHours && !between(v.trainingYear, year.min, year.max)) issue("trainingYear", "shortlists.validation.year");
    if (v.useTopPercent) {
      if (!between(v.topPercent, percent.min, percent.max)) issue("topPercent", "shortlists.validation.percent");
      if (!between(v.topQuarters, quarters.min, quarters.max)) issue("topQuarters", "shortlists.validation.quarters");
    }
  }, whenRulesParse)
  .transform((v): RoundInput => {
    const rules: ShortlistRules = {};
    if (v.useMinRank && v.minRank) rules.minRank = v.minRank;
    if (v.useFrontline) rules.frontline = true;
    if (v.useAttendance) rules.attendance = { minRate: Math.round(v.attendanceRate! * 100) / 10_000, quarters: v.attendanceQuarters! };
    if (v.useTrainingHours) rules.trainingHours = { year: v.trainingYear! };
    if (v.useTopPercent) rules.topPercent = { percent: v.topPercent!, quarters: v.topQuarters! };
    if (v.useNoOpenFlag) rules.noOpenFlag = true;
    return { name: v.name, description: v.description ?? "", quota: v.quota, deadline: v.deadline, rules };
  });

export interface RoundInput {
  name: string;
  description: string;
  quota: number;
  deadline: Date;
  rules: ShortlistRules;
}

export const NominationSchema = z.object({
  intent: z.literal("nominate"),
  recommendation: fields.requiredText(2000),
  overrideReason: fields.optionalText(1000),
});

export const WithdrawSchema = z.object({ intent: z.literal("withdraw"), nominationId: fields.id() });

export const DecisionSchema = z.object({
  intent: z.literal("decide"),
  nominationId: fields.id(),
  decision: z.enum(SHORTLIST_DECISIONS, { error: "shortlists.validation.decision" }),
  reason: fields.requiredText(1000),
});

export const PublishSchema = z.object({
  intent: z.literal("publish"),
  /** The version the page showed as the latest: a second click of the same button changes nothing. */
  expectedVersion: z.coerce.number().int().min(0).max(100_000),
  reason: fields.optionalText(1000),
});

export const CandidateQuerySchema = z.object({
  tab: z.enum(["candidates", "nominations", "list"]).optional().catch(undefined),
  unit: z.coerce.number().int().positive().optional().catch(undefined),
  eligible: z.enum(["1"]).optional().catch(undefined),
  nominated: z.enum(["1"]).optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  version: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
export type CandidateQuery = z.infer<typeof CandidateQuerySchema>;

/** The candidate table's filters as the page's address gives them (the export keeps the same). */
export function candidateFilter(query: CandidateQuery) {
  return { unit: query.unit, eligible: query.eligible === "1", nominated: query.nominated === "1", q: query.q, page: query.page };
}

export const ExportQuerySchema = CandidateQuerySchema.extend({
  kind: z.enum(["list", "evidence"]).catch("list"),
  format: z.enum(["csv", "xlsx"]).catch("csv"),
});
