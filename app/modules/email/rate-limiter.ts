/**
 * Spaces provider calls evenly so that a worker stays under the provider's request rate (Resend: 2/s by
 * default). One limiter per process; across processes the drain job runs one at a time (see jobs).
 */
export interface RateLimiter {
  /** Resolves when the next call may be made. */
  take(): Promise<void>;
}

export function createRateLimiter(
  perSecond: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): RateLimiter {
  const interval = 1000 / perSecond;
  let nextFree = 0;
  return {
    async take() {
      const now = clock.now();
      const at = Math.max(now, nextFree);
      nextFree = at + interval;
      if (at > now) await clock.sleep(at - now);
    },
  };
}

const shared = new Map<number, RateLimiter>();
export function sharedRateLimiter(perSecond: number): RateLimiter {
  let limiter = shared.get(perSecond);
  if (!limiter) {
    limiter = createRateLimiter(perSecond);
    shared.set(perSecond, limiter);
  }
  return limiter;
}
