import http, { type Server } from "node:http";
import { createRequire } from "node:module";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkInFastPath, singleFetchBody } from "~/modules/attendance/checkin/fast-path.server";
import { DEVICE_COOKIE, SCAN_COOKIE } from "~/modules/attendance/checkin/scan.server";
import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { signCheckInToken, signScan, windowOf } from "~/modules/attendance/checkin/token.server";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import * as checkinRoute from "~/routes/c.$token";
import { clientAddressOf, trustFunction } from "~/server/client-address.server";
import type { FastPathHandler } from "~/server/fast-path.server";
import type { TrustProxy } from "~/utils/env.server";
import { attendanceRecords, sessions as loginSessions, users } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { cadresWithAccounts, createClassSession, register, tokenFor } from "./attendance-fixtures";

/**
 * The handler in front of express and Remix for the confirm button's POST (`/c/<token>.data`). It must
 * answer exactly what the route's action answers, and leave everything else to Remix with the body
 * intact. Here it runs on a real HTTP server as app/server/http.server.ts mounts it, with a stand-in
 * behind it that records what reached "Remix" and the body Remix would read.
 */

const conn = await testDatabase();
const db = conn.db;

// Remix's single fetch speaks turbo-stream: the copy @remix-run/server-runtime loads is the reference.
const remixRequire = createRequire(createRequire(import.meta.url).resolve("@remix-run/server-runtime"));
const turbo = remixRequire("turbo-stream") as typeof import("turbo-stream");

