import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { DbOrTx } from "~db/client";
import type { AttendanceStatus } from "~db/schema/attendance";
import type { AttendanceRules } from "../rules";
import type { CheckInClaims } from "./token.server";

/**
 * The check-in's one statement, for any number of check-ins at once (docs/decisions/0010). Each input
 * row names who is checking in — a login session the statement validates (live, not idle, signed in
 * with its second factor where one is needed, account
 * enabled, no password change pending, a cadre's) and touches at most once a minute, or a user the
 * caller already loaded — and the session venue the code names, the scan time, the device and the
 * address. The statement finds each session venue, registration and earlier attendance, inserts the
 * rows of those open and enrolled (one per cadre and session: the unique constraint turns a double scan
 * or a concurrent duplicate into nothing, and two of one cadre in one batch into one insert, the
 * first), records the suspicious-pattern flags, and returns one row per input row in input order.
 *
 * Alone (one input row) it is what a single check-in runs; under load the batcher
 * (checkin-batcher.server.ts) sends the confirms that arrive while earlier ones are in flight as one
 * statement: one round trip, one transaction and one commit for many, which is most of a check-in's
 * cost in PostgreSQL.
 */

export type Identity =
  | { kind: "user"; userId: number; cadreId: number }
  | { kind: "session"; sessionId: string; idleMs: number; now: Date };

export interface CheckInContext {
  /** When the valid code was scanned: now, or the remembered scan after a login. Decides present or late. */
  scannedAt: Date;
  deviceId: string | null;
  address: string | null;
  rules: AttendanceRules;
}

export interface CheckInItem {
  identity: Identity;
  claims: CheckInClaims;
  ctx: CheckInContext;
}

export interface StatementRow extends Record<string, unknown> {
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
 * An array parameter as PostgreSQL's array literal (`{"a",NULL,"b"}`), cast in the statement: the same
 * text whether the statement is prepared on the pool or sent by drizzle inside a transaction.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const element = (v: string | number | null) =>
    v === null ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return `{${values.map(element).join(",")}}`;
}

/** Per input row, an array literal (one element per check-in); then the settings every row shares. */
interface StatementValues {
  loginSessionIds: string;
  nows: string;
  userIds: string;
  cadreIds: string;
  classSessionIds: string;
  sessionVenueIds: string;
  ats: string;
  deviceIds: string;
  addresses: string;
  idleSeconds: number;
  graceMinutes: number;
  opensMinutesBefore: number;
  deviceCadres: number;
  addressCadres: number;
  addressWindowSeconds: number;
}
type Input = { [K in keyof StatementValues]: StatementValues[K] | Placeholder };

/**
 * The statement, for values or for placeholders. Every lookup goes by key from the input rows (the
 * login session, the class session and venue from the token, the cadre from `me`), so the plan
 * PostgreSQL keeps for the prepared statement is index probes per input row whatever the tables held
 * when it was made.
 */
