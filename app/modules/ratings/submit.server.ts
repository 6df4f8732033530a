import { addWorkingDays } from "~/utils/china-calendar";
import type { CookieSource } from "~/utils/cookies.server";
import { todayInShanghai } from "~/utils/dates";
import type { DbOrTx } from "~db/client";
import { rateInBatch } from "./batcher.server";
import { hashAddress, raterDevice, ratingsKey } from "./device.server";
import { ensureUnitPoints } from "./points.server";
import { FOLLOW_UP_WORKING_DAYS, type PublicRatingInput, type RatingResult } from "./rules";

/**
 * A rating from the public page: the device from its signed cookie (or a new one), the address as a
 * keyed hash, the day in Shanghai and the follow-up's due day (the third working day after it), then
 * the one statement (statement.server.ts), batched with the ratings arriving at the same moment
 * (batcher.server.ts). Used by the route's action and by the server's fast path alike, so both answer
 * the same.
 */

export interface RatingRequest {
  code: string;
  input: PublicRatingInput;
  /** The request, or its Cookie header. */
  cookies: CookieSource;
  address: string;
  now?: Date;
  retried?: boolean;
}

export type RatingOutcome =
  | { kind: "unknown" }
  | { kind: "retired" }
  | { kind: "rated"; result: RatingResult; satisfied: boolean; caseDueOn: string | null; phone: boolean; setCookie: string | null };

export async function submitRating(db: DbOrTx, request: RatingRequest): Promise<RatingOutcome> {
  const key = await ratingsKey(db);
  const device = raterDevice(key, request.cookies);
  const now = request.now ?? new Date();
  const day = todayInShanghai(now);
  const dueOn = addWorkingDays(day, FOLLOW_UP_WORKING_DAYS);
  const { input } = request;
  const row = await rateInBatch(db, {
    row: {
      code: request.code,
      satisfied: input.satisfied,
      reasons: input.reasons,
      comment: input.comment,
      deviceId: device.deviceId,
      addressHash: hashAddress(key, request.address),
      phone: input.phone,
    },
    now,
    day,
    dueOn,
  });
  if (!row.pointId) {
    // A unit added since the points were last made gets its point now (nothing was inserted above).
    if (!request.retried && (await ensureUnitPoints(db)) > 0) return submitRating(db, { ...request, retried: true });
    return { kind: "unknown" };
  }
  if (row.retired) return { kind: "retired" };
  const result: RatingResult = row.counted ? "counted" : row.limited ? "limited" : "repeat";
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
