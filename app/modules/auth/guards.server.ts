import { redirect } from "@remix-run/node";
import { getDb } from "~/utils/db.server";
import { readCookie, SESSION_COOKIE } from "./cookies.server";
import { type CurrentUser, hasRole, type Role, scopeCoversUnit } from "./roles";
import { loadCurrentUser } from "./service.server";
import { validateSessionToken } from "./session.server";

export { clearSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from "./cookies.server";

const perRequest = new WeakMap<Request, Promise<CurrentUser | null>>();

/** The signed-in user, or null; looked up once per request however many loaders ask. */
export function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = (async () => {
      const token = readCookie(request, SESSION_COOKIE);
      if (!token) return null;
      const db = getDb();
      const session = await validateSessionToken(db, token);
      if (!session) return null;
      return loadCurrentUser(db, session.userId, session.id, session);
    })();
    perRequest.set(request, pending);
  }
  return pending;
}

/** The page each unfinished step of signing in must go through before any other opens. */
export const SECOND_FACTOR_PAGE = "/login/second-factor";
export const ENROL_PAGE = "/account/second-factor";
export const PASSWORD_PAGE = "/account/password";

/** Where a signed-in user must go first, if anywhere: the second factor, then a new password. */
export function pendingStep(user: Pick<CurrentUser, "secondFactor" | "mustChangePassword" | "passwordExpired">): string | null {
  if (user.secondFactor === "needed") return SECOND_FACTOR_PAGE;
  if (user.secondFactor === "enrol") return ENROL_PAGE;
  if (user.mustChangePassword || user.passwordExpired) return PASSWORD_PAGE;
  return null;
}

/** Where a sign-in goes next: the step it still needs, carrying the way back, or the way back itself. */
export function nextStepUrl(next: "done" | "second_factor" | "enrol" | null, redirectTo: string): string {
  const step = next === "second_factor" ? SECOND_FACTOR_PAGE : next === "enrol" ? ENROL_PAGE : null;
  if (!step) return redirectTo;
  return redirectTo && redirectTo !== "/" ? `${step}?redirectTo=${encodeURIComponent(redirectTo)}` : step;
}

/**
 * Sends anyone not signed in to the login page; anyone half-way through signing in (second factor to
 * give or to enrol, a one-time or expired password to replace) to that step, and nowhere else, until
 * it is done. Each step then carries on to where they were going (a scanned check-in link, say).
 */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const returnTo = back && back !== "/" ? `?redirectTo=${encodeURIComponent(back)}` : "";
  if (!user) throw redirect(`/login${returnTo}`);
  const step = pendingStep(user);
  if (step && url.pathname !== step && url.pathname !== "/logout") {
    // The way back is kept through every step; a step page's own address is not a way back.
    const carried = [SECOND_FACTOR_PAGE, ENROL_PAGE, PASSWORD_PAGE].includes(url.pathname) ? url.search : returnTo;
    throw redirect(`${step}${carried}`);
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
