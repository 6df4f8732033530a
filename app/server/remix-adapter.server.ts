import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, type ServerBuild } from "@remix-run/node";
import { REQUEST_ID_HEADER } from "~/utils/page-context";
import { CLIENT_ADDRESS_HEADER } from "~/utils/request.server";
import { completeHeaders } from "./security-headers.server";

/**
 * Node's request and response to Remix's and back, with @remix-run/node's public API only (what
 * @remix-run/express does, plus what this app needs):
 *
 * - the Request's URL is the app origin (APP_ORIGIN) and the path, never the Host or X-Forwarded-Host
 *   header; Remix's own cross-site check is handed the same origin, so the origin rule
 *   (app/utils/origin.server.ts), applied before, is the only one;
 * - the client address (TRUST_PROXY applied) and a fresh request id travel as headers of our own,
 *   overwriting any a client sent;
 * - a body the check-in fast path already read is given to Remix as those bytes;
 * - the response gets the headers every response carries (security-headers.server.ts) and the request
 *   id, which is also the id of any error it reports.
 */
export interface RemixRequestContext {
  origin: string;
  acceptedOrigins: readonly string[];
  clientAddress: string;
  /** Bytes of the body already read from the stream. */
  body?: Uint8Array;
}

export function remixHandler(build: ServerBuild, mode: string) {
  const handle = createRequestHandler(build, mode);
  return async (req: IncomingMessage, res: ServerResponse, context: RemixRequestContext) => {
    const request = remixRequest(req, res, context);
    const response = await handle(request);
    const headers = new Headers(response.headers);
    completeHeaders(headers);
    headers.set(REQUEST_ID_HEADER, request.headers.get(REQUEST_ID_HEADER)!);
    await send(res, response, headers);
  };
}

export function newRequestId(): string {
  return randomBytes(5).toString("hex").toUpperCase();
}

function remixRequest(req: IncomingMessage, res: ServerResponse, context: RemixRequestContext): Request {
  const url = new URL(req.url ?? "/", context.origin);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    for (const one of [value].flat()) headers.append(name, one);
  }
  headers.set("host", url.host);
  headers.delete("x-forwarded-host");
  const origin = headers.get("origin");
  if (origin && context.acceptedOrigins.includes(origin)) headers.set("origin", context.origin);
  else headers.delete("origin");
  headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress);
  headers.set(REQUEST_ID_HEADER, newRequestId());

  let controller: AbortController | null = new AbortController();
  res.on("finish", () => {
    controller = null;
  });
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = context.body ? new Uint8Array(context.body) : createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url, init);
}

async function send(res: ServerResponse, response: Response, headers: Headers) {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of headers) {
    if (name === "set-cookie") continue;
    res.setHeader(name, value);
  }
  const cookies = headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (!response.body) return void res.end();
  // Written without a flush per chunk (which @remix-run/node's helper does): compression then works on
  // the whole page instead of 2 kB pieces (a page compressed half as well). Nothing here streams late.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (res.destroyed) break;
    if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
  }
  res.end();
}
