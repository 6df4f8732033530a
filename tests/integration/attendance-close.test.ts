import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { autoCloseSessions } from "~/modules/attendance/closing/auto-close.server";
import { transitionSession } from "~/modules/classes/status.server";
import * as sessionPage from "~/routes/attendance.sessions.$code";
import * as roster from "~/routes/attendance.venue.$sessionVenueId.roster";
import * as checkinRoute from "~/routes/c.$token";
import { attendanceRecords, auditLog, classSessions, sessions as loginSessions, users } from "~db/schema";
import { createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { approveLeave, assignStaff, cadresWithAccounts, createClassSession, register, tokenFor } from "./attendance-fixtures";

const conn = await testDatabase();
const db = conn.db;

const rowsOf = async (sessionId: number) =>
  (await db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, sessionId))).sort((a, b) => a.cadreId - b.cadreId);

let adminCookie: string;
let staffCookie: string;
let headCookie: string;
beforeAll(async () => {
  adminCookie = await cookieFor(db, (await createUser(db, { roles: ["org_admin"], password: "pw-admin-1" })).id);
  const staff = await createUser(db, { roles: ["venue_staff"], password: "pw-staff-1" });
  staffCookie = await cookieFor(db, staff.id);
  const [head] = await cadresWithAccounts(db, 1);
  await makeHead(db, head!.unitId, head!.cadreId);
  headCookie = await cookieFor(db, head!.userId);
});

describe("closing a session", () => {
  it("freezes attendance: everyone with nothing recorded becomes excused (approved leave) or absent, once", async () => {
    const made = await createClassSession(db, { startsAt: new Date(Date.now() - 3 * 3_600_000), minutes: 90 });
    const people = await cadresWithAccounts(db, 4);
    for (const p of people) await register(db, made.session.id, p.cadreId, made.venues[0]!.venueId);
    await approveLeave(db, made.session.id, people[1]!.cadreId);
    await db
      .insert(attendanceRecords)
      .values({ sessionId: made.session.id, cadreId: people[0]!.cadreId, status: "late", source: "qr", checkedInAt: new Date() });

    const outcome = await transitionSession(db, { userId: null, label: "test" }, made.session.code, "close");
    expect(outcome.status).toBe("closed");
    expect((await rowsOf(made.session.id)).map((r) => [r.cadreId, r.status, r.source])).toEqual([
      [people[0]!.cadreId, "late", "qr"],
      [people[1]!.cadreId, "excused", "close"],
      [people[2]!.cadreId, "absent", "close"],
      [people[3]!.cadreId, "absent", "close"],
    ]);
    const [audited] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "attendance.session_closed"), eq(auditLog.entityId, String(made.session.id))));
    expect(audited!.after).toEqual({ excused: 1, absent: 2 });
    // A second close is a second click: nothing more.
    expect((await transitionSession(db, { userId: null, label: "test" }, made.session.code, "close")).unchanged).toBe(true);
    expect(await rowsOf(made.session.id)).toHaveLength(4);

    // Frozen: no scan, no roster tap.
    const cookie = await cookieFor(db, people[2]!.userId);
    const token = await tokenFor(db, made.session.id, made.venues[0]!.sessionVenueId);
    const scan = await callRoute<any>(checkinRoute.action, makeRequest(`/c/${token}`, { cookie, form: { intent: "confirm" } }), { token });
    expect(scan.data.outcome).toEqual({ kind: "refused", messageKey: "attendance.errors.closed" });
    const staff = await createUser(db, { roles: ["venue_staff"], password: "pw-staff-2" });
    await assignStaff(db, made.venues[0]!.sessionVenueId, staff.id);
    const tap = await callRoute<any>(
      roster.action,
      makeRequest("/r", { cookie: await cookieFor(db, staff.id), form: { cadreId: String(people[2]!.cadreId), status: "present" } }),
      { sessionVenueId: String(made.venues[0]!.sessionVenueId) },
    );
    expect(tap.status).toBe(409);
    expect(tap.data.errors.form[0].key).toBe("attendance.errors.closedUseCorrection");
    expect((await rowsOf(made.session.id)).find((r) => r.cadreId === people[2]!.cadreId)!.status).toBe("absent");
  });

  it("closes sessions on schedule some hours after they end, and leaves the others alone", async () => {
    const old = await createClassSession(db, { startsAt: new Date(Date.now() - 6 * 3_600_000), minutes: 90 });
    const recent = await createClassSession(db, { startsAt: new Date(Date.now() - 2 * 3_600_000), minutes: 90 });
    const [p] = await cadresWithAccounts(db, 1);
    await register(db, old.session.id, p!.cadreId, null);
    await register(db, recent.session.id, p!.cadreId, null);
    const run = await autoCloseSessions(db);
    expect(run.closed).toContain(old.session.code);
    expect(run.closed).not.toContain(recent.session.code);
    const statuses = await db.select({ code: classSessions.code, status: classSessions.status }).from(classSessions);
    expect(statuses.find((s) => s.code === old.session.code)!.status).toBe("closed");
    expect(statuses.find((s) => s.code === recent.session.code)!.status).toBe("published");
    expect((await rowsOf(old.session.id)).map((r) => r.status)).toEqual(["absent"]);
    const [audited] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "class.session.closed"), eq(auditLog.entityId, String(old.session.id))));
    expect(audited!.actorLabel).toBe("system");
  });
});

