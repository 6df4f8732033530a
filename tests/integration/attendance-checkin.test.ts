import { and, count, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type CheckInContext, checkIn, checkInWalkIn } from "~/modules/attendance/checkin/check-in.server";
import { SCAN_COOKIE } from "~/modules/attendance/checkin/scan.server";
import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { readCheckInToken } from "~/modules/attendance/checkin/token.server";
import { DEFAULT_ATTENDANCE_RULES } from "~/modules/attendance/rules";
import * as checkinRoute from "~/routes/c.$token";
import * as login from "~/routes/login";
import { attendanceFlags, attendanceRecords, auditLog, classRegistrations } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { approveLeave, cadresWithAccounts, createClassSession, register, tokenFor } from "./attendance-fixtures";

const conn = await testDatabase();
const db = conn.db;

const rules = DEFAULT_ATTENDANCE_RULES;
const ctx = (scannedAt: Date, extra: Partial<CheckInContext> = {}): CheckInContext => ({
  scannedAt,
  deviceId: null,
  address: null,
  rules,
  ...extra,
});
const claimsOf = async (token: string) => readCheckInToken(await checkInSigningKey(db), token)!;
const rowsOf = async (sessionId: number) => db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, sessionId));

afterEach(() => {
  vi.useRealTimers();
});

