/**
 * Cross-site request forgery defence for every mutation: a non-GET request must come from our own
 * pages. Browsers send Origin on POST; Sec-Fetch-Site covers the few that do not.
 */
export function isSameOriginRequest(
  method: string,
  headers: { origin?: string | null; secFetchSite?: string | null; host?: string | null },
  allowedOrigins: string[],
): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return true;
  const origin = headers.origin;
  if (origin && origin !== "null") {
    if (allowedOrigins.includes(origin)) return true;
    if (headers.host) {
      try {
        return new URL(origin).host === headers.host;
      } catch {
        return false;
      }
    }
    return false;
  }
  return headers.secFetchSite === "same-origin";
}
