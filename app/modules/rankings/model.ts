import { z } from "zod";
import { UNIT_KINDS, type UnitKind } from "~db/schema/enums";
import { ASSESSMENT_GRADES, type AssessmentGrade, RANKING_BANDS, type RankingBand } from "~db/schema/rankings";

export type { AssessmentGrade, RankingBand };
export { ASSESSMENT_GRADES, RANKING_BANDS };

/**
 * The scoring model: which indicators, in which order, with which weights and parameters. The order
 * is the model's order everywhere (tables, breakdowns, the CSV's `<indicator>_value` columns).
 * Pure: the model page, the SQL builder and the tests share it.
 */
export const CADRE_INDICATORS = ["attendance", "training", "frontline", "assessment"] as const;
export const UNIT_INDICATORS = ["attendance", "training", "frontline", "satisfaction"] as const;
export type CadreIndicator = (typeof CADRE_INDICATORS)[number];
export type UnitIndicator = (typeof UNIT_INDICATORS)[number];
export type Indicator = CadreIndicator | UnitIndicator;

export type SubjectKind = "units" | "cadres";

export function indicatorsOf(kind: SubjectKind): readonly Indicator[] {
  return kind === "units" ? UNIT_INDICATORS : CADRE_INDICATORS;
}

/** Peer groups in display order: units by kind, cadres by rank band. */
export function peerGroupsOf(kind: SubjectKind): readonly string[] {
  return kind === "units" ? UNIT_KINDS : RANKING_BANDS;
}
export type PeerGroup = UnitKind | RankingBand;

export interface ModelParams {
  /** A late arrival counts this much in the attendance value. */
  lateWeight: number;
  /** 平时考核: the value of each grade. */
  gradeValues: Record<AssessmentGrade, number>;
  /** K: units per peer group who present experience, and who make commitments; also the "bottom K" of flags. */
  agendaSize: number;
  /** Unit heads may grade a quarter until this many days after it ends. */
  assessmentDeadlineDays: number;
}

export interface ModelSpec {
  cadreWeights: Record<CadreIndicator, number>;
  unitWeights: Record<UnitIndicator, number>;
  params: ModelParams;
}

/** The default model, exactly as the rankings issue states it. */
export const DEFAULT_MODEL: ModelSpec = {
  cadreWeights: { attendance: 0.4, training: 0.2, frontline: 0.3, assessment: 0.1 },
  unitWeights: { attendance: 0.4, training: 0.15, frontline: 0.3, satisfaction: 0.15 },
  params: {
    lateWeight: 0.5,
    gradeValues: { good: 1, fairly_good: 0.75, average: 0.5, poor: 0 },
    agendaSize: 3,
    assessmentDeadlineDays: 15,
  },
};

/** Weights and values keep at most four decimals, so that the SQL and the tests see the same numbers. */
const fourDecimals = (v: number) => Math.abs(v * 10_000 - Math.round(v * 10_000)) < 1e-9;
const weight = z
  .number({ error: "rankings.validation.weight" })
  .min(0, "rankings.validation.weight")
  .max(1, "rankings.validation.weight")
  .refine(fourDecimals, "rankings.validation.decimals");
/** What models saved before weights had to sum to 1 may hold (up to 100 each); read, never written. */
const storedWeight = z.number().min(0).max(100).refine(fourDecimals);

/** The sum of a table's weights, exact in ten-thousandths (weights carry at most four decimals). */
export function weightSum(weights: Record<string, number>): number {
  return Object.values(weights).reduce((sum, w) => sum + Math.round(w * 10_000), 0) / 10_000;
}

/**
 * The weights that apply when some indicators have no data: those are left out and the others scaled
 * up so that they still sum to 1 (the score is Σ wᵢvᵢ ÷ Σ wᵢ over the applicable ones).
 */
export function rescaledWeights<K extends string>(weights: Record<K, number>, leftOut: readonly NoInfer<K>[]): Record<K, number | null> {
  const keys = Object.keys(weights) as K[];
  const total = keys.filter((k) => !leftOut.includes(k)).reduce((sum, k) => sum + weights[k], 0);
  return Object.fromEntries(keys.map((k) => [k, leftOut.includes(k) || !(total > 0) ? null : weights[k] / total])) as Record<
    K,
    number | null
  >;
}
const unitValue = z
  .number({ error: "rankings.validation.unitValue" })
  .min(0, "rankings.validation.unitValue")
  .max(1, "rankings.validation.unitValue")
  .refine(fourDecimals, "rankings.validation.decimals");

