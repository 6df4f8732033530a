import { randomBytes } from "node:crypto";
import { readCookie } from "~/modules/auth/guards.server";
import { env } from "~/utils/env.server";
import { SCAN_REMEMBER_SECONDS } from "./rules";
import { type CheckInClaims, readScan, signScan, tokenTimeProblem } from "./token.server";

/**
 * The browser side of a scan: the remembered-scan cookie (a valid scan survives the login and a slow
 * confirm for SCAN_REMEMBER_SECONDS) and the device cookie (a random id per browser, so that one phone
 * checking in several cadres can be flagged). Both HttpOnly, SameSite=Lax: the camera app's link is a
 * top-level navigation, which Lax allows.
 */
export const SCAN_COOKIE = "luoshi_scan";
export const DEVICE_COOKIE = "luoshi_device";

function secure(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || (env().APP_ORIGIN?.startsWith("https:") ?? false);
}

export interface ResolvedScan {
  scannedAt: Date;
  /** A Set-Cookie value when the scan is new and should be remembered. */
  setCookie: string | null;
}

/**
 * When the code was scanned while valid: now, if the token is in its window (remembering the earliest
 * scan of it); else the remembered scan of this very token, if recent. Null: expired, scan again.
 */
export function resolveScan(key: Buffer, token: string, claims: CheckInClaims, request: Request, now: Date): ResolvedScan | null {
  const remembered = readScan(key, readCookie(request, SCAN_COOKIE), token, now, SCAN_REMEMBER_SECONDS);
  if (remembered) return { scannedAt: remembered, setCookie: null };
  if (tokenTimeProblem(claims, now)) return null;
  const parts = [`${SCAN_COOKIE}=${signScan(key, token, now)}`, "Path=/c", "HttpOnly", "SameSite=Lax", `Max-Age=${SCAN_REMEMBER_SECONDS}`];
  if (secure(request)) parts.push("Secure");
  return { scannedAt: new Date(Math.floor(now.getTime() / 1000) * 1000), setCookie: parts.join("; ") };
}

/** The browser's device id, and a cookie to set when it has none yet. */
export function deviceOf(request: Request): { deviceId: string; setCookie: string | null } {
  const existing = readCookie(request, DEVICE_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{22}$/.test(existing)) return { deviceId: existing, setCookie: null };
  const deviceId = randomBytes(16).toString("base64url");
  const parts = [`${DEVICE_COOKIE}=${deviceId}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${400 * 86_400}`];
  if (secure(request)) parts.push("Secure");
  return { deviceId, setCookie: parts.join("; ") };
}
