import type { IncomingMessage, ServerResponse } from "node:http";
import { readCookie, SESSION_COOKIE } from "~/modules/auth/guards.server";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import { cachedSecurityPolicy } from "~/modules/security/policy.server";
import { isSameOriginRequest } from "~/utils/origin.server";
import type { Database } from "~db/client";
import type { CheckInResultData } from "../components";
import { cachedAttendanceRules } from "../settings.server";
import { checkInWithSession, outcomeView } from "./check-in.server";
import { deviceOf, scanTime } from "./scan.server";
import { checkInSigningKey } from "./secret.server";
import { type CheckInClaims, readCheckInToken } from "./token.server";

/**
 * The confirm button's POST, answered before express and Remix see it (docs/decisions/0010). At peak a
 * thousand phones send exactly this request within minutes, and the framework's own work per request
 * (express's request decoration and router: 0.15 ms; Remix's route matching and single-fetch machinery:
 * several times the check-in itself) cost more than the check-in. This handler does the common case
 * with the route's own functions and the same one statement, and answers what the route's action
 * would; everything else it hands on untouched (`next()`: express, then Remix), which then answers as
 * always: another origin, a code that is forged or out of its window, no login cookie, a login that the
 * statement does not accept (expired, a password to change, not a cadre's account), a walk-in, a
 * request it cannot read, a failure.
 *
 * It serves only the page's fetcher (`/c/<token>.data`, Remix's single-fetch address for the route's
 * action); the form posted without JavaScript asks for a whole page and goes to Remix.
 *
 * State is not duplicated: the database handle is the pool server.ts opened (the one getDb() returns
 * to the Remix build), and the signing key and the attendance rules come from the same functions the
 * route calls, which keep them on globalThis, so the two copies of these modules (tsx's and the
 * bundle's) share one secret and one rules cache.
 */

/** The route's single-fetch address: `/c/<token>.data`. */
export const CHECK_IN_DATA_PATH = /^\/c\/([A-Za-z0-9_-]{42})\.data$/;

/** A confirm is `intent=confirm`; anything much bigger is not the page's form. */
const MAX_BODY_BYTES = 4096;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The client's address, as express's `req.ip` gives it: the socket's peer, or with TRUST_PROXY (every
 * proxy trusted) the left-most X-Forwarded-For entry. server.ts hands this very value on to Remix, so
 * the fast path and the app record the same address.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  if (!trustProxy) return peer;
  const forwarded = req.headers["x-forwarded-for"];
  const entries = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[0] ?? peer;
}

const keptBodies = new WeakMap<IncomingMessage, Uint8Array<ArrayBuffer>>();

/**
 * The body this handler read from a request it then handed over: the stream is spent, so the Remix
 * adapter in server.ts must build its request from these bytes.
 */
