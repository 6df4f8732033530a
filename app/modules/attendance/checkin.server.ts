import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { Database, DbOrTx } from "~db/client";
import { attendanceRecords, classRegistrations, classSessions, classSessionVenues } from "~db/schema";
import type { AttendanceStatus } from "~db/schema/attendance";
import { audit } from "~/modules/audit/service.server";
import type { CurrentUser } from "~/modules/auth/roles";
import { cadreForClasses } from "~/modules/classes/registration.server";
import { mayRegister } from "~/modules/classes/rules";
import { lockSession } from "~/modules/classes/sessions.server";
import { invalid } from "~/utils/errors";
import type { CheckInOutcomeView } from "./components";
import { type AttendanceRules, checkInProblem } from "./rules";
import type { CheckInClaims } from "./token.server";

/**
 * Self check-in: the moment of peak load (a thousand cadres within minutes of the start), so the
 * common case is one statement, one round trip. The token was verified in memory; the statement finds
 * the session venue, the cadre's registration and any earlier attendance, inserts the row when the
 * session is open and the cadre enrolled (the unique constraint turns a double scan or a concurrent
 * duplicate into nothing), and records the suspicious-pattern flags. The rarer answers (not enrolled,
 * too early, a lost race) are worked out afterwards from what the statement returned.
 */

export type CheckInCaller = Pick<CurrentUser, "id" | "cadreId">;

export interface CheckInContext {
  /** When the valid code was scanned: now, or the remembered scan after a login. Decides present or late. */
  scannedAt: Date;
  deviceId: string | null;
  address: string | null;
  rules: AttendanceRules;
}

export type CheckInOutcome =
  | { kind: "checked_in"; status: "present" | "late"; at: Date; walkIn: boolean; flags: number }
  | { kind: "already"; status: AttendanceStatus; at: Date | null }
  | { kind: "not_enrolled"; walkInAllowed: boolean }
  | { kind: "refused"; messageKey: string };

interface StatementRow extends Record<string, unknown> {
  user_id: number | null;
  cadre_id: number | null;
  session_id: number | null;
  session_status: string | null;
  starts_ms: number | null;
  ends_ms: number | null;
  reg_status: string | null;
  prior_status: AttendanceStatus | null;
  prior_ms: number | null;
  new_status: "present" | "late" | null;
  new_ms: number | null;
  flags: number;
}

/**
 * Who is checking in, as the statement resolves it: a user the request already loaded (requireUser), or
 * the login session itself, validated inside the statement by the same rules as validateSessionToken
 * (live, not idle, account enabled, no password change pending) and touched at most once a minute, so
 * the check-in needs no separate round trips to load the user.
 */
type Identity =
  | { kind: "user"; userId: number; cadreId: number }
  | { kind: "session"; sessionId: string; idleMs: number; now: Date };

/** Everything the statement is given. Named, so that the text can be made once with placeholders. */
interface StatementValues {
  userId: number | null;
  cadreId: number | null;
  loginSessionId: string | null;
  now: string | null;
  idleSeconds: number | null;
  classSessionId: number;
  sessionVenueId: number;
  at: string;
  graceMinutes: number;
  opensMinutesBefore: number;
  deviceId: string | null;
  address: string | null;
  deviceCadres: number;
  addressCadres: number;
  addressWindowSeconds: number;
}
type Input = { [K in keyof StatementValues]: StatementValues[K] | Placeholder };

function identitySql(kind: Identity["kind"], v: Input): { me: SQL; touch: SQL } {
  if (kind === "user") {
    return { me: sql`select ${v.userId}::int as user_id, ${v.cadreId}::int as cadre_id`, touch: sql`select 1 where false` };
  }
  return {
    me: sql`
      select u.id as user_id, u.cadre_id from sessions ls join users u on u.id = ls.user_id
      where ls.id = ${v.loginSessionId}::text and ls.expires_at > ${v.now}::timestamptz and ls.idle_expires_at > ${v.now}::timestamptz
        and not u.disabled and not u.must_change_password and u.cadre_id is not null`,
    touch: sql`
      update sessions set last_seen_at = ${v.now}::timestamptz,
        idle_expires_at = least(${v.now}::timestamptz + make_interval(secs => ${v.idleSeconds}::float8), expires_at)
      where id = ${v.loginSessionId}::text and last_seen_at < ${v.now}::timestamptz - interval '60 seconds' and exists (select 1 from me)
      returning 1`,
  };
}

/**
 * The statement, for values or for placeholders. Every lookup names its keys directly (the class
 * session from the token, the cadre from `me`), so the plan PostgreSQL keeps for the prepared statement
 * is a handful of unique-index probes whatever the tables held when it was made.
 */
