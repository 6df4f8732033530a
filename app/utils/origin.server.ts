import { env } from "./env.server";

/**
 * The app's one public origin: APP_ORIGIN, or http://localhost:PORT for the embedded demo. Every link
 * the app writes (emails, check-in QR codes, calendar files, password resets) and the cross-site check
 * below use it, never the request's Host or X-Forwarded-Host, which any client can set.
 */
export function appOrigin(): string {
  const config = env();
  return config.APP_ORIGIN ?? `http://localhost:${config.PORT}`;
}

/** Whether the browser reaches the app over https (Secure cookies, HSTS). */
export function servedOverHttps(): boolean {
  return appOrigin().startsWith("https:");
}

/**
 * Origins a page of ours may post from: the app origin; without APP_ORIGIN also the loopback
 * spellings of the same port (http://127.0.0.1:3000, http://[::1]:3000), where only a page served by
 * this very server can live.
 */
export function acceptedOrigins(): string[] {
  const config = env();
  const origin = appOrigin();
  if (config.APP_ORIGIN) return [origin];
  return [origin, `http://127.0.0.1:${config.PORT}`, `http://[::1]:${config.PORT}`];
}

/**
 * Cross-site request forgery defence for every mutation: a non-GET request must come from our own
 * pages. Browsers send Origin on POST; Sec-Fetch-Site covers the few that do not. `Origin: null` (a
 * sandboxed frame, a privacy redirect) names no page of ours and is refused.
 */
export function isSameOriginRequest(
  method: string,
  headers: { origin?: string | null; secFetchSite?: string | null },
  accepted: readonly string[],
): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return true;
  const origin = headers.origin;
  if (origin) return accepted.includes(origin);
  return headers.secFetchSite === "same-origin";
}

/** What a refused cross-site request is told (plain text: no page of ours asked for it). */
export const CROSS_SITE_REFUSAL = "请求来源无效，请刷新页面后重试。 / Cross-site request refused.";

/** Where links point: the given origin (a test's), else the app origin. */
export function linkOrigin(origin?: string): string {
  return origin ?? appOrigin();
}
