import type { IncomingMessage, ServerResponse } from "node:http";
import { encode } from "turbo-stream";
import { clientAddressOf, type TrustFunction } from "~/server/client-address.server";
import { readCookies } from "~/utils/cookies.server";
import { describeError } from "~/utils/log.server";
import { isSameOriginRequest } from "~/utils/origin.server";
import type { Database } from "~db/client";
import { confirmCheckIn } from "./confirm.server";

/**
 * The confirm button's POST, answered before express and Remix see it (docs/decisions/0010). At peak a
 * thousand phones send exactly this request within minutes, and the framework's own work per request
 * (express's request decoration and router: 0.15 ms; Remix's route matching and single-fetch machinery:
 * several times the check-in itself) cost more than the check-in. This handler calls the route's own
 * confirm function (confirmCheckIn) and answers what the route's action would, encoded by turbo-stream
 * as Remix's single fetch encodes it; everything that function leaves to the signed-in user (no login,
 * a forged or stale code, a walk-in…) it hands on (`next(body)`: express, then Remix, with the bytes
 * it read), and so does every request it will not read or that fails the origin rule.
 *
 * It serves only the page's fetcher (`/c/<token>.data`, Remix's single-fetch address for the route's
 * action); the form posted without JavaScript asks for a whole page and goes to Remix.
 */

/** The route's single-fetch address: `/c/<token>.data`. */
export const CHECK_IN_DATA_PATH = /^\/c\/([A-Za-z0-9_-]{42})\.data$/;

/** A confirm is `intent=confirm`; anything much bigger is not the page's form. */
const MAX_BODY_BYTES = 4096;

/** `next(body)`: not answered here; `body` is what was read of the request's stream, if anything. */
export type FastPathHandler = (req: IncomingMessage, res: ServerResponse, next: (body?: Uint8Array) => void) => void;

export interface FastPathOptions {
  /** The origin rule's accepted origins (app/utils/origin.server.ts). */
  acceptedOrigins: readonly string[];
  /** TRUST_PROXY, as the rest of the server applies it. */
  trust: TrustFunction;
  /** Headers every response of the server carries (app/server/security-headers.server.ts). */
  headers: Record<string, string>;
}

export function checkInFastPath(db: Database, options: FastPathOptions): FastPathHandler {
  return (req, res, next) => {
    const path = req.url?.split("?", 1)[0];
    const token = req.method === "POST" && path ? CHECK_IN_DATA_PATH.exec(path)?.[1] : undefined;
    if (!token) return next();
    const origin = isSameOriginRequest(
      "POST",
      { origin: header(req, "origin"), secFetchSite: header(req, "sec-fetch-site") },
      options.acceptedOrigins,
    );
    if (!origin) return next();
    const body = readForm(req);
    if (!body) return next();
    let read: Buffer | undefined;
    const settle = async () => {
      read = await body;
      const answer = await confirmCheckIn(db, {
        token,
        cookies: readCookies(header(req, "cookie")),
        intent: new URLSearchParams(read.toString("utf8")).get("intent"),
        address: clientAddressOf(req, options.trust),
      });
      return answer ? { status: answer.status, reply: await singleFetchBody(answer.data) } : null;
    };
    settle().then(
      (answered) => {
        if (!answered) return next(read);
        res.writeHead(answered.status, {
          ...options.headers,
          "Content-Type": "text/x-script",
          "X-Remix-Response": "yes",
          "Content-Length": String(Buffer.byteLength(answered.reply)),
        });
        res.end(answered.reply);
      },
      (error: unknown) => {
        // The statement is idempotent, so Remix may simply try again; it also reports what it cannot do.
        console.error(`[check-in] handing over to Remix after ${describeError(error)}`);
        next(read);
      },
    );
  };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The urlencoded body of the page's form, or null (not read) for anything else. */
function readForm(req: IncomingMessage): Promise<Buffer> | null {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  const length = Number(req.headers["content-length"]);
  if (type !== "application/x-www-form-urlencoded" || !Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) return null;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** An action's data as Remix's single fetch sends it: `{ data }`, encoded by turbo-stream (Remix's own encoder). */
export async function singleFetchBody(data: unknown): Promise<string> {
  let out = "";
  const decoder = new TextDecoder();
  const reader = encode({ data }).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out + decoder.decode();
    out += decoder.decode(value, { stream: true });
  }
}
