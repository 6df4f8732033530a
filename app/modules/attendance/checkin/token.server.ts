import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The rotating check-in code. A token names the session, the session venue and the time window it was
 * made for, signed with HMAC-SHA256 under the server's secret; it is good for its own window and the one
 * after (so a code that changes while a cadre scans still works), never before. A photo of the code
 * sent to a friend therefore expires within two windows, and nothing in it says who may use it: the
 * check-in is always for the signed-in cadre. Verifying needs no database.
 *
 * Layout (31 bytes, 42 characters of base64url): version 1 · session id u32 · session venue id u32 ·
 * window u32 · window length in seconds u16 · the first 16 bytes of the MAC.
 */
export interface CheckInClaims {
  sessionId: number;
  sessionVenueId: number;
  /** floor(unix seconds / period). */
  window: number;
  /** The window length the display used, in seconds. */
  period: number;
}

const VERSION = 1;
const BODY = 15;
const MAC = 16;
export const MIN_PERIOD = 10;
export const MAX_PERIOD = 600;

/** A key of its own for check-in codes, derived from the server secret. */
export function checkInKey(secret: Buffer | string): Buffer {
  return createHmac("sha256", secret).update("luoshi/check-in/v1").digest();
}

export function windowOf(now: Date | number, period: number): number {
  const ms = typeof now === "number" ? now : now.getTime();
  return Math.floor(ms / 1000 / period);
}

/** When a window's token stops being accepted: the end of the window after it. */
export function windowExpiry(window: number, period: number): Date {
  return new Date((window + 2) * period * 1000);
}

function mac(key: Buffer, body: Buffer): Buffer {
  return createHmac("sha256", key).update(body).digest().subarray(0, MAC);
}

export function signCheckInToken(key: Buffer, claims: CheckInClaims): string {
  const body = Buffer.alloc(BODY);
  body.writeUInt8(VERSION, 0);
  body.writeUInt32BE(claims.sessionId, 1);
  body.writeUInt32BE(claims.sessionVenueId, 5);
  body.writeUInt32BE(claims.window, 9);
  body.writeUInt16BE(claims.period, 13);
  return Buffer.concat([body, mac(key, body)]).toString("base64url");
}

/** The claims of a genuine token, or null for anything forged, truncated or altered. Says nothing about time. */
export function readCheckInToken(key: Buffer, token: string): CheckInClaims | null {
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{42}$/.test(token)) return null;
  const raw = Buffer.from(token, "base64url");
  // One spelling per token: the last character's spare bits must be zero.
  if (raw.length !== BODY + MAC || raw.toString("base64url") !== token) return null;
  const body = raw.subarray(0, BODY);
  if (!timingSafeEqual(mac(key, body), raw.subarray(BODY))) return null;
  if (body.readUInt8(0) !== VERSION) return null;
  const claims = {
    sessionId: body.readUInt32BE(1),
    sessionVenueId: body.readUInt32BE(5),
    window: body.readUInt32BE(9),
    period: body.readUInt16BE(13),
  };
  if (claims.period < MIN_PERIOD || claims.period > MAX_PERIOD) return null;
  return claims;
}

/** Whether a genuine token is still good at `now`: its own window or the next one. */
export function tokenTimeProblem(claims: CheckInClaims, now: Date): "expired" | "future" | null {
  const current = windowOf(now, claims.period);
  if (claims.window > current) return "future";
  if (claims.window < current - 1) return "expired";
  return null;
}

/**
 * The remembered scan: the token and the moment it was scanned while still valid, signed, kept in a
 * short-lived cookie so that a cadre who has to log in first (or dawdles on the confirm page) does not
 * lose the scan. Only the cookie's own browser can present it.
 */
export function signScan(key: Buffer, token: string, scannedAt: Date): string {
  const at = Math.floor(scannedAt.getTime() / 1000);
  const sig = createHmac("sha256", key).update(`scan|${token}|${at}`).digest().subarray(0, MAC).toString("base64url");
  return `${token}.${at}.${sig}`;
}

/** The scan time of a remembered scan of this token, if genuine and not older than `maxAgeSeconds`. */
export function readScan(key: Buffer, value: string | null, token: string, now: Date, maxAgeSeconds: number): Date | null {
  if (!value) return null;
  const parts = value.split(".");
  if (parts.length !== 3 || parts[0] !== token || !/^\d{1,12}$/.test(parts[1]!)) return null;
  const expected = signScan(key, token, new Date(Number(parts[1]) * 1000));
  const a = Buffer.from(expected);
  const b = Buffer.from(value);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  const at = new Date(Number(parts[1]) * 1000);
  const age = (now.getTime() - at.getTime()) / 1000;
  if (age < -5 || age > maxAgeSeconds) return null;
  return at;
}
