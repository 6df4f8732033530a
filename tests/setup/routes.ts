import { sql } from "drizzle-orm";
import { createSession, generateSessionToken, sessionIdFromToken } from "~/modules/auth/session.server";
import { getDb } from "~/utils/db.server";
import type { DbOrTx } from "~db/client";

export const ORIGIN = "http://luoshi.test";

/**
 * A cookie header for a fresh login session of this user, signed in completely (the second factor
 * given where one is needed): route tests are about what a signed-in user may do. Sign-in itself is
 * tested through the login routes (auth.test.ts, second-factor.test.ts).
 */
export async function cookieFor(db: DbOrTx, userId: number, options: { secondFactor?: boolean } = {}): Promise<string> {
  const token = generateSessionToken();
  await createSession(db, token, userId, { idleMs: 3_600_000, maxMs: 86_400_000 }, new Date(), {
    secondFactorAt: options.secondFactor === false ? null : new Date(),
  });
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
  const watch = await watchAudit(request);
  try {
    return normalise<T>(await fn({ request, params, context: {} }));
  } catch (thrown) {
    if (thrown instanceof Response) return normalise<T>(thrown);
    throw thrown;
  } finally {
    await watch?.check();
  }
}

/**
 * Every audited action a route performs records the real actor: whatever a signed-in user's request
 * writes to the audit log must name that user, not "the system", nobody, or someone else. Checked
 * on every route call of the integration suites (issue: a flag resolved "by the system" was a person).
 * A request without a session may only write rows that say who acted (a user, or a label).
 */
export const auditActorViolations: string[] = [];

async function watchAudit(request: Request) {
  let db: DbOrTx;
  try {
    db = getDb();
  } catch {
    return null; // no database in this suite
  }
  const token = /luoshi_session=([a-z2-7]{32})/.exec(request.headers.get("cookie") ?? "")?.[1];
  const [row] = await db.execute<{ last: string | null; user_id: number | null }>(sql`
    select (select max(id)::text from audit_log) as last,
      (select user_id from sessions where id = ${token ? sessionIdFromToken(token) : ""}) as user_id`);
  const since = Number(row?.last ?? 0);
  const userId = row?.user_id ?? null;
  return {
    async check() {
      const written = await db.execute<{ id: string; action: string; actor_user_id: number | null; actor_label: string | null }>(sql`
        select id::text, action, actor_user_id, actor_label from audit_log where id > ${since} order by id`);
      const wrong = written.filter((r) => (userId ? r.actor_user_id !== userId : r.actor_user_id === null && !r.actor_label));
      if (!wrong.length) return;
      const what = wrong.map((r) => `${r.action} (actor ${r.actor_user_id ?? r.actor_label ?? "nobody"})`).join(", ");
      const message = `${request.method} ${new URL(request.url).pathname} as ${userId ? `user ${userId}` : "nobody signed in"} audited ${what}`;
      auditActorViolations.push(message);
      throw new Error(`Audit actor is not the real actor: ${message}`);
    },
  };
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
