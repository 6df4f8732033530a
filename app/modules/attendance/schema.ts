import { z } from "zod";
import { isSessionCode } from "~/modules/classes/rules";
import type { AttendanceStatus } from "~db/schema/attendance";

/** One zod schema per form; messages are i18n keys, so the same schema serves the page and the server. */

const MAX_ID = 2_147_483_647;

/** An id from the URL; anything else is a page that does not exist. */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 && n <= MAX_ID ? n : null;
}

export function parseCode(value: string | undefined): string | null {
  return isSessionCode(value) ? value : null;
}

const id = () =>
  z.coerce
    .number({ error: "validation.invalid" })
    .int("validation.invalid")
    .positive("validation.invalid")
    .max(MAX_ID, "validation.invalid");

/** The roster's one-tap statuses, in button order. (Not imported from the db schema: this file reaches the browser.) */
export const MARKABLE_STATUSES = ["present", "late", "absent", "excused"] as const satisfies readonly AttendanceStatus[];
const ATTENDANCE_STATUSES = MARKABLE_STATUSES;

export const MarkSchema = z.object({
  cadreId: id(),
  status: z.enum(ATTENDANCE_STATUSES, { error: "attendance.validation.status" }),
});

export const CorrectionSchema = z.object({
  cadreId: id(),
  status: z.enum(ATTENDANCE_STATUSES, { error: "attendance.validation.status" }),
  reason: z
    .string({ error: "attendance.errors.reasonRequired" })
    .trim()
    .min(1, "attendance.errors.reasonRequired")
    .max(500, "validation.tooLong"),
});

export const FlagReviewSchema = z.object({
  flagId: id(),
  decision: z.enum(["dismissed", "confirmed"], { error: "validation.invalid" }),
  note: z.string().trim().max(500, "validation.tooLong").optional().default(""),
});

export const MakeupSubmitSchema = z.object({
  sessionId: id(),
  note: z.string().trim().max(500, "validation.tooLong").optional().default(""),
});

export const MakeupDecisionSchema = z.object({
  makeupId: id(),
  decision: z.enum(["confirmed", "rejected"], { error: "validation.invalid" }),
  comment: z.string().trim().max(500, "validation.tooLong").optional().default(""),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A period from the URL (from, to inclusive as typed; the services take `to` exclusive). Bad values fall back. */
export const PeriodQuerySchema = z.object({
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
});

const int = (min: number, max: number, key: string) => z.coerce.number({ error: key }).int(key).min(min, key).max(max, key);
const num = (min: number, max: number, key: string) => z.coerce.number({ error: key }).min(min, key).max(max, key);

/** The settings form: percentages as whole numbers on the page, shares in the stored rules. */
export const RulesFormSchema = z.object({
  graceMinutes: int(0, 120, "attendance.validation.graceMinutes"),
  opensMinutesBefore: int(0, 240, "attendance.validation.opensMinutesBefore"),
  onlinePercent: int(5, 100, "attendance.validation.percent"),
  latePercent: int(0, 100, "attendance.validation.percent"),
  rotationSeconds: int(10, 600, "attendance.validation.rotationSeconds"),
  autoCloseHours: int(1, 72, "attendance.validation.autoCloseHours"),
  hoursLeading: num(0, 1000, "attendance.validation.hours"),
  hoursSection: num(0, 1000, "attendance.validation.hours"),
  hoursStaff: num(0, 1000, "attendance.validation.hours"),
  lowSessions: int(1, 50, "attendance.validation.lowSessions"),
  lowPercent: int(5, 100, "attendance.validation.percent"),
  deviceCadres: int(2, 100, "attendance.validation.deviceCadres"),
  addressCadres: int(2, 10_000, "attendance.validation.addressCadres"),
  addressWindowSeconds: int(10, 3600, "attendance.validation.addressWindowSeconds"),
});
