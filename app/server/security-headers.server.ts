import { randomBytes } from "node:crypto";
import { servedOverHttps } from "~/utils/origin.server";

/**
 * The headers the server puts on what it sends (docs/decisions/0020, docs/security.md):
 *
 * - every response: X-Content-Type-Options (no sniffing a CSV or an upload into HTML), Referrer-Policy
 *   (our URLs carry tokens: invitations, check-in codes), and HSTS when the app is served over https;
 * - pages: a Content-Security-Policy whose scripts must carry this response's nonce (Remix's own
 *   inline scripts get it), X-Frame-Options;
 * - everything else Remix answers (data, exports, calendars): a CSP that allows nothing, so a file
 *   opened in the browser can never run as a page; and `Cache-Control: no-store` unless the route
 *   chose otherwise, so signed-in pages and exports stay out of shared and back-button caches.
 */
export function baseHeaders(): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
  };
  if (servedOverHttps()) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** A fresh nonce for one page's scripts. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/** The policy of a page rendered with this nonce. */
export function documentPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Stylesheets from our own files only; style="" attributes (charts, widths) are allowed, <style> is not.
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The outbox shows a message in a frame of its own route (which sandboxes it with its own policy).
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For responses that are not pages: nothing in them may run, load or be framed. */
export const RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** The security headers of a page (entry.server.tsx). */
export function documentHeaders(headers: Headers, nonce: string) {
  headers.set("Content-Security-Policy", documentPolicy(nonce));
  headers.set("X-Frame-Options", "DENY");
}

/** Completes the headers of whatever Remix answered (app/server/remix-adapter.server.ts). */
export function completeHeaders(headers: Headers) {
  for (const [name, value] of Object.entries(baseHeaders())) if (!headers.has(name)) headers.set(name, value);
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", RESOURCE_POLICY);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
}
