import { z } from "zod";
import { parseShanghaiLocal, shanghaiInstant } from "~/utils/dates";
import { fields } from "~/utils/forms";
import { RANKS } from "~db/schema/enums";
import { MAX_OCCURRENCES } from "./recurrence";
import { SESSION_CODE } from "./rules";

/** One zod schema per form; messages are i18n keys, so the same schema serves the page and the server. */

const MAX_ID = 2_147_483_647;

const id = () =>
  z.coerce
    .number({ error: "validation.invalid" })
    .int("validation.invalid")
    .positive("validation.invalid")
    .max(MAX_ID, "validation.invalid");

/** Repeated form fields (checkboxes, multi-selects) arrive as a string or an array; none at all as undefined. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : [v].flat().filter((x) => x !== "")), z.array(item));

const checkbox = () => z.preprocess((v) => v === "on" || v === "true" || v === "1" || v === true, z.boolean());

const time = () =>
  z
    .string({ error: "validation.required" })
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "classes.validation.time");

const hours = () =>
  z.coerce
    .number({ error: "classes.validation.hours" })
    .min(0, "classes.validation.hours")
    .max(99, "classes.validation.hours")
    .refine((v) => Math.round(v * 10) === v * 10, "classes.validation.hours");

const optionalUrl = () =>
  z
    .string()
    .trim()
    .max(500, "validation.tooLong")
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.url({ protocol: /^https?$/, error: "classes.validation.url" }).nullable());

/** Staff numbers typed or pasted into a text box: separated by spaces, commas, 、 or new lines. */
const staffNumbers = () =>
  z
    .string()
    .optional()
    .transform((v) => [
      ...new Set(
        (v ?? "")
          .split(/[\s,，、;；]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(50, "validation.tooLong")).max(2000, "classes.validation.tooManyCadres"));

const dateList = () =>
  z
    .string()
    .optional()
    .transform((v) => [...new Set((v ?? "").split(/[\s,，、;；]+/).filter(Boolean))])
    .pipe(z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")).max(100, "validation.tooLong"));

/** Audience fields shared by the series and session forms; staff numbers are resolved by the service. */
const audienceFields = {
  minRank: z.preprocess((v) => (v === "" || v == null ? null : v), z.enum(RANKS, { error: "validation.invalid" }).nullable()),
  unitIds: list(id()),
  cadreStaffNos: staffNumbers(),
  excludeStaffNos: staffNumbers(),
  audienceMandatory: checkbox(),
  openRegistration: checkbox(),
};

export const RECURRENCE_KINDS = ["monthly", "weekly"] as const;
/** 1…5, and -1 for the last one of the month. */
export const MONTH_WEEKS = [1, 2, 3, 4, 5, -1] as const;

const weekday = () => z.coerce.number({ error: "validation.invalid" }).int().min(1, "validation.invalid").max(7, "validation.invalid");

export const SeriesFormSchema = z
  .object({
    intent: z.enum(["preview", "create"], { error: "validation.invalid" }),
    idempotencyKey: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{8,64}$/, "validation.invalid"),
    title: fields.requiredText(100),
    description: fields.optionalText(2000),
    recurrenceKind: z.enum(RECURRENCE_KINDS, { error: "validation.required" }),
    intervalWeeks: z.coerce
      .number({ error: "validation.invalid" })
      .int("validation.invalid")
      .min(1, "classes.validation.interval")
      .max(8, "classes.validation.interval"),
    weekdays: list(weekday()),
    monthlyWeekday: weekday(),
    monthlyWeeks: list(z.coerce.number().refine((n) => (MONTH_WEEKS as readonly number[]).includes(n), "validation.invalid")),
    startDate: fields.isoDate(),
    endDate: fields.isoDate(),
    startTime: time(),
    endTime: time(),
    exceptDates: dateList(),
    trainingHours: hours(),
    deadlineHoursBefore: z.coerce
      .number({ error: "validation.invalid" })
      .int("validation.invalid")
      .min(0, "validation.invalid")
      .max(24 * 14, "validation.invalid"),
    liveUrl: optionalUrl(),
    venueIds: list(id()),
    ...audienceFields,
  })
  .superRefine((v, ctx) => {
    if (v.recurrenceKind === "weekly" && v.weekdays.length === 0) {
      ctx.addIssue({ code: "custom", path: ["weekdays"], message: "classes.validation.weekdays" });
    }
    if (v.recurrenceKind === "monthly" && v.monthlyWeeks.length === 0) {
      ctx.addIssue({ code: "custom", path: ["monthlyWeeks"], message: "classes.validation.monthlyWeeks" });
    }
    if (v.endDate < v.startDate) ctx.addIssue({ code: "custom", path: ["endDate"], message: "classes.validation.endDate" });
    if (v.endTime <= v.startTime) ctx.addIssue({ code: "custom", path: ["endTime"], message: "classes.validation.endTime" });
  });
export type SeriesFormInput = z.output<typeof SeriesFormSchema>;

export { MAX_OCCURRENCES };

/** One date added to a series by hand. */
export const SeriesAddDateSchema = z.object({
  intent: z.literal("addDate"),
  date: fields.isoDate(),
});

export const SeriesPublishSchema = z.object({ intent: z.literal("publishDrafts") });

export const SeriesActionSchema = z.discriminatedUnion("intent", [SeriesAddDateSchema, SeriesPublishSchema], {
  error: "validation.invalid",
});

/** Materials, one per line: "讲义 | https://…" or just the link. */
const materials = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: { label: string; url: string }[] = [];
      for (const line of (v ?? "").split(/\r?\n/)) {
        const text = line.trim();
        if (!text) continue;
        const bar = text.lastIndexOf("|");
        const label = bar >= 0 ? text.slice(0, bar).trim() : "";
        const url = (bar >= 0 ? text.slice(bar + 1) : text).trim();
        if (!z.url({ protocol: /^https?$/ }).safeParse(url).success) {
          ctx.addIssue({ code: "custom", message: "classes.validation.materials" });
          return z.NEVER;
        }
        out.push({ label: label.slice(0, 100) || url, url });
      }
      return out.slice(0, 20);
    });

