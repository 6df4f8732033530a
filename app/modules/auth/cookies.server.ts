import { clearCookie, readCookie, setCookie } from "~/utils/cookies.server";

/**
 * The authentication cookies, through the app's one cookie helper (HTTP only, same-site Lax, Secure when
 * the app is served over https): the session (until the session's absolute deadline) and the known
 * device (a browser that completed a sign-in: exempt from the per-address limit; remembered for the
 * second factor if the user asked). The check-in has a device cookie of its own, `luoshi_device`, a
 * random id for its flags; this one is a secret token, so the two have different names.
 */
export const SESSION_COOKIE = "luoshi_session";
export const DEVICE_COOKIE = "luoshi_known_device";

export { readCookie };

export const sessionCookie = (token: string, expiresAt: Date) => setCookie(SESSION_COOKIE, token, { expires: expiresAt });
export const clearSessionCookie = () => clearCookie(SESSION_COOKIE);
export const deviceCookie = (token: string, expiresAt: Date) => setCookie(DEVICE_COOKIE, token, { expires: expiresAt });

/** Headers carrying several Set-Cookie lines. */
export function cookieHeaders(...cookies: (string | null | undefined)[]): Headers {
  const headers = new Headers();
  for (const c of cookies) if (c) headers.append("Set-Cookie", c);
  return headers;
}