function checkInSql(kind: Identity["kind"], v: Input) {
  const { me, touch } = identitySql(kind, v);
  return sql<StatementRow>`
    with me as (${me}),
    -- Data-modifying: runs whether or not anything reads it.
    touched as (${touch}),
    sv as (
      select sv.id as sv_id, sv.venue_id, s.id as session_id, s.status::text as session_status, s.starts_at, s.ends_at
      from class_session_venues sv join class_sessions s on s.id = sv.session_id
      where sv.id = ${v.sessionVenueId}::int and sv.session_id = ${v.classSessionId}::int
    ),
    reg as (
      select r.venue_id, r.status::text as reg_status from class_registrations r
      where r.session_id = ${v.classSessionId}::int and r.cadre_id = (select cadre_id from me)
    ),
    prior as (
      select a.status::text as status, a.checked_in_at from attendance_records a
      where a.session_id = ${v.classSessionId}::int and a.cadre_id = (select cadre_id from me)
    ),
    ins as (
      insert into attendance_records as a
        (session_id, cadre_id, session_venue_id, status, source, checked_in_at, other_venue, device_id, client_address, recorded_by_user_id)
      select sv.session_id, me.cadre_id, sv.sv_id,
        (case when ${v.at}::timestamptz > sv.starts_at + make_interval(mins => ${v.graceMinutes}::int) then 'late' else 'present' end)::attendance_status,
        'qr', ${v.at}::timestamptz, reg.venue_id is distinct from sv.venue_id, ${v.deviceId}::text, ${v.address}::text, me.user_id
      from sv join reg on reg.reg_status = 'registered' cross join me
      where sv.session_status = 'published'
        and ${v.at}::timestamptz >= sv.starts_at - make_interval(mins => ${v.opensMinutesBefore}::int)
        and ${v.at}::timestamptz <= sv.ends_at
      -- Marked absent or excused by the roster before the cadre arrived: the scan is the better evidence.
      on conflict (session_id, cadre_id) do update
        set status = excluded.status, source = excluded.source, checked_in_at = excluded.checked_in_at,
            session_venue_id = excluded.session_venue_id, other_venue = excluded.other_venue,
            device_id = excluded.device_id, client_address = excluded.client_address,
            recorded_by_user_id = excluded.recorded_by_user_id, updated_at = now()
        where a.status in ('absent', 'excused')
      returning a.id, a.session_id, a.cadre_id, a.status::text as status, a.checked_in_at, a.other_venue
    ),
    peers as (
      select ins.id as record_id,
        case when ${v.deviceId}::text is null then '[]'::jsonb else (
          select coalesce(jsonb_agg(o.cadre_id), '[]'::jsonb) from (
            select o.cadre_id from attendance_records o
            where o.session_id = ${v.classSessionId}::int and o.device_id = ${v.deviceId}::text and o.cadre_id <> ins.cadre_id
            limit 20) o
        ) end as device_cadres,
        case when ${v.address}::text is null then 0 else (
          select count(*)::int from (
            select 1 from attendance_records o
            where o.session_id = ${v.classSessionId}::int and o.client_address = ${v.address}::text and o.cadre_id <> ins.cadre_id
              and o.checked_in_at > ins.checked_in_at - make_interval(secs => ${v.addressWindowSeconds}::int)
            limit ${v.addressCadres}::int) o
        ) end as address_cadres
      from ins
    ),
    flagged as (
      insert into attendance_flags (session_id, record_id, cadre_id, kind, detail)
      select ins.session_id, ins.id, ins.cadre_id, f.kind::attendance_flag_kind, f.detail
      from ins join peers on peers.record_id = ins.id
      cross join lateral (values
        ('other_venue', case when ins.other_venue then jsonb_build_object('registeredVenueId', (select venue_id from reg)) end),
        ('shared_device', case when jsonb_array_length(peers.device_cadres) >= ${v.deviceCadres}::int - 1
          then jsonb_build_object('otherCadreIds', peers.device_cadres) end),
        ('shared_address', case when peers.address_cadres >= ${v.addressCadres}::int - 1
          then jsonb_build_object('address', ${v.address}::text, 'others', peers.address_cadres, 'windowSeconds', ${v.addressWindowSeconds}::int) end)
      ) as f(kind, detail)
      where f.detail is not null
      on conflict (record_id, kind) do nothing
      returning 1
    )
    select me.user_id, me.cadre_id, sv.session_id, sv.session_status,
      (extract(epoch from sv.starts_at) * 1000)::float8 as starts_ms, (extract(epoch from sv.ends_at) * 1000)::float8 as ends_ms,
      reg.reg_status, prior.status as prior_status, (extract(epoch from prior.checked_in_at) * 1000)::float8 as prior_ms,
      ins.status as new_status, (extract(epoch from ins.checked_in_at) * 1000)::float8 as new_ms,
      (select count(*)::int from flagged) as flags
    from (select 1) as one
    left join me on true left join sv on true left join reg on true left join prior on true left join ins on true`;
}