const tags = () =>
  z
    .string()
    .optional()
    .transform((v) =>
      [
        ...new Set(
          (v ?? "")
            .split(/[,，、;；]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ].slice(0, 10),
    )
    .pipe(z.array(z.string().max(30, "validation.tooLong")));

/** A datetime-local value (YYYY-MM-DDTHH:mm), read as Asia/Shanghai. */
const localDateTime = () =>
  z
    .string({ error: "validation.required" })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "classes.validation.dateTime")
    .transform(parseShanghaiLocal)
    .refine((d) => !Number.isNaN(d.getTime()), "classes.validation.dateTime");

export const SessionFormSchema = z
  .object({
    intent: z.literal("update"),
    title: fields.requiredText(200),
    lecturer: fields.optionalText(100),
    lecturerAffiliation: fields.optionalText(200),
    topicTags: tags(),
    description: fields.optionalText(4000),
    date: fields.isoDate(),
    startTime: time(),
    endTime: time(),
    registrationDeadline: localDateTime(),
    liveUrl: optionalUrl(),
    replayUrl: optionalUrl(),
    materials: materials(),
    trainingHours: hours(),
    ...audienceFields,
  })
  .superRefine((v, ctx) => {
    if (v.endTime <= v.startTime) ctx.addIssue({ code: "custom", path: ["endTime"], message: "classes.validation.endTime" });
    if (v.registrationDeadline > shanghaiInstant(v.date, v.startTime)) {
      ctx.addIssue({ code: "custom", path: ["registrationDeadline"], message: "classes.validation.deadlineAfterStart" });
    }
  });
export type SessionFormInput = z.output<typeof SessionFormSchema>;

const rankList = () => list(z.enum(RANKS, { error: "validation.invalid" })).pipe(z.array(z.enum(RANKS)).min(1, "classes.validation.ranks"));

const capacity = () =>
  z.coerce
    .number({ error: "classes.validation.capacity" })
    .int("classes.validation.capacity")
    .min(1, "classes.validation.capacity")
    .max(100_000, "classes.validation.capacity");

/** The session edit page's forms: details, venues, venue staff. */
export const SessionEditActionSchema = z.discriminatedUnion(
  "intent",
  [
    SessionFormSchema,
    z.object({ intent: z.literal("addVenue"), venueId: id(), capacity: capacity(), ranks: rankList() }),
    z.object({ intent: z.literal("updateVenue"), venueId: id(), capacity: capacity(), ranks: rankList() }),
    z.object({ intent: z.literal("removeVenue"), venueId: id() }),
    z.object({ intent: z.literal("addStaff"), venueId: id(), identifier: fields.requiredText(200) }),
    z.object({ intent: z.literal("removeStaff"), venueId: id(), userId: id() }),
  ],
  { error: "validation.invalid" },
);

/** Status changes on the admin session page. */
export const SessionStatusSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("publish") }),
    z.object({ intent: z.literal("close") }),
    z.object({
      intent: z.literal("cancel"),
      reason: z.string({ error: "validation.reasonRequired" }).trim().min(1, "validation.reasonRequired").max(500, "validation.tooLong"),
    }),
    z.object({ intent: z.literal("sync") }),
  ],
  { error: "validation.invalid" },
);

export const VenueFormSchema = z.object({
  name: fields.requiredText(100),
  address: fields.optionalText(200),
  capacity: capacity(),
  ranks: rankList(),
  active: checkbox(),
});
export type VenueFormInput = z.output<typeof VenueFormSchema>;

export const VenueActionSchema = z.discriminatedUnion(
  "intent",
  [VenueFormSchema.extend({ intent: z.literal("create") }), VenueFormSchema.extend({ intent: z.literal("update"), venueId: id() })],
  { error: "validation.invalid" },
);

/** What a cadre sends from a session page. `choice` is "online" or a venue id. */
export const CadreSessionActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("register"),
      choice: z.union([z.literal("online"), id()], { error: "classes.validation.choice" }),
    }),
    z.object({ intent: z.literal("leaveWaitlist") }),
    z.object({ intent: z.literal("cancel") }),
    z.object({
      intent: z.literal("askLeave"),
      reason: z
        .string({ error: "classes.validation.leaveReason" })
        .trim()
        .min(2, "classes.validation.leaveReason")
        .max(500, "validation.tooLong"),
    }),
    z.object({ intent: z.literal("withdrawLeave") }),
  ],
  { error: "validation.invalid" },
);

export const LeaveDecisionSchema = z.object({
  leaveId: id(),
  decision: z.enum(["approve", "refuse"], { error: "validation.invalid" }),
  comment: fields.optionalText(500),
});

export const ROSTER_PAGE_SIZE = 100;

export const RosterFilterSchema = z.object({
  venue: z
    .union([z.enum(["online", "waitlist", "leave", "cancelled"]), z.coerce.number().int().positive().max(MAX_ID)])
    .optional()
    .catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type RosterFilter = z.output<typeof RosterFilterSchema>;

export const SessionListFilterSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  status: z.enum(["draft", "published", "closed", "cancelled"]).optional().catch(undefined),
});

/** A session code from a URL; anything else names no session (404). */
export function parseSessionCode(value: string | undefined): string | null {
  return value && SESSION_CODE.test(value) ? value : null;
}
