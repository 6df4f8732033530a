import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Resend's HTTP API (POST /emails and /emails/batch), for pointing the real
 * `resend` SDK at with RESEND_BASE_URL. It behaves like Resend where our guarantees depend on it:
 * - an Idempotency-Key seen before with the same body replays the first answer and sends nothing;
 *   with another body it is refused (409 invalid_idempotent_request), and while the first request is
 *   still being answered a second one gets 409 concurrent_idempotent_requests;
 * - batches in permissive mode deliver the valid messages and list the invalid ones by index;
 * - scripted answers (429 with Retry-After, 500, …) can be queued for the next requests.
 * Tests count `deliveries`: messages the "provider" accepted, each once.
 */
export interface Delivery {
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: string }[];
  idempotencyKey: string | null;
}

export interface RecordedRequest {
  path: string;
  idempotencyKey: string | null;
  messages: number;
  status: number;
  at: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ResendStandIn {
  url: string;
  apiKey: string;
  deliveries: Delivery[];
  requests: RecordedRequest[];
  /** Answers for the next requests, in order, instead of processing them. */
  script(...responses: ScriptedResponse[]): void;
  /**
   * Runs after the next delivering request has been accepted (its messages counted, its answer stored
   * for replay) and before the answer is written: the moment to kill a worker.
   */
  onNextDelivery(hook: () => Promise<void> | void): void;
  reset(): void;
  close(): Promise<void>;
}

const ADDRESS = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

function resendError(status: number, name: string, message: string): ScriptedResponse {
  return { status, body: { statusCode: status, name, message } };
}

export async function startResendStandIn(options: { apiKey?: string } = {}): Promise<ResendStandIn> {
  const apiKey = options.apiKey ?? "re_test_standin";
  const deliveries: Delivery[] = [];
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const remembered = new Map<string, { hash: string; response: ScriptedResponse | null }>();
  let deliveryHook: (() => Promise<void> | void) | null = null;

  function deliver(email: Record<string, unknown>, key: string | null): { id: string } | { error: string } {
    const to = [email.to].flat()[0];
    if (typeof to !== "string" || !ADDRESS.test(to)) return { error: `Invalid \`to\` field: ${String(to)}` };
    if (!email.from || !email.subject) return { error: "Missing `from` or `subject`" };
    // Like the provider: the batch endpoint refuses attachments.
    if (key?.startsWith("batch/") && email.attachments) return { error: "Attachments are not supported in batch" };
    const id = randomUUID();
    deliveries.push({
      id,
      from: String(email.from),
      to,
      subject: String(email.subject),
      html: String(email.html ?? ""),
      text: String(email.text ?? ""),
      attachments: Array.isArray(email.attachments) ? (email.attachments as { filename: string; content: string }[]) : [],
      idempotencyKey: key,
    });
    return { id };
  }

  async function handle(req: http.IncomingMessage, body: string): Promise<ScriptedResponse> {
    const path = (req.url ?? "").split("?")[0]!;
    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return resendError(404, "not_found", "The requested endpoint does not exist.");
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) return resendError(401, "invalid_api_key", "API key is invalid");
    const next = scripted.shift();
    if (next) return next;

    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const hash = createHash("sha256").update(path).update(body).digest("hex");
    if (key) {
      const seen = remembered.get(key);
      if (seen && seen.hash !== hash) {
        return resendError(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
      }
      if (seen && !seen.response) {
        return resendError(409, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress.");
      }
      if (seen?.response) return seen.response;
      remembered.set(key, { hash, response: null });
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      if (key) remembered.delete(key);
      return resendError(422, "validation_error", "Invalid JSON");
    }
    let response: ScriptedResponse;
    if (path === "/emails") {
      const result = deliver(payload as Record<string, unknown>, key);
      response = "error" in result ? resendError(422, "validation_error", result.error) : { status: 200, body: { id: result.id } };
    } else {
      const emails = Array.isArray(payload) ? (payload as Record<string, unknown>[]) : [];
      if (emails.length === 0 || emails.length > 100) {
        response = resendError(422, "validation_error", "A batch holds 1 to 100 emails");
      } else if (req.headers["x-batch-validation"] !== "permissive" && emails.some((e) => !ADDRESS.test(String([e.to].flat()[0])))) {
        response = resendError(422, "validation_error", "Invalid `to` field in the batch");
      } else {
        const data: { id: string }[] = [];
        const errors: { index: number; message: string }[] = [];
        emails.forEach((email, index) => {
          const result = deliver(email, key);
          if ("error" in result) errors.push({ index, message: result.error });
          else data.push({ id: result.id });
        });
        response = { status: 200, body: req.headers["x-batch-validation"] === "permissive" ? { data, errors } : { data } };
      }
    }
    if (key) {
      // Like Resend, a request that failed validation may be repeated with the same key.
      if (response.status === 200) remembered.set(key, { hash, response });
      else remembered.delete(key);
    }
    if (response.status === 200 && deliveryHook) {
      const hook = deliveryHook;
      deliveryHook = null;
      await hook();
    }
    return response;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      handle(req, body).then(
        (response) => {
          const path = (req.url ?? "").split("?")[0]!;
          let messages = 0;
          try {
            const parsed = JSON.parse(body);
            messages = Array.isArray(parsed) ? parsed.length : 1;
          } catch {
            // counted as zero
          }
          requests.push({
            path,
            idempotencyKey: (req.headers["idempotency-key"] as string) ?? null,
            messages,
            status: response.status,
            at: Date.now(),
          });
          if (res.destroyed) return;
          res.writeHead(response.status, { "content-type": "application/json", ...response.headers });
          res.end(response.body === undefined ? "" : JSON.stringify(response.body));
        },
        (error: Error) => {
          if (!res.destroyed)
            res.writeHead(500).end(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: error.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    deliveries,
    requests,
    script: (...responses) => scripted.push(...responses),
    onNextDelivery: (hook) => {
      deliveryHook = hook;
    },
    reset() {
      deliveries.length = 0;
      requests.length = 0;
      scripted.length = 0;
      remembered.clear();
      deliveryHook = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const standInErrors = {
  rateLimited: (retryAfterSeconds: number): ScriptedResponse => ({
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
    body: { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." },
  }),
  serverError: (): ScriptedResponse => resendError(500, "internal_server_error", "An unexpected error occurred."),
};