describe("the check-in statement", () => {
  it("is present up to start + grace inclusive and late a millisecond after (the same edge as the pure rule)", async () => {
    const startsAt = new Date(Date.now() - 20 * 60_000);
    const { session, venues } = await createClassSession(db, { startsAt });
    const [a, b] = await cadresWithAccounts(db, 2);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    await register(db, session.id, b!.cadreId, venues[0]!.venueId);
    const claims = await claimsOf(await tokenFor(db, session.id, venues[0]!.sessionVenueId));
    const edge = new Date(startsAt.getTime() + 10 * 60_000);
    const onTime = await checkIn(db, { id: a!.userId, cadreId: a!.cadreId }, claims, ctx(edge));
    const late = await checkIn(db, { id: b!.userId, cadreId: b!.cadreId }, claims, ctx(new Date(edge.getTime() + 1)));
    expect(onTime).toMatchObject({ kind: "checked_in", status: "present", at: edge });
    expect(late).toMatchObject({ kind: "checked_in", status: "late" });
  });

  it("answers a second scan with the first time and changes nothing", async () => {
    const { session, venues } = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000) });
    const [a] = await cadresWithAccounts(db, 1);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    const claims = await claimsOf(await tokenFor(db, session.id, venues[0]!.sessionVenueId));
    const first = await checkIn(db, { id: a!.userId, cadreId: a!.cadreId }, claims, ctx(new Date(Date.now() - 5000)));
    const again = await checkIn(db, { id: a!.userId, cadreId: a!.cadreId }, claims, ctx(new Date()));
    expect(first.kind).toBe("checked_in");
    expect(again).toEqual({ kind: "already", status: "present", at: (first as { at: Date }).at });
    expect(await rowsOf(session.id)).toHaveLength(1);
  });

  it("writes one row for thirty concurrent duplicates", async () => {
    const { session, venues } = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000) });
    const [a] = await cadresWithAccounts(db, 1);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    const claims = await claimsOf(await tokenFor(db, session.id, venues[0]!.sessionVenueId));
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => checkIn(db, { id: a!.userId, cadreId: a!.cadreId }, claims, ctx(new Date()))),
    );
    expect(outcomes.filter((o) => o.kind === "checked_in")).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === "checked_in" || o.kind === "already")).toBe(true);
    expect(await rowsOf(session.id)).toHaveLength(1);
  });

  it("refuses outside the session's time and state, and says why", async () => {
    const future = await createClassSession(db, { startsAt: new Date(Date.now() + 3 * 3_600_000) });
    const past = await createClassSession(db, { startsAt: new Date(Date.now() - 3 * 3_600_000), minutes: 60 });
    const closed = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), status: "closed" });
    const [a] = await cadresWithAccounts(db, 1);
    const caller = { id: a!.userId, cadreId: a!.cadreId };
    for (const [made, key] of [
      [future, "attendance.errors.tooEarly"],
      [past, "attendance.errors.ended"],
      [closed, "attendance.errors.closed"],
    ] as const) {
      await register(db, made.session.id, a!.cadreId, made.venues[0]!.venueId);
      const claims = await claimsOf(await tokenFor(db, made.session.id, made.venues[0]!.sessionVenueId));
      expect(await checkIn(db, caller, claims, ctx(new Date()))).toEqual({ kind: "refused", messageKey: key });
      expect(await rowsOf(made.session.id)).toHaveLength(0);
    }
  });

  it("tells a cadre who is not enrolled, and lets them walk in only where the session allows it", async () => {
    const closedDoor = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), openRegistration: false, minRank: null });
    const openDoor = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), openRegistration: true });
    const [a] = await cadresWithAccounts(db, 1);
    const caller = { id: a!.userId, cadreId: a!.cadreId };
    const shut = await claimsOf(await tokenFor(db, closedDoor.session.id, closedDoor.venues[0]!.sessionVenueId));
    expect(await checkIn(db, caller, shut, ctx(new Date()))).toEqual({ kind: "not_enrolled", walkInAllowed: false });
    await expect(checkInWalkIn(db, caller, shut, ctx(new Date()))).rejects.toMatchObject({
      messageKey: "attendance.errors.walkInNotAllowed",
    });

    const open = await claimsOf(await tokenFor(db, openDoor.session.id, openDoor.venues[0]!.sessionVenueId));
    expect(await checkIn(db, caller, open, ctx(new Date()))).toEqual({ kind: "not_enrolled", walkInAllowed: true });
    const walked = await checkInWalkIn(db, caller, open, ctx(new Date()));
    expect(walked).toMatchObject({ kind: "checked_in", walkIn: true });
    const [registration] = await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, openDoor.session.id));
    expect(registration).toMatchObject({ cadreId: a!.cadreId, status: "registered", venueId: openDoor.venues[0]!.venueId });
    expect((await rowsOf(openDoor.session.id))[0]).toMatchObject({ walkIn: true, otherVenue: false });
    // A second walk-in tap is an ordinary repeat scan.
    expect(await checkInWalkIn(db, caller, open, ctx(new Date()))).toMatchObject({ kind: "already" });
    const [audited] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, "attendance.walk_in"));
    expect(audited!.n).toBe(1);
  });

  it("upgrades an earlier roster absence or approved leave to the scan, and never a present", async () => {
    const { session, venues } = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000) });
    const [a] = await cadresWithAccounts(db, 1);
    await register(db, session.id, a!.cadreId, venues[0]!.venueId);
    await approveLeave(db, session.id, a!.cadreId);
    await db.insert(attendanceRecords).values({ sessionId: session.id, cadreId: a!.cadreId, status: "excused", source: "roster" });
    const claims = await claimsOf(await tokenFor(db, session.id, venues[0]!.sessionVenueId));
    expect(await checkIn(db, { id: a!.userId, cadreId: a!.cadreId }, claims, ctx(new Date()))).toMatchObject({
      kind: "checked_in",
      status: "present",
    });
    expect((await rowsOf(session.id))[0]).toMatchObject({ status: "present", source: "qr" });
  });

  it("flags, without refusing, a check-in at another venue, one device for two cadres, and a crowded address", async () => {
    const { session, venues } = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), venues: 2 });
    const people = await cadresWithAccounts(db, 4);
    for (const p of people) await register(db, session.id, p.cadreId, venues[0]!.venueId);
    const here = await claimsOf(await tokenFor(db, session.id, venues[0]!.sessionVenueId));
    const there = await claimsOf(await tokenFor(db, session.id, venues[1]!.sessionVenueId));
    const strict = { ...rules, flags: { deviceCadres: 2, addressCadres: 3, addressWindowSeconds: 60 } };
    const scan = (i: number, claims: typeof here, extra: Partial<CheckInContext>) =>
      checkIn(db, { id: people[i]!.userId, cadreId: people[i]!.cadreId }, claims, { ...ctx(new Date()), rules: strict, ...extra });

    expect(await scan(0, there, { deviceId: "dev-a", address: "10.0.0.1" })).toMatchObject({ kind: "checked_in", flags: 1 });
    expect(await scan(1, here, { deviceId: "dev-a", address: "10.0.0.1" })).toMatchObject({ kind: "checked_in", flags: 1 });
    expect(await scan(2, here, { deviceId: "dev-c", address: "10.0.0.1" })).toMatchObject({ kind: "checked_in", flags: 1 });
    expect(await scan(3, here, { deviceId: "dev-d", address: "10.0.0.2" })).toMatchObject({ kind: "checked_in", flags: 0 });
    const flags = await db.select().from(attendanceFlags).where(eq(attendanceFlags.sessionId, session.id));
    expect(flags.map((f) => [f.cadreId, f.kind]).sort()).toEqual(
      [
        [people[0]!.cadreId, "other_venue"],
        [people[1]!.cadreId, "shared_device"],
        [people[2]!.cadreId, "shared_address"],
      ].sort(),
    );
    expect(flags.find((f) => f.kind === "shared_device")!.detail).toEqual({ otherCadreIds: [people[0]!.cadreId] });
    expect(await rowsOf(session.id)).toHaveLength(4);
  });
});

