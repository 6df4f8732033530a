import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";
import type { TrustProxy } from "~/utils/env.server";

/**
 * Which hops of X-Forwarded-For to believe (TRUST_PROXY): none, the nearest N proxies, or proxies at
 * given addresses. The same function is express's `trust proxy` setting and what clientAddressOf
 * uses, so the check-in fast path and the app always record the same address.
 */
export type TrustFunction = (address: string, hop: number) => boolean;

export function trustFunction(trust: TrustProxy): TrustFunction {
  if (trust.kind === "none") return () => false;
  if (trust.kind === "hops") return (_address, hop) => hop < trust.hops;
  return proxyAddr.compile(trust.addresses);
}

/**
 * The client's address: the socket's peer, or, walking X-Forwarded-For from the right, the first address
 * not sent by a trusted proxy. A client can add what it likes to the left of the header; only the
 * entries our own proxies appended are believed.
 */
export function clientAddressOf(req: IncomingMessage, trust: TrustFunction): string {
  return proxyAddr(req, trust) || "unknown";
}
