/** The header the server hands the client's address to Remix in (overwriting any the client sent). */
export const CLIENT_ADDRESS_HEADER = "X-Luoshi-Client-Address";

/**
 * The client's address as the server saw it: the peer, or with TRUST_PROXY the address our own proxies
 * report (app/server/client-address.server.ts).
 */
export function clientAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}

/** Where a request came from, as the security log keeps it: the address and the browser's own description. */
export function requestOrigin(request: Request): { address: string; userAgent: string } {
  return { address: clientAddress(request), userAgent: (request.headers.get("user-agent") ?? "").slice(0, 300) };
}
