import { redirect } from "@remix-run/node";
import { clearCookie, readCookie, setCookie } from "~/utils/cookies.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import type { RateLimitPolicy } from "./rate-limit.server";
import { type CurrentUser, hasRole, type Role, scopeCoversUnit } from "./roles";
import { loadCurrentUser } from "./service.server";
import { type SessionPolicy, validateSessionToken } from "./session.server";

export const SESSION_COOKIE = "luoshi_session";

export function sessionPolicy(): SessionPolicy {
  const e = env();
  return { idleMs: e.SESSION_IDLE_HOURS * 3_600_000, maxMs: e.SESSION_MAX_DAYS * 86_400_000 };
}

export function rateLimitPolicy(): RateLimitPolicy {
  const e = env();
  return {
    maxPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowMs: e.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
  };
}

export function sessionCookie(token: string, expiresAt: Date): string {
  return setCookie(SESSION_COOKIE, token, { expires: expiresAt });
}

export function clearSessionCookie(): string {
  return clearCookie(SESSION_COOKIE);
}

const perRequest = new WeakMap<Request, Promise<CurrentUser | null>>();

/** The signed-in user, or null; looked up once per request however many loaders ask. */
export function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = (async () => {
      const token = readCookie(request, SESSION_COOKIE);
      if (!token) return null;
      const db = getDb();
      const session = await validateSessionToken(db, token, sessionPolicy());
      if (!session) return null;
      return loadCurrentUser(db, session.userId, session.id);
    })();
    perRequest.set(request, pending);
  }
  return pending;
}

/** Sends anyone not signed in to the login page, and anyone with a one-time password to change it. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const returnTo = back && back !== "/" ? `?redirectTo=${encodeURIComponent(back)}` : "";
  if (!user) throw redirect(`/login${returnTo}`);
  if (user.mustChangePassword && url.pathname !== "/account/password" && url.pathname !== "/logout") {
    // Back to where they were going once the one-time password is replaced (a scanned check-in link, say).
    throw redirect(`/account/password${returnTo}`);
  }
  return user;
}

/**
 * Signed in and admitted by a capability's access rule (`mayOpenClasses`, `mayUseRankings`…), the same
 * rule the navigation shows the page by; else 403.
 */
export async function requireAccess(request: Request, rule: (user: CurrentUser) => boolean): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!rule(user)) throw forbiddenResponse();
  return user;
}

export async function requireRole(request: Request, ...roles: Role[]): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!hasRole(user, ...roles)) throw forbiddenResponse();
  return user;
}

/** Units outside the caller's scope answer 404: their existence is nobody else's business. */
export function requireUnitScope(user: CurrentUser, unitId: number): void {
  if (!scopeCoversUnit(user.scope, unitId)) throw notFoundResponse();
}

export function forbiddenResponse() {
  return new Response("Forbidden", { status: 403, statusText: "Forbidden" });
}

export function notFoundResponse() {
  return new Response("Not Found", { status: 404, statusText: "Not Found" });
}
