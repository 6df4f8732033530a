import { env } from "~/utils/env.server";

/**
 * The authentication cookies, in one place: the session (HttpOnly, SameSite=Lax, Secure on https,
 * until the session's absolute deadline) and the device cookie (a browser that completed a sign-in:
 * exempt from the per-address limit; remembered for the second factor if the user asked).
 */
export const SESSION_COOKIE = "luoshi_session";
export const DEVICE_COOKIE = "luoshi_device";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || (env().APP_ORIGIN?.startsWith("https:") ?? false);
}

function cookie(request: Request, name: string, value: string, lifetime: { expires: Date } | "clear"): string {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  parts.push(lifetime === "clear" ? "Max-Age=0" : `Expires=${lifetime.expires.toUTCString()}`);
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export const sessionCookie = (request: Request, token: string, expiresAt: Date) =>
  cookie(request, SESSION_COOKIE, token, { expires: expiresAt });
export const clearSessionCookie = (request: Request) => cookie(request, SESSION_COOKIE, "", "clear");
export const deviceCookie = (request: Request, token: string, expiresAt: Date) =>
  cookie(request, DEVICE_COOKIE, token, { expires: expiresAt });

/** Headers carrying several Set-Cookie lines. */
export function cookieHeaders(...cookies: (string | null | undefined)[]): Headers {
  const headers = new Headers();
  for (const c of cookies) if (c) headers.append("Set-Cookie", c);
  return headers;
}
