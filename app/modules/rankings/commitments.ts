import { nextQuarter, quarterPeriod } from "./quarter";

/**
 * A commitment's state as people read it: done, or open — and overdue once an open commitment is past
 * its deadline. Overdue is never stored; it follows from the date. Pure.
 */
export type CommitmentState = "open" | "done" | "overdue";

export function commitmentState(c: { status: "open" | "done"; deadline: string }, today: string): CommitmentState {
  if (c.status === "done") return "done";
  return c.deadline < today ? "overdue" : "open";
}

/**
 * Overdue on a given day (the day of a later meeting): the deadline had passed, and it was not done
 * by then — still open, or done only afterwards.
 */
export function overdueOn(c: { status: "open" | "done"; deadline: string; doneOn: string | null }, day: string): boolean {
  return c.deadline < day && (c.status === "open" || (c.doneOn !== null && c.doneOn > day));
}

/** A commitment at a quarter's meeting is due by default when the next quarter ends: its ranking tells. */
export function defaultCommitmentDeadline(meetingQuarter: string): string {
  return quarterPeriod(nextQuarter(meetingQuarter)).lastDay;
}
