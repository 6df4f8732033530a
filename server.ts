/**
 * The production server: express serving the Remix build. remix-serve cannot close our pool or the
 * embedded PostgreSQL on SIGTERM, so this small server does.
 */
// The two halves of @remix-run/express's handler: exported by its server module, not by its index.

import http from "node:http";
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import express from "express";
import { bodyReadByCheckIn, checkInFastPath, clientAddressOf } from "~/modules/attendance/checkin/fast-path.server";
import { startJobs } from "~/modules/jobs/runner.server";
import { bodyReadByRating, ratingFastPath } from "~/modules/ratings/public/fast-path.server";
import { startupSecurityChecks } from "~/modules/security/startup.server";
import { setConnection } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { isSameOriginRequest } from "~/utils/origin.server";
import { openDatabase } from "~db/bootstrap";
import { seedIfEmpty } from "~db/seed";

const startedAt = Date.now();
const config = env();
const log = (line: string) => console.log(`[luoshi] ${line}`);

const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.LUOSHI_DATA_DIR, log });
setConnection(database.connection);
process.env.DATABASE_URL = database.url;

const seedDemo = config.SEED_DEMO ?? config.NODE_ENV !== "production";
if (seedDemo) {
  const seeded = await seedIfEmpty(database.connection.db, { demoAccounts: config.NODE_ENV !== "production", log });
  if (seeded) log(seeded);
}

// 三员分立 on the data as it stands, and a warning where the data key shares the database.
try {
  await startupSecurityChecks(database.connection.db, { external: Boolean(config.DATABASE_URL), log });
} catch (error) {
  console.error(`[luoshi] ${error instanceof Error ? error.message : error}`);
  await database.close();
  process.exit(1);
}

// The job queue (outbox drain, schedules) runs in this process unless RUN_WORKER=false, when
// separate `npm run luoshi -- worker` processes do the work.
const jobs = await startJobs({ databaseUrl: database.url, log });

const build = (await import(new URL("./build/index.js", import.meta.url).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
const trustProxy = config.TRUST_PROXY === true;
if (trustProxy) app.set("trust proxy", true);
const allowedOrigins = config.APP_ORIGIN ? [new URL(config.APP_ORIGIN).origin] : [];

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

// Endpoints called by other servers (signed webhooks) rather than by our own pages.
const crossSitePaths = [/^\/webhooks\//];
app.use((req, res, next) => {
  req.headers["x-luoshi-client-address"] = clientAddressOf(req, trustProxy);
  if (crossSitePaths.some((p) => p.test(req.path))) return next();
  const ok = isSameOriginRequest(
    req.method,
    { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site"), host: req.get("x-forwarded-host") ?? req.get("host") },
    allowedOrigins,
  );
  if (ok) return next();
  res.status(403).type("text/plain; charset=utf-8").send("请求来源无效，请刷新页面后重试。 / Cross-site request refused.");
});

// @remix-run/express's handler, except that a request whose body the check-in path has already read is
// given those bytes again (the new Request keeps the URL, the headers and the abort signal).
const handleRemix = createRequestHandler(build, config.NODE_ENV);
app.all("*", async (req, res, next) => {
  try {
    const request = createRemixRequest(req, res);
    const body = bodyReadByCheckIn(req) ?? bodyReadByRating(req);
    await sendRemixResponse(res, await handleRemix(body ? new Request(request, { body }) : request));
  } catch (error) {
    next(error);
  }
});

// The check-in's confirm, the one request that comes a thousand at a time: answered before express when
// it is the common case, handed on to express and Remix (with its body) otherwise. See docs/decisions/0010.
// The public rating's POST likewise (docs/decisions/0016).
const checkInConfirm = checkInFastPath(database.connection.db, { allowedOrigins, trustProxy });
const rating = ratingFastPath(database.connection.db, { allowedOrigins, trustProxy });
const server = http.createServer((req, res) => checkInConfirm(req, res, () => rating(req, res, () => app(req, res))));
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  log(`Ready on http://localhost:${port} in ${Date.now() - startedAt} ms`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: closing`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections?.();
  await closed;
  await jobs.stop();
  await database.close();
  log("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
