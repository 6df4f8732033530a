import { z } from "zod";
import { fields } from "~/utils/forms";
import { CADRE_STATUSES, RANKS, UNIT_KINDS } from "~db/schema/enums";
import { DEGREES, EDUCATION_CODES, ETHNICITY_CODES, GENDERS, POLITICAL_STATUS_CODES } from "~db/schema/roster-codes";

/** PostgreSQL `integer` ids stop here; a larger number would be a database error, not "not found". */
const MAX_ID = 2_147_483_647;

/** A choice from a fixed list: missing is "required", anything else not on the list "invalid". */
const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => (issue.input === undefined || issue.input === "" ? "validation.required" : "validation.invalid") });

const idValue = () =>
  z.coerce
    .number({ error: "validation.invalid" })
    .int("validation.invalid")
    .positive("validation.invalid")
    .max(MAX_ID, "validation.invalid");

/** An id chosen in a select where "none" is a choice: the empty option becomes null. */
const optionalId = () => z.preprocess((v) => (v === "" || v == null ? null : v), idValue().nullable());

/**
 * A record id from a URL segment: digits only, in range. Anything else (`abc`, `1e3`, `0x10`, `-1`)
 * names no record, so routes answer 404 exactly as for an id that does not exist.
 */
export function parseIdParam(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}

// ---------------------------------------------------------------------------------------------------
// Units

export const UnitTreeFilterSchema = z.object({
  kind: z.enum(UNIT_KINDS).optional().catch(undefined),
});

const unitFields = {
  // Codes come from the department's own spreadsheets, so any letters are accepted; whitespace is not,
  // because it hides in spreadsheet cells and would make two codes look the same.
  code: fields.requiredText(40).pipe(z.string().regex(/^\S+$/, "organization.validation.code")),
  name: fields.requiredText(100),
  kind: choice(UNIT_KINDS),
  parentId: optionalId(),
};

export const UnitCreateSchema = z.object(unitFields);
export type UnitCreateInput = z.output<typeof UnitCreateSchema>;

export const UnitUpdateSchema = z.object({ ...unitFields, headCadreId: optionalId() });
export type UnitUpdateInput = z.output<typeof UnitUpdateSchema>;

export const LiaisonAddSchema = z.object({
  staffNo: fields.requiredText(40),
});

export const LiaisonRemoveSchema = z.object({
  cadreId: idValue(),
});

/** A checkbox: ticked sends "on", unticked sends nothing. */
export const DigestCopiesSchema = z.object({
  digestCopiesLiaisons: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
});

/**
 * 参与排名 and the peer group: "default" follows the unit's place in the tree, "yes"/"no" is the
 * department's choice; an empty peer group ranks the unit among those of its kind. A reason is kept
 * with the audit entry: who takes part decides who presents, commits and is flagged.
 */
export const UnitRankingSchema = z.object({
  ranked: z.enum(["default", "yes", "no"], { error: "validation.invalid" }).transform((v) => (v === "default" ? null : v === "yes")),
  rankingPeerGroup: z.preprocess((v) => (v === "" || v == null ? null : v), z.enum(UNIT_KINDS, { error: "validation.invalid" }).nullable()),
  reason: fields.requiredText(500),
});

/** The unit edit page has five forms; `intent` says which was sent. */
export const UnitEditActionSchema = z.discriminatedUnion(
  "intent",
  [
    UnitUpdateSchema.extend({ intent: z.literal("update") }),
    LiaisonAddSchema.extend({ intent: z.literal("addLiaison") }),
    LiaisonRemoveSchema.extend({ intent: z.literal("removeLiaison") }),
    DigestCopiesSchema.extend({ intent: z.literal("digestCopies") }),
    UnitRankingSchema.extend({ intent: z.literal("ranking") }),
  ],
  { error: "validation.invalid" },
);

// ---------------------------------------------------------------------------------------------------
// Cadres

export const CADRE_PAGE_SIZE = 20;
export const CADRE_STATUS_FILTERS = [...CADRE_STATUSES, "any"] as const;

