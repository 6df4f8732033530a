import { z } from "zod";
import { RATING_REASONS, type RatingReason } from "~db/schema/ratings";

/**
 * The rules of public rating (扫码评议), as plain functions: what a rating form may hold, when a
 * follow-up is due, when an address is over its limit, when a day is a burst, how phones are shown,
 * and how the 十差 list is cut. docs/decisions/0015 says why the numbers are what they are.
 */

export { RATING_REASONS, type RatingReason };

/** 回访: due on the third working day after the rating's day. */
export const FOLLOW_UP_WORKING_DAYS = 3;

/** Phones are erased this many days after their case closes. */
export const PHONE_RETENTION_DAYS = 90;

/**
 * Counted ratings one address may give one point within the window. A service window serves a person
 * every few minutes, so a busy hall's shared Wi-Fi stays far below it; a script that throws its cookie
 * away after each rating meets it at once. Ratings over it are kept (evidence) but not counted.
 */
export const ADDRESS_LIMIT = { ratings: 30, windowMinutes: 10 } as const;

/**
 * A day is a burst when a point's counted ratings reach both BURST_MIN and BURST_FACTOR × its usual
 * day (the mean over the 28 days before, quiet days included).
 */
export const BURST_MIN = 30;
export const BURST_FACTOR = 5;
export const BURST_HISTORY_DAYS = 28;

export function isBurst(ratings: number, usualPerDay: number): boolean {
  return ratings >= BURST_MIN && ratings >= BURST_FACTOR * usualPerDay;
}

export const MAX_COMMENT = 500;

/** A mainland mobile (11 digits from 1[3-9]) or a landline with area code (0xx-xxxxxxx[x]); spaces and dashes ignored. */
export function normalisePhone(input: string): string | null {
  const digits = input.replace(/[\s\-()（）]/g, "").replace(/^\+?86/, "");
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (/^0\d{2,3}\d{7,8}$/.test(digits)) return digits;
  return null;
}

/** 138****5678: what lists show; the full number only on the case page, to its handlers. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  if (phone.length <= 7) return `${phone.slice(0, 2)}****`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

const reason = z.enum(RATING_REASONS, { error: "ratings.public.errors.reason" });

/**
 * The public form. The choice is the button pressed (满意 / 不满意). Reasons, text and phone belong to
 * 不满意 only and are dropped for 满意. `lng` and `text` carry the page's language and type size when
 * the browser keeps no cookies.
 */
export const PublicRatingSchema = z
  .object({
    choice: z.enum(["satisfied", "unsatisfied"], { error: "ratings.public.errors.choice" }),
    reasons: z
      .union([reason, z.array(reason)], { error: "ratings.public.errors.reason" })
      .optional()
      .transform((v) => (v === undefined ? [] : [v].flat()))
      .transform((v) => [...new Set(v)]),
    comment: z.string().trim().max(MAX_COMMENT, "ratings.public.errors.commentTooLong").optional().default(""),
    phone: z.string().trim().max(40, "ratings.public.errors.phone").optional().default(""),
  })
  .transform((v, ctx) => {
    if (v.choice === "satisfied") return { satisfied: true, reasons: [] as RatingReason[], comment: null, phone: null };
    if (!v.reasons.length) ctx.addIssue({ code: "custom", path: ["reasons"], message: "ratings.public.errors.reason" });
    let phone: string | null = null;
    if (v.phone) {
      phone = normalisePhone(v.phone);
      if (!phone) ctx.addIssue({ code: "custom", path: ["phone"], message: "ratings.public.errors.phone" });
    }
    return { satisfied: false, reasons: v.reasons, comment: v.comment || null, phone };
  });
export type PublicRatingInput = z.output<typeof PublicRatingSchema>;

/** What the thank-you page says: counted, or kept but not counted (and why). */
export const RATING_RESULTS = ["counted", "repeat", "limited"] as const;
export type RatingResult = (typeof RATING_RESULTS)[number];

/** Satisfied share, or null with nothing counted. */
export function satisfiedShare(satisfied: number, counted: number): number | null {
  return counted > 0 ? satisfied / counted : null;
}

export interface TenWorstCandidate {
  unitId: number;
  code: string;
  confirmed: number;
}

/**
 * The 十差 cut: units ordered by confirmed cases, most first, competition-ranked (1, 2, 2, 4); every
 * unit whose rank is within N is on the list, so a tie at the boundary is on it together (the list
 * then has more than N names, and says so). Units without a confirmed case are never on it.
 */
export function tenWorst<T extends TenWorstCandidate>(candidates: T[], size: number): (T & { rank: number; tied: boolean })[] {
  const sorted = candidates.filter((c) => c.confirmed > 0).sort((a, b) => b.confirmed - a.confirmed || a.code.localeCompare(b.code));
  const counts = new Map<number, number>();
  for (const c of sorted) counts.set(c.confirmed, (counts.get(c.confirmed) ?? 0) + 1);
  const out: (T & { rank: number; tied: boolean })[] = [];
  let rank = 0;
  for (const [i, c] of sorted.entries()) {
    if (i === 0 || sorted[i - 1]!.confirmed !== c.confirmed) rank = i + 1;
    if (rank > size) break;
    out.push({ ...c, rank, tied: (counts.get(c.confirmed) ?? 0) > 1 });
  }
  return out;
}