let server: Server;
let base: string;
beforeAll(async () => {
  let checkInConfirm: FastPathHandler | undefined;
  server = http.createServer((req, res) =>
    checkInConfirm!(req, res, async (kept) => {
      let body = kept ? Buffer.from(kept).toString("utf8") : "";
      if (!kept) for await (const chunk of req) body += String(chunk);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ fellThrough: true, body }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  checkInConfirm = checkInFastPath(db, {
    acceptedOrigins: [base],
    trust: trustFunction({ kind: "none" }),
    headers: { "X-Content-Type-Options": "nosniff" },
  });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

interface Sent {
  status: number;
  headers: Headers;
  /** The decoded answer when the handler answered, else what the stand-in saw. */
  answer: { data?: { outcome: Record<string, unknown> } } | { fellThrough: true; body: string };
  raw: string;
}

async function post(token: string, options: { cookie?: string; origin?: string | null; body?: string; type?: string } = {}): Promise<Sent> {
  const headers: Record<string, string> = { "content-type": options.type ?? "application/x-www-form-urlencoded" };
  if (options.origin !== null) headers.origin = options.origin ?? base;
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(`${base}/c/${token}.data`, { method: "POST", headers, body: options.body ?? "intent=confirm" });
  const raw = await res.text();
  const answer = res.headers.get("content-type")?.startsWith("application/json")
    ? JSON.parse(raw)
    : await turbo.decode(new Response(raw).body!).then((d) => d.value as Sent["answer"]);
  return { status: res.status, headers: res.headers, answer, raw };
}

const outcomeOf = (sent: Sent) => {
  if ("fellThrough" in sent.answer) throw new Error(`fell through to Remix: ${JSON.stringify(sent.answer)}`);
  return sent.answer.data!.outcome;
};
const fellThrough = (sent: Sent) => "fellThrough" in sent.answer;
const rowsOf = (sessionId: number) => db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, sessionId));

describe("the check-in fast path", () => {
  let now: Awaited<ReturnType<typeof createClassSession>>;
  beforeAll(async () => {
    now = await createClassSession(db, { startsAt: new Date(Date.now() - 5 * 60_000), minutes: 120 });
  });
  async function enrolledCadre() {
    const [cadre] = await cadresWithAccounts(db, 1);
    await register(db, now.session.id, cadre!.cadreId, now.venues[0]!.venueId);
    return { ...cadre!, cookie: await cookieFor(db, cadre!.userId) };
  }

  it("checks the signed-in cadre in and answers what Remix's single fetch sends for the action", async () => {
    const cadre = await enrolledCadre();
    const token = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId);
    const device = "d".repeat(22);
    const sent = await post(token, { cookie: `${cadre.cookie}; ${DEVICE_COOKIE}=${device}` });
    expect(sent.status).toBe(200);
    expect(sent.headers.get("content-type")).toBe("text/x-script");
    expect(sent.headers.get("x-remix-response")).toBe("yes");
    expect(sent.headers.get("x-content-type-options")).toBe("nosniff");
    const outcome = outcomeOf(sent);
    expect(outcome).toMatchObject({ kind: "checked_in", status: "present", walkIn: false, flags: 0 });
    // Byte for byte what turbo-stream makes of the same data.
    expect(sent.raw).toBe(await new Response(turbo.encode({ data: { outcome } })).text());
    const [row] = await rowsOf(now.session.id).then((rows) => rows.filter((r) => r.cadreId === cadre.cadreId));
    expect(row).toMatchObject({ status: "present", source: "qr", deviceId: device, sessionVenueId: now.venues[0]!.sessionVenueId });
    expect(row!.checkedInAt!.toISOString()).toBe(outcome.at);
    expect(row!.clientAddress).toMatch(/127\.0\.0\.1/);
  });

  it("answers a second scan, and a retry after the action's own answer, like the action: already, at the first time", async () => {
    const cadre = await enrolledCadre();
    const token = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId);
    const first = outcomeOf(await post(token, { cookie: cadre.cookie }));
    const again = outcomeOf(await post(token, { cookie: cadre.cookie }));
    expect(again).toEqual({ kind: "already", status: "present", at: first.at });
    const viaRemix = await callRoute<any>(
      checkinRoute.action,
      makeRequest(`/c/${token}`, { cookie: cadre.cookie, form: { intent: "confirm" } }),
      { token },
    );
    expect(viaRemix.data).toEqual({ outcome: again });
    expect((await rowsOf(now.session.id)).filter((r) => r.cadreId === cadre.cadreId)).toHaveLength(1);
  });

  it("writes one row for twenty concurrent confirms of one cadre", async () => {
    const cadre = await enrolledCadre();
    const token = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId);
    const outcomes = (await Promise.all(Array.from({ length: 20 }, () => post(token, { cookie: cadre.cookie })))).map(outcomeOf);
    expect(outcomes.filter((o) => o.kind === "checked_in")).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === "checked_in" || o.kind === "already")).toBe(true);
    expect((await rowsOf(now.session.id)).filter((r) => r.cadreId === cadre.cadreId)).toHaveLength(1);
  });

  it("checks in only the cadre whose login it is, whatever the form names", async () => {
    const cadre = await enrolledCadre();
    const other = await enrolledCadre();
    const token = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId);
    const sent = await post(token, { cookie: cadre.cookie, body: `intent=confirm&cadreId=${other.cadreId}&userId=${other.userId}` });
    expect(outcomeOf(sent).kind).toBe("checked_in");
    const mine = (await rowsOf(now.session.id)).filter((r) => r.cadreId === cadre.cadreId || r.cadreId === other.cadreId);
    expect(mine.map((r) => r.cadreId)).toEqual([cadre.cadreId]);
  });

  it("keeps a remembered scan: a code scanned while valid still checks in at the scan time after it has rotated", async () => {
    const cadre = await enrolledCadre();
    const scannedAt = new Date(Date.now() - 120_000);
    const token = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId, scannedAt);
    expect(fellThrough(await post(token, { cookie: cadre.cookie }))).toBe(true);
    const remembered = `${SCAN_COOKIE}=${signScan(await checkInSigningKey(db), token, scannedAt)}`;
    const outcome = outcomeOf(await post(token, { cookie: `${cadre.cookie}; ${remembered}` }));
    expect(outcome).toMatchObject({ kind: "checked_in", at: new Date(Math.floor(scannedAt.getTime() / 1000) * 1000).toISOString() });
  });

  it("answers the refusals the statement decides as the action does: unknown venue, not enrolled, closed, too early", async () => {
    const cadre = await enrolledCadre();
    const key = await checkInSigningKey(db);
    const window = windowOf(new Date(), 30);
    const sign = (sessionId: number, sessionVenueId: number) => signCheckInToken(key, { sessionId, sessionVenueId, window, period: 30 });
    const elsewhere = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), minRank: null });
    const closed = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), status: "closed" });
    const later = await createClassSession(db, { startsAt: new Date(Date.now() + 5 * 3_600_000) });
    await register(db, closed.session.id, cadre.cadreId, closed.venues[0]!.venueId);
    await register(db, later.session.id, cadre.cadreId, later.venues[0]!.venueId);
    const cases = [
      // A genuine code for a venue that is not (or no longer) the session's.
      [sign(now.session.id, 2_000_000_000), { kind: "refused", messageKey: "attendance.errors.unknownCode" }],
      [sign(now.session.id, elsewhere.venues[0]!.sessionVenueId), { kind: "refused", messageKey: "attendance.errors.unknownCode" }],
      // Another session's code: nobody is checked in anywhere.
      [sign(elsewhere.session.id, elsewhere.venues[0]!.sessionVenueId), { kind: "not_enrolled", walkInAllowed: false }],
      [sign(closed.session.id, closed.venues[0]!.sessionVenueId), { kind: "refused", messageKey: "attendance.errors.closed" }],
      [sign(later.session.id, later.venues[0]!.sessionVenueId), { kind: "refused", messageKey: "attendance.errors.tooEarly" }],
    ] as const;
    for (const [token, expected] of cases) {
      const fast = outcomeOf(await post(token, { cookie: cadre.cookie }));
      expect(fast).toEqual(expected);
      const viaRemix = await callRoute<any>(
        checkinRoute.action,
        makeRequest(`/c/${token}`, { cookie: cadre.cookie, form: { intent: "confirm" } }),
        { token },
      );
      expect(viaRemix.data).toEqual({ outcome: fast });
    }
    for (const made of [elsewhere, closed, later]) expect(await rowsOf(made.session.id)).toHaveLength(0);
  });
});

