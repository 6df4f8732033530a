/**
 * Pure rules of delivery: which provider errors are worth retrying, how long to wait, and how to read
 * Retry-After. Kept apart from the worker so they can be tested by table.
 */

/** With the default cap of 8 attempts, a message keeps trying for one to two hours of provider trouble. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 60 * 60_000;

export type ErrorClass = "retry" | "fail";

/**
 * 429 (rate or quota), 5xx and network failures (no status) may succeed later; a concurrent request
 * with the same idempotency key is still in flight at the provider. Anything else (bad address, bad
 * sender, bad key) will fail the same way again, so the message fails now and shows why.
 */
export function classifyProviderError(error: { statusCode?: number | null; name?: string | null }): ErrorClass {
  const status = error.statusCode ?? null;
  if (status === null) return "retry";
  if (status === 429 || status >= 500) return "retry";
  if (status === 409 && error.name === "concurrent_idempotent_requests") return "retry";
  return "fail";
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so that workers retrying
 * together spread out. `attempt` is the number of attempts already made (1 after the first failure).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** The provider's Retry-After is a floor: we never come back sooner than it asks. */
export function nextAttemptDelay(attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const backoff = backoffDelay(attempt, random);
  return retryAfterMs === null ? backoff : Math.max(retryAfterMs, Math.min(backoff, retryAfterMs + RETRY_BASE_MS));
}
