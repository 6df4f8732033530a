import { sql } from "drizzle-orm";
import { addWorkingDays } from "~/utils/china-calendar";
import { todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "~db/client";
import { hashAddress, raterDevice, ratingsKey } from "./device.server";
import { ensureUnitPoints } from "./points.server";
import { ADDRESS_LIMIT, FOLLOW_UP_WORKING_DAYS, type PublicRatingInput, type RatingResult } from "./rules";

/**
 * A rating from the public page, in one statement (docs/decisions/0016): find the point (live), count
 * the address's recent counted ratings at it, insert the rating as counted unless the device already
 * has today's counted rating there (the partial unique index decides, also between two requests at the
 * same moment) or the address is over its limit, else keep it as not counted with why; a counted
 * 不满意 opens its follow-up case, due on the third working day. Used by the route's action and by the
 * server's fast path alike, so both answer the same.
 */

export interface RatingRequest {
  code: string;
  input: PublicRatingInput;
  cookieHeader: string | null | undefined;
  address: string;
  secure: boolean;
  now?: Date;
  retried?: boolean;
}

export type RatingOutcome =
  | { kind: "unknown" }
  | { kind: "retired" }
  | { kind: "rated"; result: RatingResult; satisfied: boolean; caseDueOn: string | null; phone: boolean; setCookie: string | null };

export async function submitRating(db: DbOrTx, request: RatingRequest): Promise<RatingOutcome> {
  const key = await ratingsKey(db);
  const device = raterDevice(key, request.cookieHeader, request.secure);
  const now = request.now ?? new Date();
  const day = todayInShanghai(now);
  const dueOn = addWorkingDays(day, FOLLOW_UP_WORKING_DAYS);
  const { input } = request;
  const rows = await db.execute<{ point_id: number | null; retired: boolean | null; counted_id: string | null; reason: string | null }>(sql`
    with p as (
      select id, unit_id, retired_at is not null as retired from rating_points where code = ${request.code}
    ),
    recent as (
      select count(*)::int as n from public_ratings r join p on r.point_id = p.id
      where r.address_hash = ${hashAddress(key, request.address)} and r.counted
        and r.rated_at > ${now.toISOString()}::timestamptz - make_interval(mins => ${ADDRESS_LIMIT.windowMinutes})
    ),
    v as (
      select p.id as point_id, p.unit_id, ${now.toISOString()}::timestamptz as rated_at, ${day}::date as rated_on,
        ${input.satisfied}::boolean as satisfied, ${`{${input.reasons.join(",")}}`}::rating_reason[] as reasons,
        ${input.comment}::text as comment, ${device.deviceId}::text as device_id,
        ${hashAddress(key, request.address)}::text as address_hash, recent.n >= ${ADDRESS_LIMIT.ratings} as limited
      from p, recent where not p.retired
    ),
    first as (
      insert into public_ratings (point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, counted)
      select point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, true from v where not limited
      on conflict (point_id, device_id, rated_on) where counted do nothing
      returning id, point_id, unit_id, satisfied
    ),
    kept as (
      insert into public_ratings (point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, counted, not_counted)
      select point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, false,
        case when limited then 'address_limit' else 'repeat' end::rating_not_counted
      from v where not exists (select 1 from first)
      returning not_counted
    ),
    opened as (
      insert into rating_cases (rating_id, unit_id, point_id, opened_at, due_on, phone)
      select id, unit_id, point_id, ${now.toISOString()}::timestamptz, ${dueOn}::date, ${input.phone}::text from first where not satisfied
      returning id
    )
    select (select id from p) as point_id, (select retired from p) as retired,
      (select id::text from first) as counted_id, (select not_counted::text from kept) as reason,
      (select count(*) from opened) as cases`);
  const row = rows[0];
  if (!row?.point_id) {
    // A unit added since the points were last made gets its point now (nothing was inserted above).
    if (!request.retried && (await ensureUnitPoints(db)) > 0) return submitRating(db, { ...request, retried: true });
    return { kind: "unknown" };
  }
  if (row.retired) return { kind: "retired" };
  const result: RatingResult = row.counted_id ? "counted" : row.reason === "address_limit" ? "limited" : "repeat";
  return {
    kind: "rated",
    result,
    satisfied: input.satisfied,
    caseDueOn: result === "counted" && !input.satisfied ? dueOn : null,
    phone: Boolean(input.phone),
    setCookie: device.setCookie,
  };
}

/** Where the browser goes after a rating (post, redirect, get: a reload never rates twice). */
export function thanksLocation(code: string, outcome: Extract<RatingOutcome, { kind: "rated" }>): string {
  const params = new URLSearchParams({ result: outcome.result, choice: outcome.satisfied ? "satisfied" : "unsatisfied" });
  if (outcome.caseDueOn) params.set("due", outcome.caseDueOn);
  if (outcome.phone && outcome.caseDueOn) params.set("call", "1");
  return `/r/${encodeURIComponent(code)}/thanks?${params}`;
}
