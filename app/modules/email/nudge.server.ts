/**
 * After a transaction that queued email commits, the caller nudges the worker so the message leaves at
 * once rather than at the next tick. The job runner registers the nudge (the server and its worker are
 * one module graph, so this module's own variable is the one place it lives).
 */
let nudge: (() => void) | undefined;

export function setOutboxNudge(next: (() => void) | undefined) {
  nudge = next;
}

/** Never throws: a missed nudge only delays the message until the worker's next tick. */
export function nudgeOutbox(): void {
  try {
    nudge?.();
  } catch {
    // ignored on purpose, see above
  }
}
