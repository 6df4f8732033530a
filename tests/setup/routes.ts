import { createSession, generateSessionToken } from "~/modules/auth/session.server";
import type { DbOrTx } from "~db/client";

export const ORIGIN = "http://luoshi.test";

/** A cookie header for a fresh login session of this user. */
export async function cookieFor(db: DbOrTx, userId: number): Promise<string> {
  const token = generateSessionToken();
  await createSession(db, token, userId, { idleMs: 3_600_000, maxMs: 86_400_000 });
  return `luoshi_session=${token}`;
}

export function makeRequest(
  path: string,
  options: { cookie?: string; method?: string; form?: Record<string, string | string[]> | FormData } = {},
): Request {
  const headers = new Headers({ origin: ORIGIN, "x-luoshi-client-address": "127.0.0.1" });
  if (options.cookie) headers.set("cookie", options.cookie);
  let body: BodyInit | undefined;
  if (options.form instanceof FormData) body = options.form;
  else if (options.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) for (const one of [v].flat()) params.append(k, one);
    body = params;
  }
  return new Request(`${ORIGIN}${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
}

export interface RouteResult<T = unknown> {
  status: number;
  data?: T;
  headers: Headers;
  location?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loaders and actions of any route
type RouteFn = (args: any) => unknown;

/** Calls a loader or action as Remix would and reports its outcome, thrown responses included. */
export async function callRoute<T = any>(
  fn: RouteFn | undefined,
  request: Request,
  params: Record<string, string> = {},
): Promise<RouteResult<T>> {
  if (!fn) throw new Error("route function missing");
  try {
    return normalise<T>(await fn({ request, params, context: {} }));
  } catch (thrown) {
    if (thrown instanceof Response) return normalise<T>(thrown);
    throw thrown;
  }
}

function normalise<T>(value: unknown): RouteResult<T> {
  if (value instanceof Response) {
    return { status: value.status, headers: value.headers, location: value.headers.get("location") };
  }
  if (value && typeof value === "object" && (value as { type?: string }).type === "DataWithResponseInit") {
    const v = value as { data: T; init?: ResponseInit | null };
    return { status: v.init?.status ?? 200, data: v.data, headers: new Headers(v.init?.headers) };
  }
  return { status: 200, data: value as T, headers: new Headers() };
}