function statementValues(identity: Identity, claims: CheckInClaims, ctx: CheckInContext): StatementValues {
  const { graceMinutes, opensMinutesBefore, flags } = ctx.rules;
  return {
    userId: identity.kind === "user" ? identity.userId : null,
    cadreId: identity.kind === "user" ? identity.cadreId : null,
    loginSessionId: identity.kind === "session" ? identity.sessionId : null,
    now: identity.kind === "session" ? identity.now.toISOString() : null,
    idleSeconds: identity.kind === "session" ? identity.idleMs / 1000 : null,
    classSessionId: claims.sessionId,
    sessionVenueId: claims.sessionVenueId,
    at: ctx.scannedAt.toISOString(),
    graceMinutes,
    opensMinutesBefore,
    deviceId: ctx.deviceId,
    address: ctx.address,
    deviceCadres: flags.deviceCadres,
    addressCadres: flags.addressCadres,
    addressWindowSeconds: flags.addressWindowSeconds,
  };
}

// Every value by name (the type makes sure none is missing), for the placeholders.
const VALUE_NAMES = Object.keys({
  userId: 1, cadreId: 1, loginSessionId: 1, now: 1, idleSeconds: 1, classSessionId: 1, sessionVenueId: 1, at: 1,
  graceMinutes: 1, opensMinutesBefore: 1, deviceId: 1, address: 1, deviceCadres: 1, addressCadres: 1, addressWindowSeconds: 1,
} satisfies Record<keyof StatementValues, 1>) as (keyof StatementValues)[];

/**
 * The statement's text, made once per kind of identity, with one parameter per value (drizzle numbers
 * every occurrence apart; `now` alone appears four times), and the value that goes to each parameter.
 */
function preparedText(kind: Identity["kind"]) {
  const placeholders = Object.fromEntries(VALUE_NAMES.map((name) => [name, sql.placeholder(name)])) as unknown as Input;
  const query = new PgDialect().sqlToQuery(checkInSql(kind, placeholders));
  const occurrences = query.params.map((p) => (p as Placeholder).name as keyof StatementValues);
  const names = [...new Set(occurrences)];
  const text = query.sql.replace(/\$(\d+)\b/g, (_, n: string) => `$${names.indexOf(occurrences[Number(n) - 1]!) + 1}`);
  return { text, names };
}

const PREPARED = { user: preparedText("user"), session: preparedText("session") };

const asDate = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

/**
 * Runs the statement as a named prepared statement on the pool's connection: drizzle sends every query
 * unprepared, so PostgreSQL would plan this one (~1.5 ms) on every scan. Prepared, it is planned a few
 * times per connection and then reused; its text and parameter order are worked out once, above.
 * Inside a transaction (the walk-in) it goes the ordinary way.
 */
async function runStatement(db: DbOrTx, identity: Identity, claims: CheckInClaims, ctx: CheckInContext): Promise<StatementRow[]> {
  const values = statementValues(identity, claims, ctx);
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client) return db.execute<StatementRow>(checkInSql(identity.kind, values));
  const { text, names } = PREPARED[identity.kind];
  return client.unsafe<StatementRow[]>(text, names.map((name) => values[name]) as postgres.ParameterOrJSON<never>[], { prepare: true });
}

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

async function run(db: DbOrTx, identity: Identity, claims: CheckInClaims, ctx: CheckInContext): Promise<CheckInOutcome | { kind: "unauthenticated" }> {
  const [row] = await runStatement(db, identity, claims, ctx);
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
export async function checkInWalkIn(db: Database, caller: CheckInCaller, claims: CheckInClaims, ctx: CheckInContext): Promise<CheckInOutcome> {
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
      const values = { status: "registered" as const, venueId: place.venueId, waitlistVenueId: null, waitlistedAt: null, cancelledAt: null };
      const [saved] = registration
        ? await tx.update(classRegistrations).set(values).where(eq(classRegistrations.id, registration.id)).returning()
        : await tx.insert(classRegistrations).values({ sessionId: claims.sessionId, cadreId, source: "self", ...values }).returning();
      await audit(tx, { userId: caller.id }, {
        action: "attendance.walk_in",
        entityType: "class_registration",
        entityId: saved!.id,
        before: registration ? { status: registration.status } : null,
        after: { sessionId: claims.sessionId, cadreId, venueId: place.venueId },
      });
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
