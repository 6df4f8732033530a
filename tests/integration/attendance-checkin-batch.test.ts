import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkInWithSession } from "~/modules/attendance/checkin/check-in.server";
import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { arrayLiteral, type CheckInItem, runCheckInStatement } from "~/modules/attendance/checkin/statement.server";
import { readCheckInToken } from "~/modules/attendance/checkin/token.server";
import { DEFAULT_ATTENDANCE_RULES } from "~/modules/attendance/rules";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import { attendanceFlags, attendanceRecords, sessions as loginSessions } from "~db/schema";
import { testDatabase } from "../setup/db";
import { cookieFor } from "../setup/routes";
import { cadresWithAccounts, createClassSession, register, tokenFor } from "./attendance-fixtures";

/**
 * Check-ins that arrive together run as one statement (attendance/checkin/statement.server.ts). Each must come out
 * exactly as it would alone: its own answer in its own place, one row per cadre and session, and the
 * flags a one-by-one order would raise.
 */

const conn = await testDatabase();
const db = conn.db;
const rules = DEFAULT_ATTENDANCE_RULES;
const idleMs = 3_600_000;

async function loginOf(userId: number) {
  const cookie = await cookieFor(db, userId);
  return sessionIdFromToken(cookie.split("=")[1]!);
}

async function setting() {
  const made = await createClassSession(db, { startsAt: new Date(Date.now() - 5 * 60_000), minutes: 120 });
  const claims = readCheckInToken(await checkInSigningKey(db), await tokenFor(db, made.session.id, made.venues[0]!.sessionVenueId))!;
  return { ...made, claims };
}

const item = (
  sessionId: string,
  claims: CheckInItem["claims"],
  extra: Partial<CheckInItem["ctx"]> = {},
  now = new Date(),
): CheckInItem => ({
  identity: { kind: "session", sessionId, idleMs, now },
  claims,
  ctx: { scannedAt: now, deviceId: null, address: null, rules, ...extra },
});

describe("one statement for several check-ins", () => {
  it("answers each in its place: checked in, not enrolled, not signed in, another session's venue", async () => {
    const { session, venues, claims } = await setting();
    const other = await setting();
    const [a, b, stranger] = await cadresWithAccounts(db, 3);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    await register(db, session.id, b!.cadreId, venues[0]!.venueId);
    const wrongVenue = { ...claims, sessionVenueId: other.venues[0]!.sessionVenueId };
    const rows = await runCheckInStatement(db, [
      item(await loginOf(a!.userId), claims),
      item(await loginOf(stranger!.userId), claims),
      item("no-such-login-session", claims),
      item(await loginOf(b!.userId), wrongVenue),
    ]);
    expect(rows.map((r) => [Number(r.cadre_id), r.new_status, r.reg_status, r.session_id === null])).toEqual([
      [a!.cadreId, "present", "registered", false],
      [stranger!.cadreId, null, null, false],
      [0, null, null, false],
      [b!.cadreId, null, "registered", true],
    ]);
    const written = await db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, session.id));
    expect(written.map((r) => r.cadreId)).toEqual([a!.cadreId]);
  });

  it("writes one row for a cadre twice in the batch (two phones), and tells the second what the first wrote", async () => {
    const { session, venues, claims } = await setting();
    const [a] = await cadresWithAccounts(db, 1);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    const [phone, tablet] = [await loginOf(a!.userId), await loginOf(a!.userId)];
    const rows = await runCheckInStatement(db, [item(phone, claims), item(tablet, claims)]);
    expect(rows[0]).toMatchObject({ new_status: "present", prior_status: null });
    expect(rows[1]).toMatchObject({ new_status: null, prior_status: "present", prior_ms: rows[0]!.new_ms });
    expect(await db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, session.id))).toHaveLength(1);
  });

  it("flags a shared device and a crowded address among the batch's own check-ins, as one by one would", async () => {
    const { session, venues, claims } = await setting();
    const cadres = await cadresWithAccounts(db, 4);
    for (const c of cadres) await register(db, session.id, c.cadreId, venues[0]!.venueId);
    // Two cadres on one device; three from one address within a minute.
    const strict = { ...rules, flags: { deviceCadres: 2, addressCadres: 3, addressWindowSeconds: 60 } };
    const device = "d".repeat(22);
    const address = "203.0.113.9";
    const logins = await Promise.all(cadres.map((c) => loginOf(c.userId)));
    const rows = await runCheckInStatement(db, [
      item(logins[0]!, claims, { deviceId: device, address, rules: strict }),
      item(logins[1]!, claims, { deviceId: device, address, rules: strict }),
      item(logins[2]!, claims, { deviceId: "e".repeat(22), address, rules: strict }),
      item(logins[3]!, claims, { deviceId: "f".repeat(22), address: "198.51.100.1", rules: strict }),
    ]);
    expect(rows.map((r) => r.new_status)).toEqual(["present", "present", "present", "present"]);
    const flags = await db.select().from(attendanceFlags).where(eq(attendanceFlags.sessionId, session.id));
    const kinds = (i: number) =>
      flags
        .filter((f) => f.cadreId === cadres[i]!.cadreId)
        .map((f) => f.kind)
        .sort();
    // One by one, the first on the device or address sees nobody; the second on the device sees the
    // first; the third from the address is the one that makes three.
    expect([kinds(0), kinds(1), kinds(2), kinds(3)]).toEqual([[], ["shared_device"], ["shared_address"], []]);
    expect(flags.find((f) => f.kind === "shared_device")!.detail).toEqual({ otherCadreIds: [cadres[0]!.cadreId] });
    expect(flags.find((f) => f.kind === "shared_address")!.detail).toMatchObject({ address, others: 2 });
    expect(rows.map((r) => r.flags)).toEqual([0, 1, 1, 0]);
  });
});

