import { Resend } from "resend";
import type { Env } from "~/utils/env.server";
import { classifyProviderError, parseRetryAfter } from "./retry";

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

/** What one provider call came to, for every message in it (same order) or for the call as a whole. */
export type SendOutcome =
  | { kind: "accepted"; results: ({ id: string | null } | { error: string })[] }
  | { kind: "retry"; error: string; retryAfterMs: number | null }
  | { kind: "fail"; error: string };

export interface Transport {
  name: "resend" | "outbox";
  /** Calls count against the provider's rate limit. */
  rateLimited: boolean;
  send(emails: OutgoingEmail[], idempotencyKey: string): Promise<SendOutcome>;
}

/** A provider call that has not answered after this long is abandoned and retried (the key makes that safe). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Resend through its own SDK: one message by POST /emails, several by POST /emails/batch in permissive
 * mode (an invalid address fails alone instead of failing its batch). The client is created on first
 * use because `new Resend()` throws without a key, and the offline app never has one.
 */
export function resendTransport(config: Pick<Env, "RESEND_API_KEY" | "RESEND_BASE_URL">): Transport {
  let client: Resend | undefined;
  const resend = () =>
    (client ??= new Resend(config.RESEND_API_KEY, config.RESEND_BASE_URL ? { baseUrl: config.RESEND_BASE_URL } : undefined));
  return {
    name: "resend",
    rateLimited: true,
    async send(emails, idempotencyKey) {
      const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      if (emails.length === 1) {
        const { attachments, ...email } = emails[0]!;
        const payload = attachments?.length
          ? { ...email, attachments: attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) }
          : email;
        const { data, error, headers } = await resend().emails.send(payload, { idempotencyKey, signal });
        if (error) return failure(error, headers);
        return { kind: "accepted", results: [{ id: data.id }] };
      }
      // Messages with attachments are always claimed alone (see claimNext), so none reach the batch.
      const { data, error, headers } = await resend().batch.send(
        emails.map(({ attachments: _none, ...email }) => email),
        { idempotencyKey, batchValidation: "permissive", signal },
      );
      if (error) return failure(error, headers);
      return { kind: "accepted", results: matchBatchResults(emails.length, data.data, data.errors ?? []) };
    },
  };
}

/**
 * In permissive mode the provider lists the ids of the accepted messages in order and the rejected ones
 * by index; put them back in the order we sent them.
 */
export function matchBatchResults(
  count: number,
  ids: { id: string }[],
  errors: { index: number; message: string }[],
): ({ id: string } | { error: string })[] {
  const rejected = new Map(errors.map((e) => [e.index, e.message]));
  if (ids.length === count) return ids.map((d, i) => (rejected.has(i) ? { error: rejected.get(i)! } : { id: d.id }));
  const accepted = [...ids];
  return Array.from({ length: count }, (_, i) => {
    if (rejected.has(i)) return { error: rejected.get(i)! };
    const next = accepted.shift();
    return next ? { id: next.id } : { error: "no id returned by the provider" };
  });
}

function failure(
  error: { message?: string; statusCode?: number | null; name?: string },
  headers: Record<string, string> | null,
): SendOutcome {
  const description = `${error.statusCode ?? "network"} ${error.name ?? "error"}: ${error.message ?? ""}`.trim();
  if (classifyProviderError(error) === "fail") return { kind: "fail", error: description };
  return { kind: "retry", error: description, retryAfterMs: parseRetryAfter(headers?.["retry-after"], new Date()) };
}

/**
 * With no RESEND_API_KEY nothing leaves the machine: messages count as delivered to the in-app outbox,
 * where the admin page shows them, so the whole product works offline.
 */
export const inAppOutboxTransport: Transport = {
  name: "outbox",
  rateLimited: false,
  async send(emails) {
    return { kind: "accepted", results: emails.map(() => ({ id: null })) };
  },
};

export function defaultTransport(config: Pick<Env, "RESEND_API_KEY" | "RESEND_BASE_URL">): Transport {
  return config.RESEND_API_KEY ? resendTransport(config) : inAppOutboxTransport;
}
