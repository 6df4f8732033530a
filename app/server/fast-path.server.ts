import type { IncomingMessage, ServerResponse } from "node:http";
import type { TrustFunction } from "./client-address.server";

/**
 * What the fast paths share (the check-in's confirm, the public rating's POST: the two requests that
 * come a thousand at a time, answered ahead of express and Remix; docs/decisions/0010, 0016).
 */

/** `next(body)`: not answered here; `body` is what was read of the request's stream, if anything. */
export type FastPathHandler = (req: IncomingMessage, res: ServerResponse, next: (body?: Uint8Array) => void) => void;

export interface FastPathOptions {
  /** The origin rule's accepted origins (app/utils/origin.server.ts). */
  acceptedOrigins: readonly string[];
  /** TRUST_PROXY, as the rest of the server applies it. */
  trust: TrustFunction;
  /** Headers every response of the server carries (security-headers.server.ts). */
  headers: Record<string, string>;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A small urlencoded form (a page's own), or null (nothing read) for anything else. */
export function readForm(req: IncomingMessage, maxBytes = 4096): Promise<Buffer> | null {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  const length = Number(req.headers["content-length"]);
  if (type !== "application/x-www-form-urlencoded" || !Number.isInteger(length) || length < 0 || length > maxBytes) return null;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Runs a fast path's work on a request: `work` reads the body (through `read`) and answers, or gives
 * null to hand the request on with the bytes read. A failure is logged without personal data and
 * handed on too: the work is idempotent or one transaction, so Remix may simply try again.
 */
export function answerOrHandOver(
  label: string,
  next: (body?: Uint8Array) => void,
  work: (read: (body: Promise<Buffer>) => Promise<Buffer>) => Promise<(() => void) | null>,
  describe: (error: unknown) => string,
) {
  let bytes: Buffer | undefined;
  const read = async (body: Promise<Buffer>) => {
    bytes = await body;
    return bytes;
  };
  work(read).then(
    (respond) => (respond ? respond() : next(bytes)),
    (error: unknown) => {
      console.error(`[${label}] handing over to Remix after ${describe(error)}`);
      next(bytes);
    },
  );
}
