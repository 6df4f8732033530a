import { SESSION_COOKIE } from "~/modules/auth/guards.server";
import type { CurrentUser } from "~/modules/auth/roles";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import { cachedSecurityPolicy } from "~/modules/security/policy.server";
import type { Database } from "~db/client";
import type { CheckInResultData } from "../components";
import { cachedAttendanceRules } from "../settings.server";
import { checkIn, checkInWalkIn, checkInWithSession, outcomeView } from "./check-in.server";
import { deviceOf, scanTime } from "./scan.server";
import { checkInSigningKey } from "./secret.server";
import { type CheckInClaims, readCheckInToken } from "./token.server";

/**
 * The check-in confirm (the button on /c/<token>), in one place for its two callers: the route's
 * action and the fast path that answers the same POST ahead of express and Remix
 * (fast-path.server.ts, docs/decisions/0010).
 *
 * The common case is settled by one statement that resolves the login session from the cookie, finds
 * the enrolment and writes the row. What that statement cannot settle needs the signed-in user: a
 * forged or expired code (the answer is only for someone signed in), no login cookie, a login the
 * statement does not accept (expired, a password to change, not a cadre's account), a walk-in. The
 * route passes `signedIn` (its requireUser, which redirects to the login when there is nobody); the fast
 * path passes nothing and gets null, and then hands the request to Remix, which calls this again.
 */
export interface ConfirmRequest {
  /** The code from the URL. */
  token: string;
  /** The request's cookies (readCookies): login, remembered scan, device. */
  cookies: Record<string, string>;
  /** The form's intent: "confirm" (or absent), or "walk_in". */
  intent: string | null;
  /** The client's address as the server saw it (app/server/client-address.server.ts). */
  address: string;
  now?: Date;
}

export interface ConfirmAnswer {
  status: 200 | 400 | 410;
  data: CheckInResultData;
}

export function confirmCheckIn(db: Database, request: ConfirmRequest, signedIn: () => Promise<CurrentUser>): Promise<ConfirmAnswer>;
export function confirmCheckIn(db: Database, request: ConfirmRequest): Promise<ConfirmAnswer | null>;
export async function confirmCheckIn(
  db: Database,
  request: ConfirmRequest,
  signedIn?: () => Promise<CurrentUser>,
): Promise<ConfirmAnswer | null> {
  const now = request.now ?? new Date();
  const key = await checkInSigningKey(db);
  const claims = genuineClaims(key, request.token);
  if (!claims) return refusal(400, "attendance.errors.unknownCode", signedIn);
  const scannedAt = scanTime(key, request.token, claims, request.cookies, now);
  if (!scannedAt) return refusal(410, "attendance.errors.expired", signedIn);
  const ctx = {
    scannedAt,
    deviceId: deviceOf(request.cookies).deviceId,
    address: request.address,
    rules: await cachedAttendanceRules(db),
  };
  const walkIn = request.intent === "walk_in";
  const loginToken = request.cookies[SESSION_COOKIE];
  if (!walkIn && loginToken) {
    const policy = await cachedSecurityPolicy(db);
    const session = { sessionId: sessionIdFromToken(loginToken), idleMs: policy.otherIdleMinutes * 60_000, now };
    const outcome = await checkInWithSession(db, session, claims, ctx);
    if (outcome.kind !== "unauthenticated") return { status: 200, data: { outcome: outcomeView(outcome) } };
  }
  if (!signedIn) return null;
  const user = await signedIn();
  const outcome = walkIn ? await checkInWalkIn(db, user, claims, ctx) : await checkIn(db, user, claims, ctx);
  return { status: 200, data: { outcome: outcomeView(outcome) } };
}

async function refusal(status: 400 | 410, messageKey: string, signedIn?: () => Promise<CurrentUser>): Promise<ConfirmAnswer | null> {
  if (!signedIn) return null;
  await signedIn();
  return { status, data: { outcome: { kind: "refused", messageKey } } };
}

/**
 * Genuine tokens already read, by their text: a venue's code is the same for everyone who scans it in
 * its 30-second window, so its MAC need be checked once, not a thousand times. Only what
 * readCheckInToken accepted is kept, for the key it was checked with; time is checked on every scan.
 */
const genuineTokens = { key: null as Buffer | null, claims: new Map<string, CheckInClaims>() };
function genuineClaims(key: Buffer, token: string): CheckInClaims | null {
  if (genuineTokens.key !== key) {
    genuineTokens.key = key;
    genuineTokens.claims.clear();
  }
  const known = genuineTokens.claims.get(token);
  if (known) return known;
  const claims = readCheckInToken(key, token);
  if (!claims) return null;
  if (genuineTokens.claims.size >= 1024) genuineTokens.claims.clear();
  genuineTokens.claims.set(token, claims);
  return claims;
}