describe("what the fast path leaves to Remix, body intact", () => {
  let now: Awaited<ReturnType<typeof createClassSession>>;
  let token: string;
  beforeAll(async () => {
    now = await createClassSession(db, { startsAt: new Date(Date.now() - 5 * 60_000), minutes: 120, openRegistration: true });
    token = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId);
  });
  async function enrolledCadre(options: { mustChangePassword?: boolean; disabled?: boolean } = {}) {
    const [cadre] = await cadresWithAccounts(db, 1);
    await register(db, now.session.id, cadre!.cadreId, now.venues[0]!.venueId);
    if (options.mustChangePassword !== undefined || options.disabled !== undefined) {
      await db.update(users).set(options).where(eq(users.id, cadre!.userId));
    }
    return { ...cadre!, cookie: await cookieFor(db, cadre!.userId) };
  }
  /** Remix got the request and the bytes it was sent, and nothing was written for the cadre. */
  const expectHandedOver = async (sent: Sent, cadreId: number | null, body = "intent=confirm") => {
    expect(sent.answer).toEqual({ fellThrough: true, body });
    if (cadreId) expect((await rowsOf(now.session.id)).filter((r) => r.cadreId === cadreId)).toHaveLength(0);
  };

  it("a request from another site, or with an opaque origin (unread: the origin rule answers it)", async () => {
    const cadre = await enrolledCadre();
    await expectHandedOver(await post(token, { cookie: cadre.cookie, origin: "http://evil.example" }), cadre.cadreId);
    await expectHandedOver(await post(token, { cookie: cadre.cookie, origin: "null" }), cadre.cadreId);
  });

  it("no login cookie, a login that has expired or gone idle, or that never existed", async () => {
    await expectHandedOver(await post(token), null);
    const expired = await enrolledCadre();
    const idle = await enrolledCadre();
    const past = new Date(Date.now() - 1000);
    await db
      .update(loginSessions)
      .set({ expiresAt: past })
      .where(eq(loginSessions.id, sessionIdFromToken(expired.cookie.split("=")[1]!)));
    await db
      .update(loginSessions)
      .set({ idleExpiresAt: past })
      .where(eq(loginSessions.id, sessionIdFromToken(idle.cookie.split("=")[1]!)));
    await expectHandedOver(await post(token, { cookie: expired.cookie }), expired.cadreId);
    await expectHandedOver(await post(token, { cookie: idle.cookie }), idle.cadreId);
    await expectHandedOver(await post(token, { cookie: "luoshi_session=abcdefghijklmnopqrstuvwxyz234567" }), null);
  });

  it("a password still to change, a disabled account, an account that is not a cadre's", async () => {
    const pending = await enrolledCadre({ mustChangePassword: true });
    const disabled = await enrolledCadre({ disabled: true });
    const admin = await createUser(db, { roles: ["org_admin"], password: "pw-admin-1" });
    await expectHandedOver(await post(token, { cookie: pending.cookie }), pending.cadreId);
    await expectHandedOver(await post(token, { cookie: disabled.cookie }), disabled.cadreId);
    await expectHandedOver(await post(token, { cookie: await cookieFor(db, admin.id) }), null);
  });

  it("a forged, altered or expired code", async () => {
    const cadre = await enrolledCadre();
    const forged = `${token.slice(0, 20)}${token[20] === "A" ? "B" : "A"}${token.slice(21)}`;
    const stale = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId, new Date(Date.now() - 90_000));
    const future = await tokenFor(db, now.session.id, now.venues[0]!.sessionVenueId, new Date(Date.now() + 90_000));
    for (const t of [forged, stale, future]) await expectHandedOver(await post(t, { cookie: cadre.cookie }), cadre.cadreId);
  });

  it("a walk-in, which Remix receives with the form it was sent", async () => {
    const [stranger] = await cadresWithAccounts(db, 1);
    const cookie = await cookieFor(db, stranger!.userId);
    await expectHandedOver(await post(token, { cookie, body: "intent=walk_in" }), stranger!.cadreId, "intent=walk_in");
    // What the server then does: the Remix request is made from the bytes the fast path read.
    const request = new Request(makeRequest(`/c/${token}`, { cookie, method: "POST" }), {
      body: new TextEncoder().encode("intent=walk_in"),
    });
    request.headers.set("content-type", "application/x-www-form-urlencoded");
    const walked = await callRoute<any>(checkinRoute.action, request, { token });
    expect(walked.data.outcome).toMatchObject({ kind: "checked_in", walkIn: true });
  });

  it("a body it does not read: not urlencoded, or too big", async () => {
    const cadre = await enrolledCadre();
    const form = new FormData();
    form.set("intent", "confirm");
    const multipart = await fetch(`${base}/c/${token}.data`, {
      method: "POST",
      headers: { origin: base, cookie: cadre.cookie },
      body: form,
    });
    const seen = (await multipart.json()) as { fellThrough: boolean; body: string };
    expect(seen.fellThrough).toBe(true);
    expect(seen.body).toContain('name="intent"');
    const big = `intent=confirm&pad=${"x".repeat(5000)}`;
    await expectHandedOver(await post(token, { cookie: cadre.cookie, body: big }), cadre.cadreId, big);
    expect((await rowsOf(now.session.id)).filter((r) => r.cadreId === cadre.cadreId)).toHaveLength(0);
  });

  it("other methods and other addresses are not its business", async () => {
    const cadre = await enrolledCadre();
    const get = await fetch(`${base}/c/${token}.data`, { headers: { cookie: cadre.cookie } });
    expect(await get.json()).toEqual({ fellThrough: true, body: "" });
    const page = await fetch(`${base}/c/${token}`, {
      method: "POST",
      headers: { origin: base, cookie: cadre.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=confirm",
    });
    expect(await page.json()).toEqual({ fellThrough: true, body: "intent=confirm" });
    expect((await rowsOf(now.session.id)).filter((r) => r.cadreId === cadre.cadreId)).toHaveLength(0);
  });
});