function checkInSql(v: Input): SQL {
  return sql`
    with input as (
      select x.* from unnest(
        ${v.loginSessionIds}::text::text[], ${v.nows}::text::timestamptz[], ${v.userIds}::text::int[], ${v.cadreIds}::text::int[],
        ${v.classSessionIds}::text::int[], ${v.sessionVenueIds}::text::int[], ${v.ats}::text::timestamptz[],
        ${v.deviceIds}::text::text[], ${v.addresses}::text::text[]
      ) with ordinality as x(login_session_id, now, given_user_id, given_cadre_id, class_session_id, session_venue_id, at, device_id, address, n)
    ),
    me as (
      select x.n, u.id as user_id, u.cadre_id
      from input x join sessions ls on ls.id = x.login_session_id join users u on u.id = ls.user_id
      where ls.expires_at > x.now and ls.idle_expires_at > x.now and ls.second_factor_at is not null
        and not u.disabled and not u.must_change_password and u.cadre_id is not null
      union all
      -- A caller already loaded (requireUser): nothing to validate.
      select x.n, x.given_user_id, x.given_cadre_id from input x where x.login_session_id is null
    ),
    -- Data-modifying: runs whether or not anything reads it. A login session in the batch twice is touched once.
    -- A login session another statement is touching right now (the same phone's double tap, sent to
    -- another app server) is left to it: it sets the same time, and waiting for its row could deadlock
    -- with the attendance rows that statement writes, which this one may be writing too.
    touched as (
      update sessions ls set last_seen_at = t.now,
        idle_expires_at = least(t.now + make_interval(secs => ${v.idleSeconds}::float8), ls.expires_at)
      from (
        select l.id, d.now
        from (
          select distinct on (x.login_session_id) x.login_session_id, x.now
          from input x join me on me.n = x.n
          where x.login_session_id is not null
          order by x.login_session_id, x.now desc) d
        join sessions l on l.id = d.login_session_id and l.last_seen_at < d.now - interval '60 seconds'
        for update of l skip locked) t
      where ls.id = t.id
      returning 1
    ),
    -- Lateral lookups, fenced by their LIMIT (at most one row each way: the keys are unique), so that
    -- each input row probes the unique indexes with both its keys; as a join, the planner would read a
    -- whole session's rows and filter them, more with every check-in.
    sv as (
      select x.n, v.* from input x cross join lateral (
        select sv.id as sv_id, sv.venue_id, s.id as session_id, s.status::text as session_status, s.starts_at, s.ends_at
        from class_session_venues sv join class_sessions s on s.id = sv.session_id
        where sv.id = x.session_venue_id and sv.session_id = x.class_session_id
        limit 1) v
    ),
    reg as (
      select x.n, r.* from input x join me on me.n = x.n cross join lateral (
        select r.venue_id, r.status::text as reg_status from class_registrations r
        where r.session_id = x.class_session_id and r.cadre_id = me.cadre_id
        limit 1) r
    ),
    prior as (
      select x.n, a.* from input x join me on me.n = x.n cross join lateral (
        select a.status::text as status, a.checked_in_at from attendance_records a
        where a.session_id = x.class_session_id and a.cadre_id = me.cadre_id
        limit 1) a
    ),
    -- Open and enrolled; of one cadre's check-ins at one session, the first of the batch.
    chosen as (
      select distinct on (sv.session_id, me.cadre_id) x.n, sv.session_id, me.cadre_id, me.user_id, sv.sv_id, x.at,
        x.device_id, x.address, reg.venue_id is distinct from sv.venue_id as other_venue,
        (case when x.at > sv.starts_at + make_interval(mins => ${v.graceMinutes}::int) then 'late' else 'present' end)::attendance_status as status
      from input x
      join me on me.n = x.n
      join sv on sv.n = x.n
      join reg on reg.n = x.n and reg.reg_status = 'registered'
      where sv.session_status = 'published'
        and x.at >= sv.starts_at - make_interval(mins => ${v.opensMinutesBefore}::int)
        and x.at <= sv.ends_at
      order by sv.session_id, me.cadre_id, x.n
    ),
    ins as (
      insert into attendance_records as a
        (session_id, cadre_id, session_venue_id, status, source, checked_in_at, other_venue, device_id, client_address, recorded_by_user_id)
      -- In key order, so that two batches that share cadres take their rows in the same order.
      select c.session_id, c.cadre_id, c.sv_id, c.status, 'qr', c.at, c.other_venue, c.device_id, c.address, c.user_id
      from chosen c order by c.session_id, c.cadre_id
      -- Marked absent or excused by the roster before the cadre arrived: the scan is the better evidence.
      on conflict (session_id, cadre_id) do update
        set status = excluded.status, source = excluded.source, checked_in_at = excluded.checked_in_at,
            session_venue_id = excluded.session_venue_id, other_venue = excluded.other_venue,
            device_id = excluded.device_id, client_address = excluded.client_address,
            recorded_by_user_id = excluded.recorded_by_user_id, updated_at = now()
        where a.status in ('absent', 'excused')
      returning a.id, a.session_id, a.cadre_id, a.status::text as status, a.checked_in_at, a.other_venue, a.device_id, a.client_address
    ),
    written as (
      select ins.*, c.n from ins join chosen c on c.session_id = ins.session_id and c.cadre_id = ins.cadre_id
    ),
    -- Others on the same device, or from the same address shortly before: the rows committed before this
    -- statement, and the batch's own earlier check-ins (which the statement's snapshot does not show).
    peers as (
      select w.id as record_id,
        case when w.device_id is null then '[]'::jsonb else (
          select coalesce(jsonb_agg(o.cadre_id), '[]'::jsonb) from (
            (select o.cadre_id from attendance_records o
             where o.session_id = w.session_id and o.device_id = w.device_id and o.cadre_id <> w.cadre_id
             limit 20)
            union all
            select b.cadre_id from written b
            where b.n < w.n and b.session_id = w.session_id and b.device_id = w.device_id and b.cadre_id <> w.cadre_id
            limit 20) o
        ) end as device_cadres,
        case when w.client_address is null then 0 else (
          select count(*)::int from (
            (select 1 from attendance_records o
             where o.session_id = w.session_id and o.client_address = w.client_address and o.cadre_id <> w.cadre_id
               and o.checked_in_at > w.checked_in_at - make_interval(secs => ${v.addressWindowSeconds}::int)
             limit ${v.addressCadres}::int)
            union all
            select 1 from written b
            where b.n < w.n and b.session_id = w.session_id and b.client_address = w.client_address and b.cadre_id <> w.cadre_id
              and b.checked_in_at > w.checked_in_at - make_interval(secs => ${v.addressWindowSeconds}::int)
            limit ${v.addressCadres}::int) o
        ) end as address_cadres
      from written w
    ),
    flagged as (
      insert into attendance_flags (session_id, record_id, cadre_id, kind, detail)
      select w.session_id, w.id, w.cadre_id, f.kind::attendance_flag_kind, f.detail
      from written w join peers on peers.record_id = w.id
      cross join lateral (values
        ('other_venue', case when w.other_venue then jsonb_build_object('registeredVenueId', (select reg.venue_id from reg where reg.n = w.n)) end),
        ('shared_device', case when jsonb_array_length(peers.device_cadres) >= ${v.deviceCadres}::int - 1
          then jsonb_build_object('otherCadreIds', peers.device_cadres) end),
        ('shared_address', case when peers.address_cadres >= ${v.addressCadres}::int - 1
          then jsonb_build_object('address', w.client_address, 'others', peers.address_cadres, 'windowSeconds', ${v.addressWindowSeconds}::int) end)
      ) as f(kind, detail)
      where f.detail is not null
      on conflict (record_id, kind) do nothing
      returning record_id
    )
    -- A later check-in of a cadre the batch has just checked in is told what the first one wrote.
    select x.n, me.user_id, me.cadre_id, sv.session_id, sv.session_status,
      (extract(epoch from sv.starts_at) * 1000)::float8 as starts_ms, (extract(epoch from sv.ends_at) * 1000)::float8 as ends_ms,
      reg.reg_status,
      case when w.n <> x.n then w.status else prior.status end as prior_status,
      (extract(epoch from case when w.n <> x.n then w.checked_in_at else prior.checked_in_at end) * 1000)::float8 as prior_ms,
      case when w.n = x.n then w.status end as new_status,
      case when w.n = x.n then (extract(epoch from w.checked_in_at) * 1000)::float8 end as new_ms,
      case when w.n = x.n then (select count(*)::int from flagged f where f.record_id = w.id) else 0 end as flags
    from input x
    left join me on me.n = x.n
    left join sv on sv.n = x.n
    left join reg on reg.n = x.n
    left join prior on prior.n = x.n
    left join written w on w.session_id = sv.session_id and w.cadre_id = me.cadre_id
    order by x.n`;
}