/** An age bound from the URL: a whole number of years, or nothing. */
const age = () => z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(16).max(100).optional()).catch(undefined);

/**
 * Search filters come from the URL, where people edit and bookmark them: a value that makes no sense
 * falls back to its default instead of failing the page.
 */
export const CadreSearchSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  unitId: idValue().optional().catch(undefined),
  minRank: z.enum(RANKS).optional().catch(undefined),
  rank: z.enum(RANKS).optional().catch(undefined),
  status: z.enum(CADRE_STATUS_FILTERS).default("active").catch("active"),
  gender: z.enum(GENDERS).optional().catch(undefined),
  ageMin: age(),
  ageMax: age(),
  education: z
    .enum(EDUCATION_CODES as [string, ...string[]])
    .optional()
    .catch(undefined),
  /** A political status code, or "cpc" for members and probationary members together. */
  party: z
    .enum(["cpc", ...POLITICAL_STATUS_CODES] as [string, ...string[]])
    .optional()
    .catch(undefined),
  rankYears: z.coerce.number().int().min(0).max(60).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type CadreSearchInput = z.output<typeof CadreSearchSchema>;

const optionalPhone = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(
      z
        .string()
        .regex(/^[0-9+\-() ]{3,30}$/, "organization.validation.phone")
        .optional(),
    );

/** A choice that may be left empty (the roster's fields are optional): empty is null. */
const optionalChoice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" || v == null ? null : v), z.enum(values, { error: "validation.invalid" }).nullable());

/** An optional date (YYYY-MM-DD, as a date input sends it); empty is null. */
const optionalDate = () => z.preprocess((v) => (v === "" || v == null ? null : v), fields.isoDate().nullable());

export const CadreUpdateSchema = z.object({
  name: fields.requiredText(50),
  rank: choice(RANKS),
  title: fields.optionalText(100),
  email: fields.optionalEmail(),
  phone: optionalPhone(),
  status: choice(CADRE_STATUSES),
  /** When the (new) rank and post began; see updateCadre. */
  rankSince: optionalDate(),
  postSince: optionalDate(),
  gender: optionalChoice(GENDERS),
  ethnicity: optionalChoice(ETHNICITY_CODES as [string, ...string[]]),
  birthDate: optionalDate(),
  nativePlace: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), fields.requiredText(50).nullable().optional()),
  politicalStatus: optionalChoice(POLITICAL_STATUS_CODES as [string, ...string[]]),
  education: optionalChoice(EDUCATION_CODES as [string, ...string[]]),
  degree: optionalChoice(DEGREES),
  workStartDate: optionalDate(),
});
type RosterKeys =
  | "rankSince"
  | "postSince"
  | "gender"
  | "ethnicity"
  | "birthDate"
  | "nativePlace"
  | "politicalStatus"
  | "education"
  | "degree"
  | "workStartDate";
/** The record's values; the roster fields may be left out (as empty) by callers other than the form. */
export type CadreUpdateInput = Omit<z.output<typeof CadreUpdateSchema>, RosterKeys> &
  Partial<Pick<z.output<typeof CadreUpdateSchema>, RosterKeys>>;

export const CadreTransferSchema = z.object({
  unitId: z
    .string({ error: "validation.required" })
    .trim()
    .min(1, { message: "validation.required", abort: true })
    .regex(/^\d{1,10}$/, "validation.invalid")
    .transform(Number)
    .refine((n) => n > 0 && n <= MAX_ID, "validation.invalid"),
  date: fields.isoDate(),
  reason: z.string({ error: "validation.reasonRequired" }).trim().min(1, "validation.reasonRequired").max(500, "validation.tooLong"),
});
export type CadreTransferInput = z.output<typeof CadreTransferSchema>;

/** The cadre edit page has two forms: the record itself and a transfer; `intent` says which was sent. */
export const CadreEditActionSchema = z.discriminatedUnion(
  "intent",
  [CadreUpdateSchema.extend({ intent: z.literal("update") }), CadreTransferSchema.extend({ intent: z.literal("transfer") })],
  { error: "validation.invalid" },
);
