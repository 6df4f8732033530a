import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cadreAttendanceRates,
  organizationAttendance,
  trainingHoursLedger,
  unitAttendanceRates,
} from "~/modules/attendance/reports/figures.server";
import { attendanceRate, DEFAULT_ATTENDANCE_RULES } from "~/modules/attendance/rules";
import * as home from "~/routes/attendance._index";
import * as cadrePage from "~/routes/attendance.cadres.$cadreId";
import * as reports from "~/routes/attendance.reports";
import * as reportsExport from "~/routes/attendance.reports_.export";
import * as unitPage from "~/routes/attendance.units.$unitId";
import * as unitExport from "~/routes/attendance.units.$unitId_.export";
import { attendanceRecords, auditLog, unitMemberships } from "~db/schema";
import type { AttendanceStatus } from "~db/schema/attendance";
import { createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { approveLeave, cadresWithAccounts, createClassSession, register } from "./attendance-fixtures";

const conn = await testDatabase();
const db = conn.db;
const w = 0.5;
const period = { from: "2026-03-01", to: "2026-04-01" };
const at = (date: string) => new Date(`${date}T19:30:00+08:00`);

let parent: { id: number };
let child: { id: number };
let other: { id: number };
let people: Record<"a" | "b" | "c" | "d", { cadreId: number; userId: number }>;
let sessions: Awaited<ReturnType<typeof createClassSession>>[];

async function attend(sessionIndex: number, who: keyof typeof people, status: AttendanceStatus, venue = true) {
  const s = sessions[sessionIndex]!;
  await register(db, s.session.id, people[who].cadreId, venue ? s.venues[0]!.venueId : null);
  await db.insert(attendanceRecords).values({ sessionId: s.session.id, cadreId: people[who].cadreId, status, source: "roster" });
}

beforeAll(async () => {
  parent = await createUnit(db, { name: "上级单位" });
  child = await createUnit(db, { name: "下属单位", parentId: parent.id });
  other = await createUnit(db, { name: "其他单位" });
  const [a] = await cadresWithAccounts(db, 1, { unitId: child.id, password: "pw-a-1234" });
  const [b] = await cadresWithAccounts(db, 1, { unitId: parent.id, rank: "deputy_county", password: "pw-b-1234" });
  const [c] = await cadresWithAccounts(db, 1, { unitId: other.id, password: "pw-c-1234" });
  // d moved from the other unit to the child unit on 2026-03-15.
  const [d] = await cadresWithAccounts(db, 1, { unitId: child.id, password: "pw-d-1234" });
  await db.delete(unitMemberships).where(eq(unitMemberships.cadreId, d!.cadreId));
  await db.insert(unitMemberships).values([
    { cadreId: d!.cadreId, unitId: other.id, startDate: null, endDate: "2026-03-15" },
    { cadreId: d!.cadreId, unitId: child.id, startDate: "2026-03-15", endDate: null },
  ]);
  people = { a: a!, b: b!, c: c!, d: d! };
  sessions = [
    await createClassSession(db, { startsAt: at("2026-03-04"), status: "closed", hours: 1.5 }),
    await createClassSession(db, { startsAt: at("2026-03-18"), status: "closed", hours: 2 }),
    await createClassSession(db, { startsAt: at("2026-02-18"), status: "closed", hours: 1.5 }), // before the period
    await createClassSession(db, { startsAt: at("2026-03-25"), status: "published", hours: 1.5 }), // not closed: not counted
  ];
  await attend(0, "a", "present");
  await attend(1, "a", "late");
  await attend(0, "b", "absent");
  await approveLeave(db, sessions[1]!.session.id, people.b.cadreId);
  await attend(1, "b", "excused");
  await attend(0, "c", "present");
  await attend(1, "c", "present", false);
  await attend(0, "d", "late");
  await attend(1, "d", "absent");
  await attend(2, "a", "absent");
  await attend(3, "a", "absent");
});

describe("the rate, set-based", () => {
  it("per cadre equals the formula over their rows of closed sessions in the period", async () => {
    const rates = await cadreAttendanceRates(db, period, { lateWeight: w });
    const expect_ = (
      who: keyof typeof people,
      counts: { enrolled: number; present: number; late: number; excused: number; absent: number },
    ) => expect(rates.get(people[who].cadreId)).toEqual({ ...counts, rate: attendanceRate(counts, w) });
    expect_("a", { enrolled: 2, present: 1, late: 1, excused: 0, absent: 0 });
    expect_("b", { enrolled: 2, present: 0, late: 0, excused: 1, absent: 1 });
    expect_("c", { enrolled: 2, present: 2, late: 0, excused: 0, absent: 0 });
    expect_("d", { enrolled: 2, present: 0, late: 1, excused: 0, absent: 1 });
    expect(rates.get(people.a.cadreId)!.rate).toBe(0.75);
  });

  it("per unit credits each row to the unit of the session date, with sub-units rolled up", async () => {
    const units = await unitAttendanceRates(db, period, { lateWeight: w, unitIds: [parent.id, child.id, other.id] });
    // child: a (2 rows) + d's 18 March absence; other: c (2) + d's 4 March late.
    expect(units.get(child.id)!.direct).toMatchObject({ enrolled: 3, present: 1, late: 1, absent: 1 });
    expect(units.get(other.id)!.direct).toMatchObject({ enrolled: 3, present: 2, late: 1, rate: (2 + 0.5) / 3 });
    expect(units.get(parent.id)!.direct).toMatchObject({ enrolled: 2, excused: 1, absent: 1, rate: 0 });
    expect(units.get(parent.id)!.rolled).toEqual({ enrolled: 5, present: 1, late: 1, excused: 1, absent: 2, rate: 1.5 / 4 });
    const byCadreInChild = await cadreAttendanceRates(db, period, { lateWeight: w, unitIds: [child.id] });
    expect(byCadreInChild.get(people.d.cadreId)).toMatchObject({ enrolled: 1, absent: 1 });
    expect(byCadreInChild.has(people.c.cadreId)).toBe(false);
  });

  it("for the organization sums every row once", async () => {
    expect(await organizationAttendance(db, period, { lateWeight: w })).toEqual({
      enrolled: 8,
      present: 3,
      late: 2,
      excused: 1,
      absent: 2,
      rate: 4 / 7,
    });
  });
});

describe("training hours", () => {
  it("count present and late at closed sessions, and confirmed make-up study, against the rank's requirement", async () => {
    const ledger = await trainingHoursLedger(db, 2026, { rules: DEFAULT_ATTENDANCE_RULES, cadreIds: [people.a.cadreId, people.b.cadreId] });
    expect(ledger.get(people.a.cadreId)).toMatchObject({ attended: 3.5, makeup: 0, earned: 3.5, required: 90, met: false });
    expect(ledger.get(people.b.cadreId)).toMatchObject({ attended: 0, earned: 0, required: 110 });

    // b was excused on 18 March: make-up study, submitted by b, confirmed by the head of b's unit.
    const headUser = (await cadresWithAccounts(db, 1, { unitId: parent.id, password: "pw-head-12" }))[0]!;
    await makeHead(db, parent.id, headUser.cadreId);
    const bCookie = await cookieFor(db, people.b.userId);
    const submitted = await callRoute<any>(
      home.action,
      makeRequest("/attendance", { cookie: bCookie, form: { sessionId: String(sessions[1]!.session.id), note: "已观看回放" } }),
    );
    expect(submitted.data).toEqual({ ok: true });
    // Not for a session b was not excused from.
    const refused = await callRoute<any>(
      home.action,
      makeRequest("/attendance", { cookie: bCookie, form: { sessionId: String(sessions[0]!.session.id) } }),
    );
    expect(refused.data.errors.form[0].key).toBe("attendance.errors.makeupNotExcused");

    const unitView = await callRoute<any>(
      unitPage.loader,
      makeRequest(`/attendance/units/${parent.id}?from=2026-03-01&to=2026-03-31`, { cookie: await cookieFor(db, headUser.userId) }),
      { unitId: String(parent.id) },
    );
    const makeup = unitView.data.makeups.find((m: { cadreId: number }) => m.cadreId === people.b.cadreId);
    expect(makeup).toBeTruthy();
    // b cannot confirm their own; a cadre of another unit's head cannot see it.
    const own = await callRoute<any>(
      unitPage.action,
      makeRequest("/u", { cookie: bCookie, form: { makeupId: String(makeup.id), decision: "confirmed" } }),
      { unitId: String(parent.id) },
    );
    expect(own.status).toBe(403);
    const decided = await callRoute<any>(
      unitPage.action,
      makeRequest("/u", { cookie: await cookieFor(db, headUser.userId), form: { makeupId: String(makeup.id), decision: "confirmed" } }),
      { unitId: String(parent.id) },
    );
    expect(decided.data).toEqual({ ok: true });
    expect((await db.select().from(auditLog).where(eq(auditLog.action, "attendance.makeup_confirmed"))).length).toBe(1);
    const after = await trainingHoursLedger(db, 2026, { rules: DEFAULT_ATTENDANCE_RULES, cadreIds: [people.b.cadreId] });
    expect(after.get(people.b.cadreId)).toMatchObject({ attended: 0, makeup: 2, earned: 2 });
  });
});

describe("pages and exports", () => {
  let adminCookie: string;
  beforeAll(async () => {
    adminCookie = await cookieFor(db, (await createUser(db, { roles: ["org_admin"], password: "pw-admin-1" })).id);
  });

  it("export exactly the rows the page shows", async () => {
    const query = "?from=2026-03-01&to=2026-03-31";
    const page = await callRoute<any>(reports.loader, makeRequest(`/attendance/reports${query}`, { cookie: adminCookie }));
    expect(page.data.total).toMatchObject({ enrolled: 8, rate: 4 / 7 });
    expect(page.data.sessions.map((s: { code: string }) => s.code)).toEqual([sessions[0]!.session.code, sessions[1]!.session.code]);
    const file = await reportsExport.loader({
      request: makeRequest(`/attendance/reports/export${query}&table=sessions&format=csv`, { cookie: adminCookie }),
      params: {},
      context: {},
    });
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await file.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(sessions[0]!.session.code);
    expect(lines[1]!.split(",").slice(-6)).toEqual(["4", "2", "1", "0", "1", "62.5%"]);

    const unitFile = await unitExport.loader({
      request: makeRequest(`/attendance/units/${parent.id}/export${query}&table=cadres&format=xlsx`, { cookie: adminCookie }),
      params: { unitId: String(parent.id) },
      context: {},
    });
    expect(unitFile.headers.get("content-type")).toContain("spreadsheetml");
    expect((await unitFile.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it("keep each role to its scope: 403 for a role without the page, 404 outside scope", async () => {
    const [plain] = await cadresWithAccounts(db, 1, { unitId: other.id, password: "pw-plain-1" });
    const plainCookie = await cookieFor(db, plain!.userId);
    const [otherHead] = await cadresWithAccounts(db, 1, { unitId: other.id, password: "pw-head-34" });
    await makeHead(db, other.id, otherHead!.cadreId);
    const otherHeadCookie = await cookieFor(db, otherHead!.userId);
    const unit = (cookie: string, id: number) =>
      callRoute<any>(unitPage.loader, makeRequest(`/attendance/units/${id}`, { cookie }), { unitId: String(id) });
    const cadre = (cookie: string, id: number) =>
      callRoute<any>(cadrePage.loader, makeRequest(`/attendance/cadres/${id}`, { cookie }), { cadreId: String(id) });

    expect((await unit(plainCookie, other.id)).status).toBe(403);
    expect((await unit(otherHeadCookie, other.id)).status).toBe(200);
    expect((await unit(otherHeadCookie, parent.id)).status).toBe(404);
    expect((await unit(otherHeadCookie, child.id)).status).toBe(404);
    expect((await unit(adminCookie, child.id)).status).toBe(200);
    expect((await cadre(plainCookie, plain!.cadreId)).status).toBe(200);
    expect((await cadre(plainCookie, people.c.cadreId)).status).toBe(404);
    expect((await cadre(otherHeadCookie, people.c.cadreId)).status).toBe(200);
    expect((await cadre(otherHeadCookie, people.a.cadreId)).status).toBe(404);
    expect((await callRoute(reports.loader, makeRequest("/attendance/reports", { cookie: otherHeadCookie }))).status).toBe(403);
    const exportAsHead = await callRoute(
      unitExport.loader,
      makeRequest(`/attendance/units/${parent.id}/export?table=cadres&format=csv`, { cookie: otherHeadCookie }),
      { unitId: String(parent.id) },
    );
    expect(exportAsHead.status).toBe(404);
  });

  it("show a cadre their own year with what each session earned", async () => {
    const page = await callRoute<any>(home.loader, makeRequest("/attendance?year=2026", { cookie: await cookieFor(db, people.a.userId) }));
    const rows = page.data.history.rows.map((r: { code: string; status: string | null; earned: number }) => [r.code, r.status, r.earned]);
    expect(rows).toEqual([
      [sessions[3]!.session.code, "absent", 0],
      [sessions[1]!.session.code, "late", 2],
      [sessions[0]!.session.code, "present", 1.5],
      [sessions[2]!.session.code, "absent", 0],
    ]);
    expect(page.data.history.hours).toMatchObject({ earned: 3.5, required: 90 });
  });
});
