import http, { type Server } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATER_COOKIE } from "~/modules/ratings/device.server";
import { ensureUnitPoints } from "~/modules/ratings/points.server";
import { ratingFastPath } from "~/modules/ratings/public/fast-path.server";
import { action as rateAction } from "~/routes/r.$code";
import { trustFunction } from "~/server/client-address.server";
import type { FastPathHandler } from "~/server/fast-path.server";
import { publicRatings, ratingPoints } from "~db/schema";
import { createUnit } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, makeRequest } from "../setup/routes";

/**
 * The handler in front of express and Remix for the rating's POST (`/r/<code>`): it must answer what the
 * route's action answers (a 303 to the thank-you page, the device cookie when new), and leave everything
 * else to Remix with the body intact. Here it runs on a real HTTP server as app/server/http.server.ts
 * mounts it, with a stand-in behind it that records what reached "Remix".
 */

const conn = await testDatabase();
const db = conn.db;

let server: Server;
let base: string;
beforeAll(async () => {
  await createUnit(db, { code: "FP-1", name: "快速路径局" });
  await ensureUnitPoints(db);
  let rating: FastPathHandler | undefined;
  server = http.createServer((req, res) =>
    rating!(req, res, async (kept) => {
      let body = kept ? Buffer.from(kept).toString("utf8") : "";
      if (!kept) for await (const chunk of req) body += String(chunk);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ fellThrough: true, body }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  // One proxy in front (the test's X-Forwarded-For is what it appended).
  rating = ratingFastPath(db, { acceptedOrigins: [base], trust: trustFunction({ kind: "hops", hops: 1 }), headers: {} });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function post(code: string, body: string, options: { cookie?: string; origin?: string | null; address?: string } = {}) {
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Forwarded-For": options.address ?? "10.1.1.1",
  };
  if (options.origin !== null) headers.Origin = options.origin ?? base;
  if (options.cookie) headers.Cookie = options.cookie;
  const res = await fetch(`${base}/r/${code}`, { method: "POST", headers, body, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location"), cookie: res.headers.get("set-cookie"), text: await res.text() };
}

describe("the rating's fast path", () => {
  it("answers a good rating as the route does: 303 to the thank-you page, the device cookie when new; a repeat is not counted", async () => {
    const first = await post("FP-1", "choice=unsatisfied&reasons=fees&phone=13800138000");
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/r\/FP-1\/thanks\?result=counted&choice=unsatisfied&due=\d{4}-\d{2}-\d{2}&call=1$/);
    expect(first.cookie).toMatch(new RegExp(`^${RATER_COOKIE}=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22};`));
    expect(first.cookie!.split("; ").slice(1).sort()).toEqual(["HttpOnly", "Max-Age=34560000", "Path=/r", "SameSite=Lax"]);
    const cookie = first.cookie!.split(";")[0]!;
    const again = await post("FP-1", "choice=satisfied", { cookie });
    expect(again).toMatchObject({ status: 303, location: "/r/FP-1/thanks?result=repeat&choice=satisfied", cookie: null });

    // The route's action, with the same cookie, answers the same.
    const viaRemix = await callRoute(rateAction, makeRequest("/r/FP-1", { cookie, form: { choice: "satisfied" } }), { code: "FP-1" });
    expect({ status: viaRemix.status, location: viaRemix.location }).toEqual({ status: 303, location: again.location });

    const [point] = await db.select().from(ratingPoints).where(eq(ratingPoints.code, "FP-1"));
    const rows = await db.select().from(publicRatings).where(eq(publicRatings.pointId, point!.id));
    expect(rows.map((r) => r.counted)).toEqual([true, false, false]);
  });

  it.each([
    ["another origin", "FP-1", "choice=satisfied", { origin: "http://evil.example" }],
    ["no origin and no fetch metadata", "FP-1", "choice=satisfied", { origin: null }],
    ["a form the schema refuses", "FP-1", "choice=unsatisfied", {}],
    ["an unknown point", "NOPE-1", "choice=satisfied", {}],
  ])("hands %s on to Remix with the body", async (_, code, body, options) => {
    const answer = await post(code, body, options as { origin?: string | null });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ fellThrough: true, body });
  });
});
