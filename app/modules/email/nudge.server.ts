/**
 * After a transaction that queued email commits, the caller nudges the worker so the message leaves at
 * once rather than at the next tick. The job runner registers the nudge (the server and its worker are
 * one module graph, so this module's own variable is the one place it lives).
 */
let nudge: (() => Promise<unknown> | undefined) | undefined;

export function setOutboxNudge(next: (() => Promise<unknown> | undefined) | undefined) {
  nudge = next;
}

/**
 * Never throws nor rejects: a missed nudge only delays the message until the worker's next tick. The
 * promise settles once the nudge has been handed to the job queue; callers need not wait for it.
 */
export async function nudgeOutbox(): Promise<void> {
  try {
    await nudge?.();
  } catch {
    // ignored on purpose, see above
  }
}
