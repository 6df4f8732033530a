/**
 * After a transaction that queued email commits, the caller nudges the worker so the message leaves at
 * once rather than at the next tick. The job runner registers the nudge; it lives on globalThis because
 * the server (run by tsx) and the Remix build each load their own copy of this module.
 */
const KEY = Symbol.for("luoshi.email.nudge");
type Holder = { [KEY]?: () => void };

export function setOutboxNudge(nudge: (() => void) | undefined) {
  (globalThis as Holder)[KEY] = nudge;
}

/** Never throws: a missed nudge only delays the message until the worker's next tick. */
export function nudgeOutbox(): void {
  try {
    (globalThis as Holder)[KEY]?.();
  } catch {
    // ignored on purpose, see above
  }
}
