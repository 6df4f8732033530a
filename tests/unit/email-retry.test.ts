import { describe, expect, it } from "vitest";
import { createRateLimiter } from "~/modules/email/rate-limiter";
import { backoffDelay, classifyProviderError, nextAttemptDelay, parseRetryAfter, RETRY_CAP_MS } from "~/modules/email/retry";
import { matchBatchResults } from "~/modules/email/transports.server";

describe("classifyProviderError", () => {
  it.each([
    [{ statusCode: 429, name: "rate_limit_exceeded" }, "retry"],
    [{ statusCode: 429, name: "daily_quota_exceeded" }, "retry"],
    [{ statusCode: 500, name: "internal_server_error" }, "retry"],
    [{ statusCode: 503, name: "application_error" }, "retry"],
    [{ statusCode: null, name: "application_error" }, "retry"],
    [{ statusCode: 409, name: "concurrent_idempotent_requests" }, "retry"],
    [{ statusCode: 409, name: "invalid_idempotent_request" }, "fail"],
    [{ statusCode: 422, name: "validation_error" }, "fail"],
    [{ statusCode: 401, name: "invalid_api_key" }, "fail"],
    [{ statusCode: 403, name: "invalid_from_address" }, "fail"],
  ] as const)("%o → %s", (error, expected) => {
    expect(classifyProviderError(error)).toBe(expected);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-05-01T00:00:00Z");
  it.each([
    ["30", 30_000],
    ["1.5", 1500],
    ["Fri, 01 May 2026 00:01:00 GMT", 60_000],
    ["Thu, 30 Apr 2026 23:00:00 GMT", 0],
    ["soon", null],
    ["", null],
    [null, null],
  ] as const)("%s → %s ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("backoff", () => {
  it("doubles per attempt with jitter between half and the whole step, up to the cap", () => {
    expect(backoffDelay(1, () => 0)).toBe(15_000);
    expect(backoffDelay(1, () => 1)).toBe(30_000);
    expect(backoffDelay(2, () => 0)).toBe(30_000);
    expect(backoffDelay(3, () => 1)).toBe(120_000);
    expect(backoffDelay(30, () => 1)).toBe(RETRY_CAP_MS);
    expect(backoffDelay(30, () => 0)).toBe(RETRY_CAP_MS / 2);
  });

  it("never comes back sooner than Retry-After asks", () => {
    for (const random of [0, 0.5, 1]) {
      expect(nextAttemptDelay(1, 30_000, () => random)).toBeGreaterThanOrEqual(30_000);
      expect(nextAttemptDelay(1, 30_000, () => random)).toBeLessThanOrEqual(60_000);
      expect(nextAttemptDelay(8, 1_000, () => random)).toBeGreaterThanOrEqual(1_000);
    }
    expect(nextAttemptDelay(2, null, () => 0)).toBe(30_000);
  });
});

describe("matchBatchResults", () => {
  it("puts provider ids and per-message errors back in the order sent", () => {
    expect(matchBatchResults(3, [{ id: "a" }, { id: "c" }], [{ index: 1, message: "bad to" }])).toEqual([
      { id: "a" },
      { error: "bad to" },
      { id: "c" },
    ]);
    expect(matchBatchResults(2, [{ id: "a" }, { id: "b" }], [])).toEqual([{ id: "a" }, { id: "b" }]);
    expect(matchBatchResults(2, [{ id: "a" }], [])).toEqual([{ id: "a" }, { error: "no id returned by the provider" }]);
  });
});

describe("rate limiter", () => {
  it("spaces calls evenly at the configured rate", async () => {
    let now = 0;
    const starts: number[] = [];
    const limiter = createRateLimiter(2, {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    for (let i = 0; i < 5; i++) {
      await limiter.take();
      starts.push(now);
    }
    expect(starts).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it("does not make an idle worker wait", async () => {
    let now = 0;
    const limiter = createRateLimiter(2, {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await limiter.take();
    now = 10_000;
    await limiter.take();
    expect(now).toBe(10_000);
  });
});
