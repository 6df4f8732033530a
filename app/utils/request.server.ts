/**
 * The client's address as the express server saw it (it sets X-Luoshi-Client-Address from req.ip,
 * which honours X-Forwarded-For only when TRUST_PROXY is on).
 */
export function clientAddress(request: Request): string {
  return request.headers.get("x-luoshi-client-address") ?? "unknown";
}
