import { encode } from "turbo-stream";
import { clientAddressOf } from "~/server/client-address.server";
import { answerOrHandOver, type FastPathHandler, type FastPathOptions, header, readForm } from "~/server/fast-path.server";
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

export function checkInFastPath(db: Database, options: FastPathOptions): FastPathHandler {
  return (req, res, next) => {
    const path = req.url?.split("?", 1)[0];
    const token = req.method === "POST" && path ? CHECK_IN_DATA_PATH.exec(path)?.[1] : undefined;
    if (!token) return next();
    const sameOrigin = isSameOriginRequest(
      "POST",
      { origin: header(req, "origin"), secFetchSite: header(req, "sec-fetch-site") },
      options.acceptedOrigins,
    );
    const form = sameOrigin ? readForm(req) : null;
    if (!form) return next();
    answerOrHandOver(
      "check-in",
      next,
      async (read) => {
        const body = await read(form);
        const answer = await confirmCheckIn(db, {
          token,
          cookies: readCookies(header(req, "cookie")),
          intent: new URLSearchParams(body.toString("utf8")).get("intent"),
          address: clientAddressOf(req, options.trust),
        });
        if (!answer) return null;
        const reply = await singleFetchBody(answer.data);
        return () => {
          res.writeHead(answer.status, {
            ...options.headers,
            "Content-Type": "text/x-script",
            "X-Remix-Response": "yes",
            "Content-Length": String(Buffer.byteLength(reply)),
          });
          res.end(reply);
        };
      },
      describeError,
    );
  };
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
