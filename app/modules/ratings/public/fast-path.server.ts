import type { IncomingMessage } from "node:http";
import { clientAddressOf, type NodeHandler, readForm, sameOrigin } from "~/modules/attendance/checkin/fast-path.server";
import type { Database } from "~db/client";
import { PublicRatingSchema } from "../rules";
import { submitRating, thanksLocation } from "../submit.server";
import { isSecure } from "./request.server";

/**
 * The rating's POST (`/r/<code>`, the page's plain form), answered before express and Remix see it
 * (docs/decisions/0016), as the check-in's confirm is: at a busy hall, or in the benchmark's burst, the
 * framework's own work per request costs more than the rating. It runs the route's own schema and
 * `submitRating` and sends the route's own answer — a 303 to the thank-you page, with the device
 * cookie when new — and hands everything else on to express and Remix, with the body it read: another
 * origin, a body it will not read, a form the schema refuses (Remix shows the errors beside the
 * fields), an unknown or retired point, a failure.
 */

export const RATING_PATH = /^\/r\/([A-Za-z0-9_-]{1,40})$/;

const keptBodies = new WeakMap<IncomingMessage, Uint8Array<ArrayBuffer>>();

/** The body read from a request handed on: server.ts builds Remix's request from these bytes. */
export function bodyReadByRating(req: IncomingMessage): Uint8Array<ArrayBuffer> | undefined {
  return keptBodies.get(req);
}

export function ratingFastPath(db: Database, options: { allowedOrigins: string[]; trustProxy: boolean }): NodeHandler {
  return (req, res, next) => {
    const path = req.url?.split("?", 1)[0];
    const code = req.method === "POST" && path ? RATING_PATH.exec(path)?.[1] : undefined;
    if (!code) return next();
    answer(db, options, req, code).then(
      (reply) => {
        if (!reply) return next();
        const headers: string[] = ["Location", reply.location, "Content-Length", "0", "Cache-Control", "no-store"];
        if (reply.setCookie) headers.push("Set-Cookie", reply.setCookie);
        res.writeHead(303, headers);
        res.end();
      },
      (error: unknown) => {
        // Nothing was written (the statement is one transaction): Remix tries again and reports what it cannot do.
        console.error(`[rating] handing over to Remix after: ${(error as Error)?.stack ?? error}`);
        next();
      },
    );
  };
}

async function answer(
  db: Database,
  options: { allowedOrigins: string[]; trustProxy: boolean },
  req: IncomingMessage,
  code: string,
): Promise<{ location: string; setCookie: string | null } | null> {
  if (!sameOrigin(req, options.allowedOrigins)) return null;
  const body = await readForm(req);
  if (!body) return null;
  keptBodies.set(req, new Uint8Array(body));
  const parsed = PublicRatingSchema.safeParse(formObject(new URLSearchParams(body.toString("utf8"))));
  if (!parsed.success) return null;
  const outcome = await submitRating(db, {
    code,
    input: parsed.data,
    cookieHeader: req.headers.cookie,
    address: clientAddressOf(req, options.trustProxy),
    secure: isSecure(requestUrl(req, options.trustProxy)),
  });
  if (outcome.kind !== "rated") return null;
  return { location: thanksLocation(code, outcome), setCookie: outcome.setCookie };
}

/** As formValues does for the route: repeated keys become arrays. */
function formObject(form: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** The URL as express builds it for Remix: only its protocol matters here (Secure cookies). */
function requestUrl(req: IncomingMessage, trustProxy: boolean): string {
  const encrypted = "encrypted" in req.socket && Boolean(req.socket.encrypted);
  const forwarded = trustProxy
    ? String(req.headers["x-forwarded-proto"] ?? "")
        .split(",", 1)[0]
        ?.trim()
    : "";
  return `${forwarded || (encrypted ? "https" : "http")}://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
}