describe("a change after closing", () => {
  it("needs an org admin and a reason, and is audited with both states", async () => {
    const made = await createClassSession(db, { startsAt: new Date(Date.now() - 4 * 3_600_000), minutes: 90 });
    const [p] = await cadresWithAccounts(db, 1);
    await register(db, made.session.id, p!.cadreId, made.venues[0]!.venueId);
    await transitionSession(db, { userId: null, label: "test" }, made.session.code, "close");
    const correct = (cookie: string, form: Record<string, string>) =>
      callRoute<any>(sessionPage.action, makeRequest(`/attendance/sessions/${made.session.code}`, { cookie, form }), {
        code: made.session.code,
      });

    expect(
      (await correct(staffCookie, { intent: "correct", cadreId: String(p!.cadreId), status: "present", reason: "名单漏签" })).status,
    ).toBe(403);
    expect((await correct(headCookie, { intent: "correct", cadreId: String(p!.cadreId), status: "present", reason: "x" })).status).toBe(
      403,
    );
    const noReason = await correct(adminCookie, { intent: "correct", cadreId: String(p!.cadreId), status: "present", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toEqual(["attendance.errors.reasonRequired"]);
    expect((await rowsOf(made.session.id))[0]!.status).toBe("absent");

    const done = await correct(adminCookie, {
      intent: "correct",
      cadreId: String(p!.cadreId),
      status: "present",
      reason: "现场签到表有签名，系统漏签",
    });
    expect(done.data).toEqual({ ok: true, message: "attendance.session.corrected" });
    expect((await rowsOf(made.session.id))[0]).toMatchObject({ status: "present", source: "correction" });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "attendance.corrected"));
    expect(entry).toMatchObject({
      before: { status: "absent", source: "close" },
      after: { sessionId: made.session.id, cadreId: p!.cadreId, status: "present", sessionStatus: "closed" },
      reason: "现场签到表有签名，系统漏签",
    });
    // A cadre not enrolled in the session, or another session's code, is not found.
    const [stranger] = await cadresWithAccounts(db, 1);
    expect(
      (await correct(adminCookie, { intent: "correct", cadreId: String(stranger!.cadreId), status: "present", reason: "x" })).status,
    ).toBe(404);
    const missing = await callRoute(
      sessionPage.action,
      makeRequest("/attendance/sessions/NOPE-1", { cookie: adminCookie, form: { intent: "correct" } }),
      { code: "NOPE-1" },
    );
    expect(missing.status).toBe(404);
  });
});

