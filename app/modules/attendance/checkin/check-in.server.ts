import { and, eq } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import type { CurrentUser } from "~/modules/auth/roles";
import { cadreForClasses } from "~/modules/classes/registration.server";
import { mayRegister } from "~/modules/classes/rules";
import { lockSession } from "~/modules/classes/sessions.server";
import { invalid } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import type { AttendanceStatus } from "~db/schema/attendance";
import { attendanceRecords, classRegistrations, classSessions, classSessionVenues } from "~db/schema/index";
import type { CheckInOutcomeView } from "../components";
import { checkInProblem } from "../rules";
import { checkInStatementRow } from "./batcher.server";
import type { CheckInContext, Identity } from "./statement.server";
import type { CheckInClaims } from "./token.server";

/**
 * Self check-in: the moment of peak load (a thousand cadres within minutes of the start), so the
 * common case is one statement (checkin-statement.server.ts, shared by the check-ins that arrive
 * together). The token was verified in memory; the statement finds the session venue, the cadre's
 * registration and any earlier attendance, inserts the row when the session is open and the cadre
 * enrolled (the unique constraint turns a double scan or a concurrent duplicate into nothing), and
 * records the suspicious-pattern flags. The rarer answers (not enrolled, too early, a lost race) are
 * worked out afterwards from what the statement returned.
 */

export type CheckInCaller = Pick<CurrentUser, "id" | "cadreId">;

export type { CheckInContext };

export type CheckInOutcome =
  | { kind: "checked_in"; status: "present" | "late"; at: Date; walkIn: boolean; flags: number }
  | { kind: "already"; status: AttendanceStatus; at: Date | null }
  | { kind: "not_enrolled"; walkInAllowed: boolean }
  | { kind: "refused"; messageKey: string };

const asDate = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

/** Checks the signed-in cadre in at the venue the code names. Never for anyone else: the cadre is the caller. */
export async function checkIn(db: DbOrTx, caller: CheckInCaller, claims: CheckInClaims, ctx: CheckInContext): Promise<CheckInOutcome> {
  if (!caller.cadreId) return { kind: "refused", messageKey: "attendance.errors.notCadre" };
  const outcome = await run(db, { kind: "user", userId: caller.id, cadreId: caller.cadreId }, claims, ctx);
  return outcome.kind === "unauthenticated" ? { kind: "refused", messageKey: "attendance.errors.notCadre" } : outcome;
}

/**
 * The lean path of the check-in route: the login session (its id, the SHA-256 of the cookie's token) is
 * resolved inside the same statement. "unauthenticated" means the statement found no usable session
 * or no cadre; the route then asks requireUser, which redirects to the login or the password change,
 * or finds an account that is not a cadre's.
 */
export async function checkInWithSession(
  db: DbOrTx,
  session: { sessionId: string; idleMs: number; now: Date },
  claims: CheckInClaims,
  ctx: CheckInContext,
): Promise<CheckInOutcome | { kind: "unauthenticated" }> {
  return run(db, { kind: "session", ...session }, claims, ctx);
}

async function run(
  db: DbOrTx,
  identity: Identity,
  claims: CheckInClaims,
  ctx: CheckInContext,
): Promise<CheckInOutcome | { kind: "unauthenticated" }> {
  const row = await checkInStatementRow(db, { identity, claims, ctx });
  if (!row || row.cadre_id === null) return { kind: "unauthenticated" };
  const cadreId = Number(row.cadre_id);
  if (row.session_id === null) return { kind: "refused", messageKey: "attendance.errors.unknownCode" };
  if (row.new_status) return { kind: "checked_in", status: row.new_status, at: asDate(row.new_ms)!, walkIn: false, flags: row.flags };
  if (row.prior_status === "present" || row.prior_status === "late") {
    return { kind: "already", status: row.prior_status, at: asDate(row.prior_ms) };
  }
  const session = { status: row.session_status as "published", startsAt: asDate(row.starts_ms)!, endsAt: asDate(row.ends_ms)! };
  const problem = checkInProblem(session, ctx.scannedAt, ctx.rules.opensMinutesBefore);
  if (problem) return { kind: "refused", messageKey: problem };
  if (row.reg_status !== "registered") {
    return { kind: "not_enrolled", walkInAllowed: await walkInAllowed(db, row.session_id, cadreId) };
  }
  // Open, enrolled, nothing written: another request for the same cadre won the race a moment ago.
  const [existing] = await db
    .select({ status: attendanceRecords.status, at: attendanceRecords.checkedInAt })
    .from(attendanceRecords)
    .where(and(eq(attendanceRecords.sessionId, row.session_id), eq(attendanceRecords.cadreId, cadreId)));
  if (existing) return { kind: "already", status: existing.status, at: existing.at };
  return { kind: "refused", messageKey: "attendance.errors.tryAgain" };
}

