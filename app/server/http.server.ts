import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler } from "express";
import { checkInFastPath } from "~/modules/attendance/checkin/fast-path.server";
import { ratingFastPath } from "~/modules/ratings/public/fast-path.server";
import type { Env } from "~/utils/env.server";
import { describeError } from "~/utils/log.server";
import { acceptedOrigins, appOrigin, CROSS_SITE_REFUSAL, isSameOriginRequest } from "~/utils/origin.server";
import { REQUEST_ID_HEADER } from "~/utils/page-context";
import type { Database } from "~db/client";
import { clientAddressOf, trustFunction } from "./client-address.server";
import { newRequestId, remixHandler } from "./remix-adapter.server";
import { baseHeaders, RESOURCE_POLICY } from "./security-headers.server";

/** Endpoints called by other servers (signed webhooks) rather than by our own pages. */
const CROSS_SITE_PATHS = [/^\/webhooks\//];

/**
 * The whole of what the server answers, in order: the fast paths of the check-in's confirm and the
 * public rating's POST (ahead of everything, docs/decisions/0010 and 0016); then express: the headers every response carries, compression,
 * static files (robots.txt among them), the origin rule for every mutation, and Remix. One module
 * graph: the fast path, the app and the worker share this process's pool and caches.
 */
export function createHttpHandler(options: { build: ServerBuild; db: Database; config: Env }): RequestListener {
  const trust = trustFunction(options.config.TRUST_PROXY);
  const origin = appOrigin();
  const accepted = acceptedOrigins();
  const headers = baseHeaders();
  const fastPathOptions = { acceptedOrigins: accepted, trust, headers };
  const checkInConfirm = checkInFastPath(options.db, fastPathOptions);
  const rating = ratingFastPath(options.db, fastPathOptions);
  const remix = remixHandler(options.build, options.config.NODE_ENV);
  const readBodies = new WeakMap<IncomingMessage, Uint8Array>();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trust);
  app.use((_req, res, next) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  });
  app.use(compression());
  const staticHeaders = (res: express.Response) => res.setHeader("Content-Security-Policy", RESOURCE_POLICY);
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y", setHeaders: staticHeaders }));
  app.use(express.static("public", { maxAge: "1h", setHeaders: staticHeaders }));
  app.use((req, res, next) => {
    if (CROSS_SITE_PATHS.some((p) => p.test(req.path))) return next();
    if (isSameOriginRequest(req.method, { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") }, accepted)) return next();
    res.status(403).type("text/plain; charset=utf-8").set("Cache-Control", "no-store").send(CROSS_SITE_REFUSAL);
  });
  app.all("*", (req, res, next) => {
    remix(req, res, { origin, acceptedOrigins: accepted, clientAddress: clientAddressOf(req, trust), body: readBodies.get(req) }).catch(
      next,
    );
  });
  // What failed outside Remix (which answers its own errors): a short answer with an id, the details in the log.
  const failed: ErrorRequestHandler = (error, req, res, _next) => {
    const id = newRequestId();
    console.error(`[error ${id}] ${req.method} ${req.path}: ${describeError(error)}`);
    if (res.headersSent) return void res.destroy();
    res
      .status(500)
      .set(REQUEST_ID_HEADER, id)
      .set("Cache-Control", "no-store")
      .type("text/plain; charset=utf-8")
      .send(`服务器出错，错误编号 ${id}。 / Server error, id ${id}.`);
  };
  app.use(failed);

  const toExpress = (req: IncomingMessage, res: ServerResponse) => (body?: Uint8Array) => {
    if (body) readBodies.set(req, body);
    app(req, res);
  };
  // The check-in's confirm and the public rating's POST, the requests that come a thousand at a time.
  return (req, res) => checkInConfirm(req, res, (body) => (body ? toExpress(req, res)(body) : rating(req, res, toExpress(req, res))));
}