/** The settings the statement takes once for all its rows: items with different ones are never batched together. */
function sharedSettings(item: CheckInItem) {
  const { graceMinutes, opensMinutesBefore, flags } = item.ctx.rules;
  return {
    idleSeconds: item.identity.kind === "session" ? item.identity.idleMs / 1000 : 0,
    graceMinutes,
    opensMinutesBefore,
    deviceCadres: flags.deviceCadres,
    addressCadres: flags.addressCadres,
    addressWindowSeconds: flags.addressWindowSeconds,
  };
}

export const settingsKey = (item: CheckInItem) => JSON.stringify(Object.values(sharedSettings(item)));

function statementValues(items: readonly CheckInItem[]): StatementValues {
  const session = (i: CheckInItem) => (i.identity.kind === "session" ? i.identity : null);
  const user = (i: CheckInItem) => (i.identity.kind === "user" ? i.identity : null);
  const column = (value: (i: CheckInItem) => string | number | null) => arrayLiteral(items.map(value));
  return {
    loginSessionIds: column((i) => session(i)?.sessionId ?? null),
    nows: column((i) => session(i)?.now.toISOString() ?? null),
    userIds: column((i) => user(i)?.userId ?? null),
    cadreIds: column((i) => user(i)?.cadreId ?? null),
    classSessionIds: column((i) => i.claims.sessionId),
    sessionVenueIds: column((i) => i.claims.sessionVenueId),
    ats: column((i) => i.ctx.scannedAt.toISOString()),
    deviceIds: column((i) => i.ctx.deviceId),
    addresses: column((i) => i.ctx.address),
    ...sharedSettings(items[0]!),
  };
}

