/** The header the server hands the client's address to Remix in (overwriting any the client sent). */
export const CLIENT_ADDRESS_HEADER = "X-Luoshi-Client-Address";

/**
 * The client's address as the server saw it: the peer, or with TRUST_PROXY the address our own proxies
 * report (app/server/client-address.server.ts).
 */
export function clientAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}