describe("the /c/<token> route", () => {
  let session: Awaited<ReturnType<typeof createClassSession>>;
  let cadre: Awaited<ReturnType<typeof cadresWithAccounts>>[number];
  let other: Awaited<ReturnType<typeof cadresWithAccounts>>[number];
  beforeAll(async () => {
    session = await createClassSession(db, { startsAt: new Date(Date.now() - 5 * 60_000), minutes: 120 });
    [cadre, other] = await cadresWithAccounts(db, 2, { password: "pw-cadre-1" });
    await register(db, session.session.id, cadre!.cadreId, session.venues[0]!.venueId);
    await register(db, session.session.id, other!.cadreId, session.venues[0]!.venueId);
  });
  const path = (token: string) => `/c/${token}`;
  const scanCookie = (headers: Headers) =>
    headers
      .getSetCookie()
      .find((c) => c.startsWith(`${SCAN_COOKIE}=`))!
      .split(";")[0]!;

  it("keeps the scan through the login, past the code's rotation", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const scannedAt = new Date();
    vi.setSystemTime(scannedAt);
    const token = await tokenFor(db, session.session.id, session.venues[0]!.sessionVenueId, scannedAt);
    const first = await callRoute(checkinRoute.loader, makeRequest(path(token)), { token });
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/login?redirectTo=${encodeURIComponent(path(token))}`);
    const remembered = scanCookie(first.headers);

    // Logging in takes two minutes: the code has rotated four times since.
    vi.setSystemTime(new Date(scannedAt.getTime() + 120_000));
    const signedIn = await callRoute(
      login.action,
      makeRequest("/login", { form: { identifier: other!.staffNo, password: "pw-cadre-1", redirectTo: path(token) } }),
    );
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe(path(token));
    const session_ = signedIn.headers.get("set-cookie")!.split(";")[0]!;

    const withoutScan = await callRoute<any>(checkinRoute.loader, makeRequest(path(token), { cookie: session_ }), { token });
    expect(withoutScan.status).toBe(410);
    const page = await callRoute<any>(checkinRoute.loader, makeRequest(path(token), { cookie: `${session_}; ${remembered}` }), { token });
    expect(page.data).toMatchObject({ state: "ready", view: { enrolment: { state: "here" }, attendance: null } });

    const confirmed = await callRoute<any>(
      checkinRoute.action,
      makeRequest(path(token), { cookie: `${session_}; ${remembered}`, form: { intent: "confirm", cadreId: String(cadre!.cadreId) } }),
      { token },
    );
    // The check-in is the signed-in cadre's, whatever the form says, timed at the scan.
    expect(confirmed.data.outcome).toMatchObject({
      kind: "checked_in",
      status: "present",
      at: new Date(Math.floor(scannedAt.getTime() / 1000) * 1000).toISOString(),
    });
    const rows = await rowsOf(session.session.id);
    expect(rows.map((r) => r.cadreId)).toEqual([other!.cadreId]);
  });

  it("refuses a forged, altered, expired or replayed code, and another session's code names that session", async () => {
    const cookie = await cookieFor(db, cadre!.userId);
    const token = await tokenFor(db, session.session.id, session.venues[0]!.sessionVenueId);
    const forged = `${token.slice(0, 20)}${token[20] === "A" ? "B" : "A"}${token.slice(21)}`;
    const tampered = Buffer.from(token, "base64url");
    tampered.writeUInt32BE(session.venues[0]!.sessionVenueId + 1, 5);
    const stale = await tokenFor(db, session.session.id, session.venues[0]!.sessionVenueId, new Date(Date.now() - 90_000));
    const get = (t: string) => callRoute<any>(checkinRoute.loader, makeRequest(path(t), { cookie }), { token: t });
    const post = (t: string, extra = "") =>
      callRoute<any>(checkinRoute.action, makeRequest(path(t), { cookie: cookie + extra, form: { intent: "confirm" } }), { token: t });
    expect((await get(forged)).data).toEqual({ state: "invalid" });
    expect((await get(tampered.toString("base64url"))).data).toEqual({ state: "invalid" });
    expect((await get("not-a-token")).status).toBe(400);
    expect((await get(stale)).data).toEqual({ state: "expired" });
    expect((await post(stale)).data.outcome).toEqual({ kind: "refused", messageKey: "attendance.errors.expired" });
    expect((await post(forged)).data.outcome).toEqual({ kind: "refused", messageKey: "attendance.errors.unknownCode" });

    // A code of a session the cadre is not enrolled in checks nobody in anywhere else.
    const elsewhere = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000), minRank: null });
    const theirs = await tokenFor(db, elsewhere.session.id, elsewhere.venues[0]!.sessionVenueId);
    expect((await post(theirs)).data.outcome).toEqual({ kind: "not_enrolled", walkInAllowed: false });
    expect(await rowsOf(elsewhere.session.id)).toHaveLength(0);
    expect((await rowsOf(session.session.id)).some((r) => r.cadreId === cadre!.cadreId)).toBe(false);

    // A remembered scan of one code does not revive another.
    const [fresh] = await Promise.all([callRoute(checkinRoute.loader, makeRequest(path(token), { cookie }), { token })]);
    const remembered = scanCookie(fresh!.headers);
    expect((await post(stale, `; ${remembered}`)).data.outcome).toEqual({ kind: "refused", messageKey: "attendance.errors.expired" });
    const done = await post(token, `; ${remembered}`);
    expect(done.data.outcome.kind).toBe("checked_in");
  });

  it("only takes the check-in by POST: opening the link changes nothing", async () => {
    const { session: s, venues } = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000) });
    const [a] = await cadresWithAccounts(db, 1);
    await register(db, s.id, a!.cadreId, venues[0]!.venueId);
    const token = await tokenFor(db, s.id, venues[0]!.sessionVenueId);
    const cookie = await cookieFor(db, a!.userId);
    const page = await callRoute<any>(checkinRoute.loader, makeRequest(path(token), { cookie }), { token });
    expect(page.data.state).toBe("ready");
    expect(await rowsOf(s.id)).toHaveLength(0);
    const admin = await createUser(db, { roles: ["org_admin"], password: "pw-admin-1" });
    const adminPage = await callRoute<any>(checkinRoute.loader, makeRequest(path(token), { cookie: await cookieFor(db, admin.id) }), {
      token,
    });
    expect(adminPage.data).toEqual({ state: "notCadre" });
    const [rows] = await db
      .select({ n: count() })
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.sessionId, s.id)));
    expect(rows!.n).toBe(0);
  });
});