/** A table's weights: each in [0, 1] with four decimals at most, together exactly 1. */
const weightsOf = <K extends string>(keys: readonly K[]) =>
  z
    .object(Object.fromEntries(keys.map((k) => [k, weight])) as Record<K, typeof weight>)
    .refine((w) => Object.values(w as Record<string, number>).some((v) => v > 0), "rankings.validation.allZero")
    .refine((w) => weightSum(w as Record<string, number>) === 1, "rankings.validation.weightSum");

const storedWeightsOf = <K extends string>(keys: readonly K[]) =>
  z
    .object(Object.fromEntries(keys.map((k) => [k, storedWeight])) as Record<K, typeof storedWeight>)
    .refine((w) => Object.values(w as Record<string, number>).some((v) => v > 0));

const paramsSchema = z.object({
  lateWeight: unitValue,
  gradeValues: z.object(Object.fromEntries(ASSESSMENT_GRADES.map((g) => [g, unitValue])) as Record<AssessmentGrade, typeof unitValue>),
  agendaSize: z
    .number()
    .int("rankings.validation.agendaSize")
    .min(1, "rankings.validation.agendaSize")
    .max(20, "rankings.validation.agendaSize"),
  assessmentDeadlineDays: z
    .number()
    .int("rankings.validation.deadlineDays")
    .min(0, "rankings.validation.deadlineDays")
    .max(90, "rankings.validation.deadlineDays"),
});

/** A model as it may be saved now. */
export const ModelSpecSchema = z.object({
  cadreWeights: weightsOf(CADRE_INDICATORS),
  unitWeights: weightsOf(UNIT_INDICATORS),
  params: paramsSchema,
}) satisfies z.ZodType<ModelSpec>;

/**
 * A model as it may have been stored: versions saved before the weights had to sum to 1 keep the
 * weights they were computed with (the score divides by the sum, so they rank the same).
 */
const StoredModelSpecSchema = z.object({
  cadreWeights: storedWeightsOf(CADRE_INDICATORS),
  unitWeights: storedWeightsOf(UNIT_INDICATORS),
  params: paramsSchema,
}) satisfies z.ZodType<ModelSpec>;

/** A stored model that no longer fits the schema is read with the defaults filled in, never dropped. */
export function readModelSpec(stored: { cadreWeights: unknown; unitWeights: unknown; params: unknown }): ModelSpec {
  const merged = {
    cadreWeights: { ...DEFAULT_MODEL.cadreWeights, ...(stored.cadreWeights as object) },
    unitWeights: { ...DEFAULT_MODEL.unitWeights, ...(stored.unitWeights as object) },
    params: {
      ...DEFAULT_MODEL.params,
      ...(stored.params as object),
      gradeValues: { ...DEFAULT_MODEL.params.gradeValues, ...((stored.params as { gradeValues?: object })?.gradeValues ?? {}) },
    },
  };
  const parsed = StoredModelSpecSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_MODEL;
}

/** Weights of one subject kind, in the model's order. */
export function modelWeights(spec: ModelSpec, kind: SubjectKind): [Indicator, number][] {
  return kind === "units" ? UNIT_INDICATORS.map((k) => [k, spec.unitWeights[k]]) : CADRE_INDICATORS.map((k) => [k, spec.cadreWeights[k]]);
}

/**
 * Who sees the published tables besides the organization department. The default of the issue:
 * unit tables to unit heads (and liaisons), cadre tables to the organization department only.
 * A unit head always sees the breakdown of their own units, never another unit's.
 */
export interface SharingSettings {
  unitTables: "admins" | "heads";
  cadreTables: "admins" | "heads";
}

export const DEFAULT_SHARING: SharingSettings = { unitTables: "heads", cadreTables: "admins" };

export const SharingSchema = z.object({
  unitTables: z.enum(["admins", "heads"]),
  cadreTables: z.enum(["admins", "heads"]),
}) satisfies z.ZodType<SharingSettings>;