export function bodyReadByCheckIn(req: IncomingMessage): Uint8Array<ArrayBuffer> | undefined {
  return keptBodies.get(req);
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function checkInFastPath(db: Database, options: { allowedOrigins: string[]; trustProxy: boolean }): NodeHandler {
  return (req, res, next) => {
    const path = req.url?.split("?", 1)[0];
    const token = req.method === "POST" && path ? CHECK_IN_DATA_PATH.exec(path)?.[1] : undefined;
    if (!token) return next();
    answer(db, options, req, token).then(
      (reply) => {
        if (!reply) return next();
        res.writeHead(200, [
          "Content-Type",
          "text/x-script",
          "X-Remix-Response",
          "yes",
          "Content-Length",
          String(Buffer.byteLength(reply)),
        ]);
        res.end(reply);
      },
      (error: unknown) => {
        // The statement is idempotent, so Remix may simply try again; it also reports what it cannot do.
        console.error(`[check-in] handing over to Remix after: ${(error as Error)?.stack ?? error}`);
        next();
      },
    );
  };
}

/**
 * Genuine tokens already read, by their text: a venue's code is the same for everyone who scans it in
 * its 30-second window, so its MAC need be checked once, not a thousand times. Only what
 * readCheckInToken accepted is kept, for the key it was checked with; time is checked on every scan.
 */
const genuineTokens = { key: null as Buffer | null, claims: new Map<string, CheckInClaims>() };
function readToken(key: Buffer, token: string): CheckInClaims | null {
  if (genuineTokens.key !== key) {
    genuineTokens.key = key;
    genuineTokens.claims.clear();
  }
  const known = genuineTokens.claims.get(token);
  if (known) return known;
  const claims = readCheckInToken(key, token);
  if (!claims) return null;
  if (genuineTokens.claims.size >= 1024) genuineTokens.claims.clear();
  genuineTokens.claims.set(token, claims);
  return claims;
}

/** The encoded answer, or null to let Remix answer. */
async function answer(
  db: Database,
  options: { allowedOrigins: string[]; trustProxy: boolean },
  req: IncomingMessage,
  token: string,
): Promise<string | null> {
  if (!sameOrigin(req, options.allowedOrigins)) return null;
  const key = await checkInSigningKey(db);
  const claims = readToken(key, token);
  if (!claims) return null;
  const cookies = cookieView(req, options.trustProxy);
  const loginToken = readCookie(cookies, SESSION_COOKIE);
  if (!loginToken) return null;
  const now = new Date();
  const scannedAt = scanTime(key, token, claims, cookies, now);
  if (!scannedAt) return null;

  const body = await readForm(req);
  if (!body) return null;
  // From here on the stream is spent: whatever happens next, Remix gets these bytes.
  keptBodies.set(req, new Uint8Array(body));
  if (new URLSearchParams(body.toString("utf8")).get("intent") === "walk_in") return null;
  const ctx = {
    scannedAt,
    deviceId: deviceOf(cookies).deviceId,
    address: clientAddressOf(req, options.trustProxy),
    rules: await cachedAttendanceRules(db),
  };
  const session = { sessionId: sessionIdFromToken(loginToken), idleMs: (await cachedSecurityPolicy(db)).otherIdleMinutes * 60_000, now };
  const outcome = await checkInWithSession(db, session, claims, ctx);
  if (outcome.kind === "unauthenticated") return null;
  const data: CheckInResultData = { outcome: outcomeView(outcome) };
  return singleFetchBody({ data });
}

/**
 * The route's readers of the login, scan and device cookies (readCookie, scanTime, deviceOf) take a
 * fetch Request and look at two things in it: the Cookie header and the URL (for `Secure`). This is
 * those two: building a whole Request for them cost more than the rest of this handler's own work.
 */
function cookieView(req: IncomingMessage, trustProxy: boolean): Request {
  const cookie = req.headers.cookie ?? null;
  const encrypted = "encrypted" in req.socket && Boolean(req.socket.encrypted);
  const forwardedProto = trustProxy ? header(req, "x-forwarded-proto")?.split(",", 1)[0]?.trim() : undefined;
  const protocol = forwardedProto || (encrypted ? "https" : "http");
  const view: Pick<Request, "url" | "headers"> = {
    url: `${protocol}://${header(req, "host") ?? "localhost"}${req.url ?? "/"}`,
    headers: { get: (name: string) => (name.toLowerCase() === "cookie" ? cookie : null) } as Headers,
  };
  return view as Request;
}

/**
 * Our origin check (the one server.ts applies to every mutation) and Remix's own, which refuses an
 * action whose Origin does not name the (forwarded) host even where APP_ORIGIN would allow it. Where
 * either says no, Remix and the middleware answer as they always have.
 */
export function sameOrigin(req: IncomingMessage, allowedOrigins: string[]): boolean {
  const origin = header(req, "origin");
  const ours = isSameOriginRequest(
    "POST",
    { origin, secFetchSite: header(req, "sec-fetch-site"), host: header(req, "x-forwarded-host") ?? header(req, "host") },
    allowedOrigins,
  );
  if (!ours) return false;
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return false;
  }
  const host = header(req, "x-forwarded-host")?.split(",")[0]?.trim() || header(req, "host");
  return !!host && originHost === host;
}

/** The urlencoded body of the page's form, or null (not read) for anything else. */
export function readForm(req: IncomingMessage): Promise<Buffer | null> | null {
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

/**
 * Data as Remix's single fetch sends it (turbo-stream's format): the values in order of first
 * appearance, each once, objects as `{"_<key index>":<value index>}`, null and friends as negative
 * codes. Only what an action's plain data holds: objects, strings, numbers, booleans, null. The
 * integration tests hold this to turbo-stream's own encoder, the one Remix uses.
 */
export function singleFetchBody(value: unknown): string {
  const parts: string[] = [];
  const indices = new Map<unknown, number>();
  const flatten = (v: unknown): number => {
    if (v === undefined) return -7;
    if (v === null) return -5;
    if (typeof v === "number") {
      if (Number.isNaN(v)) return -2;
      if (v === Number.POSITIVE_INFINITY) return -6;
      if (v === Number.NEGATIVE_INFINITY) return -3;
      if (Object.is(v, -0)) return -4;
    }
    const known = indices.get(v);
    if (known !== undefined) return known;
    const index = parts.push("") - 1;
    indices.set(v, index);
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      parts[index] = JSON.stringify(v);
    } else if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const object = v as Record<string, unknown>;
      parts[index] = `{${Object.keys(object)
        .map((key) => `"_${flatten(key)}":${flatten(object[key])}`)
        .join(",")}}`;
    } else {
      throw new Error(`singleFetchBody: cannot encode ${typeof v}`);
    }
    return index;
  };
  flatten(value);
  return `[${parts.join(",")}]\n`;
}