describe("the lean check-in path authenticates like requireUser", () => {
  it("sends an expired, disabled or password-change session to the guard, and keeps a live one alive", async () => {
    const made = await createClassSession(db, { startsAt: new Date(Date.now() - 60_000) });
    const people = await cadresWithAccounts(db, 3, { password: "pw-cadre-9" });
    for (const p of people) await register(db, made.session.id, p.cadreId, made.venues[0]!.venueId);
    const token = await tokenFor(db, made.session.id, made.venues[0]!.sessionVenueId);
    const post = (cookie: string) =>
      callRoute<any>(checkinRoute.action, makeRequest(`/c/${token}`, { cookie, form: { intent: "confirm" } }), { token });

    const expired = await cookieFor(db, people[0]!.userId);
    await db
      .update(loginSessions)
      .set({ idleExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(loginSessions.userId, people[0]!.userId));
    expect((await post(expired)).location).toMatch(/^\/login\?redirectTo=/);

    const disabled = await cookieFor(db, people[1]!.userId);
    await db.update(users).set({ disabled: true }).where(eq(users.id, people[1]!.userId));
    expect((await post(disabled)).location).toMatch(/^\/login/);

    const mustChange = await cookieFor(db, people[2]!.userId);
    await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, people[2]!.userId));
    expect((await post(mustChange)).location).toMatch(/^\/account\/password\?redirectTo=/);
    expect(await rowsOf(made.session.id)).toEqual([]);

    await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, people[2]!.userId));
    await db
      .update(loginSessions)
      .set({ lastSeenAt: new Date(Date.now() - 5 * 60_000) })
      .where(eq(loginSessions.userId, people[2]!.userId));
    const before = (await db.select().from(loginSessions).where(eq(loginSessions.userId, people[2]!.userId)))[0]!;
    expect((await post(mustChange)).data.outcome.kind).toBe("checked_in");
    const after = (await db.select().from(loginSessions).where(eq(loginSessions.userId, people[2]!.userId)))[0]!;
    expect(after.lastSeenAt.getTime()).toBeGreaterThan(before.lastSeenAt.getTime());
    expect(after.idleExpiresAt.getTime()).toBeGreaterThan(before.idleExpiresAt.getTime());
  });
});

describe("the attendance settings", () => {
  it("are the organization department's: bad values answer beside the field, a change is audited and applies", async () => {
    const { getAttendanceRules } = await import("~/modules/attendance/settings.server");
    const settingsPage = await import("~/routes/attendance.settings");
    const form = {
      graceMinutes: "15",
      opensMinutesBefore: "45",
      onlinePercent: "75",
      latePercent: "50",
      rotationSeconds: "20",
      autoCloseHours: "4",
      hoursLeading: "110",
      hoursSection: "90",
      hoursStaff: "90",
      lowSessions: "6",
      lowPercent: "65",
      deviceCadres: "2",
      addressCadres: "40",
      addressWindowSeconds: "60",
    };
    const post = (cookie: string, values: Record<string, string>) =>
      callRoute<any>(settingsPage.action, makeRequest("/attendance/settings", { cookie, form: values }));
    expect((await post(staffCookie, form)).status).toBe(403);
    const bad = await post(adminCookie, { ...form, graceMinutes: "-1", rotationSeconds: "5" });
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toMatchObject({
      graceMinutes: ["attendance.validation.graceMinutes"],
      rotationSeconds: ["attendance.validation.rotationSeconds"],
    });
    expect((await getAttendanceRules(db)).graceMinutes).toBe(10);
    expect((await post(adminCookie, form)).data).toEqual({ ok: true });
    expect(await getAttendanceRules(db)).toMatchObject({
      graceMinutes: 15,
      onlineShare: 0.75,
      rotationSeconds: 20,
      lowAttendance: { sessions: 6, threshold: 0.65 },
    });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "attendance.rules_changed"));
    expect(entry!.before).toMatchObject({ graceMinutes: 10 });
  });
});
