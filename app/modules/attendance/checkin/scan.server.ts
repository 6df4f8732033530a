import { randomBytes } from "node:crypto";
import { setCookie } from "~/utils/cookies.server";
import { SCAN_REMEMBER_SECONDS } from "../rules";
import { type CheckInClaims, readScan, signScan, tokenTimeProblem } from "./token.server";

/**
 * The browser side of a scan: the remembered-scan cookie (a valid scan survives the login and a slow
 * confirm for SCAN_REMEMBER_SECONDS) and the device cookie (a random id per browser, so that one phone
 * checking in several cadres can be flagged). Both are set by the cookie helper (HTTP only, same-site
 * Lax): the camera app's link is a top-level navigation, which Lax allows. The functions take the request's cookies as read by
 * `readCookies` (app/utils/cookies.server.ts).
 */
export const SCAN_COOKIE = "luoshi_scan";
export const DEVICE_COOKIE = "luoshi_device";

type Cookies = Record<string, string>;

export interface ResolvedScan {
  scannedAt: Date;
  /** A Set-Cookie value when the scan is new and should be remembered. */
  setCookie: string | null;
}

const rememberedScan = (key: Buffer, token: string, cookies: Cookies, now: Date) =>
  readScan(key, cookies[SCAN_COOKIE] ?? null, token, now, SCAN_REMEMBER_SECONDS);

/** A scan of a token in its window happens now (to the second); out of it, not at all. */
const freshScan = (claims: CheckInClaims, now: Date) =>
  tokenTimeProblem(claims, now) ? null : new Date(Math.floor(now.getTime() / 1000) * 1000);

/**
 * When the code was scanned while valid: the remembered scan of this very token, if recent; else now,
 * if the token is in its window (remembering the earliest scan of it). Null: expired, scan again.
 */
export function resolveScan(key: Buffer, token: string, claims: CheckInClaims, cookies: Cookies, now: Date): ResolvedScan | null {
  const remembered = rememberedScan(key, token, cookies, now);
  if (remembered) return { scannedAt: remembered, setCookie: null };
  const scannedAt = freshScan(claims, now);
  if (!scannedAt) return null;
  const cookie = setCookie(SCAN_COOKIE, signScan(key, token, scannedAt), { path: "/c", maxAge: SCAN_REMEMBER_SECONDS });
  return { scannedAt, setCookie: cookie };
}

/** resolveScan's time alone, for the check-in's POST, which sets no cookie. */
export function scanTime(key: Buffer, token: string, claims: CheckInClaims, cookies: Cookies, now: Date): Date | null {
  return rememberedScan(key, token, cookies, now) ?? freshScan(claims, now);
}

/** The browser's device id, and a cookie to set when it has none yet. */
export function deviceOf(cookies: Cookies): { deviceId: string; setCookie: string | null } {
  const existing = cookies[DEVICE_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{22}$/.test(existing)) return { deviceId: existing, setCookie: null };
  const deviceId = randomBytes(16).toString("base64url");
  return { deviceId, setCookie: setCookie(DEVICE_COOKIE, deviceId, { maxAge: 400 * 86_400 }) };
}