/** Walk-ins are welcome where anyone may register, or when the cadre is in the session's audience anyway. */
async function walkInAllowed(db: DbOrTx, sessionId: number, cadreId: number): Promise<boolean> {
  const [session] = await db
    .select({ audience: classSessions.audience, openRegistration: classSessions.openRegistration })
    .from(classSessions)
    .where(eq(classSessions.id, sessionId));
  if (!session) return false;
  return mayRegister(session, await cadreForClasses(db, cadreId));
}

/**
 * A cadre who is not enrolled but came anyway: enrols them at this venue (or restores a cancelled
 * registration) and checks them in, in one transaction under the session's seat lock, audited. The
 * enrolment makes them count like everyone else; `walk_in` says how it came about.
 */
export async function checkInWalkIn(
  db: Database,
  caller: CheckInCaller,
  claims: CheckInClaims,
  ctx: CheckInContext,
): Promise<CheckInOutcome> {
  if (!caller.cadreId) return { kind: "refused", messageKey: "attendance.errors.notCadre" };
  const cadreId = caller.cadreId;
  return db.transaction(async (tx) => {
    await lockSession(tx, claims.sessionId);
    const [place] = await tx
      .select({ venueId: classSessionVenues.venueId, session: classSessions })
      .from(classSessionVenues)
      .innerJoin(classSessions, eq(classSessions.id, classSessionVenues.sessionId))
      .where(and(eq(classSessionVenues.id, claims.sessionVenueId), eq(classSessionVenues.sessionId, claims.sessionId)));
    if (!place) return { kind: "refused", messageKey: "attendance.errors.unknownCode" } as const;
    const problem = checkInProblem(place.session, ctx.scannedAt, ctx.rules.opensMinutesBefore);
    if (problem) return { kind: "refused", messageKey: problem } as const;
    const [registration] = await tx
      .select()
      .from(classRegistrations)
      .where(and(eq(classRegistrations.sessionId, claims.sessionId), eq(classRegistrations.cadreId, cadreId)));
    if (registration?.status !== "registered") {
      if (!mayRegister(place.session, await cadreForClasses(tx, cadreId))) throw invalid("attendance.errors.walkInNotAllowed", "form");
      const values = {
        status: "registered" as const,
        venueId: place.venueId,
        waitlistVenueId: null,
        waitlistedAt: null,
        cancelledAt: null,
      };
      const [saved] = registration
        ? await tx.update(classRegistrations).set(values).where(eq(classRegistrations.id, registration.id)).returning()
        : await tx
            .insert(classRegistrations)
            .values({ sessionId: claims.sessionId, cadreId, source: "self", ...values })
            .returning();
      await audit(
        tx,
        { userId: caller.id },
        {
          action: "attendance.walk_in",
          entityType: "class_registration",
          entityId: saved!.id,
          before: registration ? { status: registration.status } : null,
          after: { sessionId: claims.sessionId, cadreId, venueId: place.venueId },
        },
      );
    }
    const outcome = await checkIn(tx, caller, claims, ctx);
    if (outcome.kind === "checked_in" && registration?.status !== "registered") {
      await tx
        .update(attendanceRecords)
        .set({ walkIn: true })
        .where(and(eq(attendanceRecords.sessionId, claims.sessionId), eq(attendanceRecords.cadreId, cadreId)));
      return { ...outcome, walkIn: true };
    }
    return outcome;
  });
}

/** The outcome as JSON for the page. */
export function outcomeView(outcome: CheckInOutcome): CheckInOutcomeView {
  if (outcome.kind === "checked_in" || outcome.kind === "already") return { ...outcome, at: outcome.at?.toISOString() ?? null };
  return outcome;
}