describe("the batcher", () => {
  it("answers a hundred concurrent check-ins, with double taps, each as alone: one row each, nothing lost", async () => {
    const { session, venues, claims } = await setting();
    const cadres = await cadresWithAccounts(db, 100);
    for (const c of cadres) await register(db, session.id, c.cadreId, venues[0]!.venueId);
    const logins = await Promise.all(cadres.map((c) => loginOf(c.userId)));
    // Every cadre once, a fifth of them three times more (the same phone: the same login session).
    const taps = [...logins, ...logins.slice(0, 20), ...logins.slice(0, 20), ...logins.slice(0, 20)];
    const outcomes = await Promise.all(
      taps.map((login) =>
        checkInWithSession(db, { sessionId: login, idleMs, now: new Date() }, claims, {
          scannedAt: new Date(),
          deviceId: null,
          address: null,
          rules,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === "checked_in")).toHaveLength(100);
    expect(outcomes.filter((o) => o.kind === "already")).toHaveLength(60);
    const written = await db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, session.id));
    expect(new Set(written.map((r) => r.cadreId)).size).toBe(100);
    expect(written).toHaveLength(100);
  });

  it("touches a login session once a minute at most, and never one that has expired", async () => {
    const { session, venues, claims } = await setting();
    const [a, b] = await cadresWithAccounts(db, 2);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    await register(db, session.id, b!.cadreId, venues[0]!.venueId);
    const [live, expired] = [await loginOf(a!.userId), await loginOf(b!.userId)];
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await db.update(loginSessions).set({ lastSeenAt: longAgo }).where(eq(loginSessions.id, live));
    await db
      .update(loginSessions)
      .set({ lastSeenAt: longAgo, expiresAt: new Date(Date.now() - 1000) })
      .where(eq(loginSessions.id, expired));
    const rows = await runCheckInStatement(db, [item(live, claims), item(expired, claims)]);
    expect(rows.map((r) => r.cadre_id === null)).toEqual([false, true]);
    const [touched] = await db.select().from(loginSessions).where(eq(loginSessions.id, live));
    const [untouched] = await db.select().from(loginSessions).where(eq(loginSessions.id, expired));
    expect(touched!.lastSeenAt.getTime()).toBeGreaterThan(longAgo.getTime());
    expect(untouched!.lastSeenAt.getTime()).toBe(longAgo.getTime());
  });
});

describe("two app servers", () => {
  it("leave a login session another statement is touching to it, instead of waiting for its row", async () => {
    const { session, venues, claims } = await setting();
    const [a] = await cadresWithAccounts(db, 1);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    const login = await loginOf(a!.userId);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await db.update(loginSessions).set({ lastSeenAt: longAgo }).where(eq(loginSessions.id, login));
    // The other server's statement: it holds the login session's row until it commits.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: (pid: number) => void;
    const held = new Promise<number>((resolve) => (holding = resolve));
    const other = conn.client.begin(async (tx) => {
      const [me] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await tx`select id from sessions where id = ${login} for update`;
      holding(me!.pid);
      await released;
    });
    const holder = await held;
    // The event that would mean it waited: some backend blocked by the other server's transaction.
    let watching = true;
    const blocked = (async () => {
      while (watching) {
        const [row] = await conn.client<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where ${holder}::int = any(pg_blocking_pids(pid))`;
        if (row!.n > 0) return "blocked" as const;
        await new Promise((r) => setImmediate(r));
      }
      return "answered" as const;
    })();
    try {
      const answer = runCheckInStatement(db, [item(login, claims)]);
      const first = await Promise.race([answer, blocked]);
      expect(first).not.toBe("blocked");
      expect((first as Awaited<typeof answer>)[0]).toMatchObject({ new_status: "present" });
    } finally {
      watching = false;
      await blocked;
      release();
      await other;
    }
    const [row] = await db.select().from(loginSessions).where(eq(loginSessions.id, login));
    expect(row!.lastSeenAt.getTime()).toBe(longAgo.getTime());
  });
});

describe("array parameters", () => {
  it("spell any text, null and number as PostgreSQL reads them back", async () => {
    const texts = ["plain", 'with "quotes"', "back\\slash", "逗号,与{括号}", "NULL", "", null];
    const rows = await db.execute<{ value: string | null; missing: boolean }>(
      `select x as value, x is null as missing from unnest('${arrayLiteral(texts).replace(/'/g, "''")}'::text[]) with ordinality as t(x, n) order by n`,
    );
    expect(rows.map((r) => r.value)).toEqual(texts);
    expect(rows.map((r) => r.missing)).toEqual(texts.map((t) => t === null));
    const numbers = await db.execute<{ value: number | null }>(
      `select x as value from unnest('${arrayLiteral([1, -2, 3, null])}'::int[]) with ordinality as t(x, n) order by n`,
    );
    expect(numbers.map((r) => r.value)).toEqual([1, -2, 3, null]);
  });
});
