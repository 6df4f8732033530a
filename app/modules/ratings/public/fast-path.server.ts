import { clientAddressOf } from "~/server/client-address.server";
import { answerOrHandOver, type FastPathHandler, type FastPathOptions, header, readForm } from "~/server/fast-path.server";
import { formValues } from "~/utils/forms";
import { describeError } from "~/utils/log.server";
import { isSameOriginRequest } from "~/utils/origin.server";
import type { Database } from "~db/client";
import { PublicRatingSchema } from "../rules";
import { submitRating, thanksLocation } from "../submit.server";

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

export function ratingFastPath(db: Database, options: FastPathOptions): FastPathHandler {
  return (req, res, next) => {
    const path = req.url?.split("?", 1)[0];
    const code = req.method === "POST" && path ? RATING_PATH.exec(path)?.[1] : undefined;
    if (!code) return next();
    const sameOrigin = isSameOriginRequest(
      "POST",
      { origin: header(req, "origin"), secFetchSite: header(req, "sec-fetch-site") },
      options.acceptedOrigins,
    );
    const form = sameOrigin ? readForm(req) : null;
    if (!form) return next();
    answerOrHandOver(
      "rating",
      next,
      async (read) => {
        const body = await read(form);
        const parsed = PublicRatingSchema.safeParse(formValues(new URLSearchParams(body.toString("utf8"))));
        if (!parsed.success) return null;
        const outcome = await submitRating(db, {
          code,
          input: parsed.data,
          cookies: header(req, "cookie"),
          address: clientAddressOf(req, options.trust),
        });
        if (outcome.kind !== "rated") return null;
        const location = thanksLocation(code, outcome);
        return () => {
          const headers: Record<string, string> = {
            ...options.headers,
            Location: location,
            "Content-Length": "0",
            "Cache-Control": "no-store",
          };
          if (outcome.setCookie) headers["Set-Cookie"] = outcome.setCookie;
          res.writeHead(303, headers);
          res.end();
        };
      },
      describeError,
    );
  };
}