describe("the client address", () => {
  it("is the one express gives as req.ip, for every TRUST_PROXY setting", async () => {
    const settings: TrustProxy[] = [
      { kind: "none" },
      { kind: "hops", hops: 1 },
      { kind: "hops", hops: 2 },
      { kind: "addresses", addresses: ["127.0.0.1"] },
      { kind: "addresses", addresses: ["loopback", "10.0.0.0/8"] },
    ];
    for (const setting of settings) {
      const trust = trustFunction(setting);
      const app = express();
      app.set("trust proxy", trust);
      app.get("/", (req, res) => res.json({ express: req.ip, ours: clientAddressOf(req, trust) }));
      const s = http.createServer(app);
      await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
      const port = (s.address() as { port: number }).port;
      for (const forwarded of [
        undefined,
        "",
        "203.0.113.7",
        "203.0.113.7, 10.0.0.1",
        " 198.51.100.2 ,10.0.0.1,10.0.0.2",
        "2001:db8::1, 10.0.0.1",
        ",203.0.113.9",
      ]) {
        const headers: Record<string, string> = forwarded === undefined ? {} : { "x-forwarded-for": forwarded };
        const seen = (await (await fetch(`http://127.0.0.1:${port}/`, { headers })).json()) as { express: string; ours: string };
        expect({ setting, forwarded, address: seen.ours }).toEqual({ setting, forwarded, address: seen.express });
      }
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it("believes only what the trusted proxies appended: a client cannot name its own address", async () => {
    const seen = async (setting: TrustProxy, forwarded: string) => {
      const trust = trustFunction(setting);
      const s = http.createServer((req, res) => res.end(clientAddressOf(req, trust)));
      await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
      const text = await (
        await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/`, { headers: { "x-forwarded-for": forwarded } })
      ).text();
      await new Promise((resolve) => s.close(resolve));
      return text;
    };
    // One proxy (nginx with `proxy_add_x_forwarded_for`): the client wrote "1.2.3.4", nginx appended the real peer.
    expect(await seen({ kind: "hops", hops: 1 }, "1.2.3.4, 203.0.113.50")).toBe("203.0.113.50");
    expect(await seen({ kind: "addresses", addresses: ["127.0.0.1"] }, "1.2.3.4, 203.0.113.50")).toBe("203.0.113.50");
    // Without TRUST_PROXY the header is ignored altogether.
    expect(await seen({ kind: "none" }, "1.2.3.4")).toBe("127.0.0.1");
  });
});

describe("the single-fetch encoding", () => {
  it("is turbo-stream's, the very copy Remix's single fetch loads", async () => {
    expect(createRequire(import.meta.url).resolve("turbo-stream")).toBe(remixRequire.resolve("turbo-stream"));
  });

  it("decodes to every answer the action gives", async () => {
    const answers = [
      { kind: "checked_in", status: "late", at: "2026-03-04T11:02:00.000Z", walkIn: true, flags: 2 },
      { kind: "checked_in", status: "present", at: null, walkIn: false, flags: 0 },
      { kind: "already", status: "present", at: "2026-03-04T11:02:00.000Z" },
      { kind: "already", status: "excused", at: null },
      { kind: "not_enrolled", walkInAllowed: true },
      { kind: "not_enrolled", walkInAllowed: false },
      { kind: "refused", messageKey: "attendance.errors.closed" },
      // Repeated values share one slot; odd numbers and quotes survive.
      { kind: "present", status: "present", at: "kind", n: -0, m: Number.NaN, q: '"签到"\\' },
    ];
    for (const outcome of answers) {
      expect(await singleFetchBody({ outcome })).toBe(await new Response(turbo.encode({ data: { outcome } })).text());
    }
  });
});