// Every value by name (the type makes sure none is missing), for the placeholders.
const VALUE_NAMES = Object.keys({
  loginSessionIds: 1,
  nows: 1,
  userIds: 1,
  cadreIds: 1,
  classSessionIds: 1,
  sessionVenueIds: 1,
  ats: 1,
  deviceIds: 1,
  addresses: 1,
  idleSeconds: 1,
  graceMinutes: 1,
  opensMinutesBefore: 1,
  deviceCadres: 1,
  addressCadres: 1,
  addressWindowSeconds: 1,
} satisfies Record<keyof StatementValues, 1>) as (keyof StatementValues)[];

/**
 * The statement's text, made once, with one parameter per value (drizzle numbers every occurrence
 * apart), and the value that goes to each parameter.
 */
function preparedText() {
  const placeholders = Object.fromEntries(VALUE_NAMES.map((name) => [name, sql.placeholder(name)])) as unknown as Input;
  const query = new PgDialect().sqlToQuery(checkInSql(placeholders));
  const occurrences = query.params.map((p) => (p as Placeholder).name as keyof StatementValues);
  const names = [...new Set(occurrences)];
  const text = query.sql.replace(/\$(\d+)\b/g, (_, n: string) => `$${names.indexOf(occurrences[Number(n) - 1]!) + 1}`);
  return { text, names };
}

const PREPARED = preparedText();

/**
 * Runs the statement for the items, one result row per item in their order. On the pool's connection
 * it is a named prepared statement (drizzle sends every query unprepared, so PostgreSQL would plan this
 * one on every call); inside a transaction (the walk-in) it goes the ordinary way.
 */
export async function runCheckInStatement(db: DbOrTx, items: readonly CheckInItem[]): Promise<StatementRow[]> {
  const values = statementValues(items);
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client) return db.execute<StatementRow>(checkInSql(values));
  return client.unsafe<StatementRow[]>(PREPARED.text, PREPARED.names.map((name) => values[name]) as postgres.ParameterOrJSON<never>[], {
    prepare: true,
  });
}
