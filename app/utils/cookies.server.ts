import { parse, serialize } from "cookie";
import { servedOverHttps } from "./origin.server";

/**
 * The one home for cookies (jshttp's `cookie`, the parser express and Remix use). Reading never throws:
 * a malformed header or a value that is not valid percent-encoding reads as that text, or as absent.
 * Every cookie the app sets is HttpOnly and SameSite=Lax, and Secure whenever the app is served over
 * https (APP_ORIGIN), whatever the request's own scheme says behind a proxy.
 *
 *   readCookie(request, "luoshi_lng")                       → "en" | null
 *   setCookie("luoshi_lng", "en", { maxAge: 365 * 86_400 }) → a Set-Cookie value
 *   clearCookie("luoshi_session")                           → a Set-Cookie value that removes it
 */

/** A request, or the text of its Cookie header (a Node request's `req.headers.cookie`). */
export type CookieSource = { headers: Pick<Headers, "get"> } | string | null | undefined;

/** Every cookie of a request (or of a Cookie header's text), by name. */
export function readCookies(source: CookieSource): Record<string, string> {
  const header = typeof source === "string" || source == null ? source : source.headers.get("Cookie");
  if (!header) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parse(header))) if (value !== undefined) out[name] = value;
  return out;
}

export function readCookie(source: CookieSource, name: string): string | null {
  return readCookies(source)[name] ?? null;
}

export interface CookieOptions {
  /** Defaults to "/". */
  path?: string;
  /** Seconds; or `expires` for a fixed end. Neither: a cookie for the browser's session. */
  maxAge?: number;
  expires?: Date;
  /** Defaults to true; only a cookie that page scripts must read would turn it off. */
  httpOnly?: boolean;
}

/** A Set-Cookie header value. */
export function setCookie(name: string, value: string, options: CookieOptions = {}): string {
  return serialize(name, value, {
    path: options.path ?? "/",
    maxAge: options.maxAge,
    expires: options.expires,
    httpOnly: options.httpOnly ?? true,
    sameSite: "lax",
    secure: servedOverHttps(),
  });
}

/** A Set-Cookie header value that deletes the cookie (same name and path). */
export function clearCookie(name: string, options: Pick<CookieOptions, "path" | "httpOnly"> = {}): string {
  return setCookie(name, "", { ...options, maxAge: 0 });
}
