/**
 * The client's address as the express server saw it (it sets X-Luoshi-Client-Address from req.ip,
 * which honours X-Forwarded-For only when TRUST_PROXY is on).
 */
export function clientAddress(request: Request): string {
  return request.headers.get("x-luoshi-client-address") ?? "unknown";
}

/** Where a request came from, as the security log keeps it: the address and the browser's own description. */
export function requestOrigin(request: Request): { address: string; userAgent: string } {
  return { address: clientAddress(request), userAgent: (request.headers.get("user-agent") ?? "").slice(0, 300) };
}
