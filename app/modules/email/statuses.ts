import type { OutboxStatus } from "~db/schema";

/**
 * The outbox statuses for pages, kept free of drizzle so the browser bundle does not pull in the
 * schema; the type checks keep the list equal to the schema's.
 */
export const OUTBOX_STATUS_LIST = ["queued", "sending", "sent", "failed", "suppressed"] as const satisfies readonly OutboxStatus[];
type Missing = Exclude<OutboxStatus, (typeof OUTBOX_STATUS_LIST)[number]>;
export const outboxStatusListIsComplete: Missing extends never ? true : never = true;

export const OUTBOX_STATUS_BADGE: Record<OutboxStatus, string> = {
  queued: "",
  sending: "warn",
  sent: "ok",
  failed: "danger",
  suppressed: "warn",
};
