import { and, eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import runSession from "~/cli/commands/session";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { issueFeedToken } from "~/modules/classes/calendar.server";
import { audienceCadres, syncUpcomingEnrolments } from "~/modules/classes/enrolment.server";
import { sendClassReminders } from "~/modules/classes/jobs.server";
import { askLeave, decideLeave } from "~/modules/classes/leave.server";
import { registerForSession } from "~/modules/classes/registration.server";
import { transitionSession } from "~/modules/classes/status.server";
import * as sessionPage from "~/routes/classes.$code";
import * as adminIndex from "~/routes/classes.admin._index";
import * as newSeries from "~/routes/classes.admin.series.new";
import * as adminSession from "~/routes/classes.admin.sessions.$code";
import * as editSession from "~/routes/classes.admin.sessions.$code_.edit";
import * as rosterExport from "~/routes/classes.admin.sessions.$code_.roster.$format";
import * as calendarFeed from "~/routes/classes.calendar.$token";
import * as sessionIcs from "~/routes/classes.ics.$file";
import { auditLog, cadres, classRegistrations, classSessions, classSessionVenues, emailOutbox } from "~db/schema";
import { createClassSession, createClassVenue } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const system = { userId: null, label: "test" };

const units: Record<string, { id: number }> = {};
const staff: Record<string, number> = {};
let adminCookie: string;
let headCookie: string;
let cadreCookie: string;
let cadreUserId: number;

async function cadre(staffNo: string, unit: string, rank: "staff" | "deputy_section" | "section" | "deputy_county" | "county") {
  staff[staffNo] = (await createCadre(db, { unitId: units[unit]!.id, rank, staffNo })).id;
}

beforeAll(async () => {
  units.city = await createUnit(db, { code: "ACITY", name: "示范市" });
  units.edu = await createUnit(db, { code: "AEDU", name: "教育局", parentId: units.city.id });
  units.school = await createUnit(db, { code: "ASCH", name: "第一中学", parentId: units.edu.id });
  units.finance = await createUnit(db, { code: "AFIN", name: "财政局", parentId: units.city.id });
  await cadre("A01", "city", "county");
  await cadre("A02", "city", "deputy_county");
  await cadre("A10", "edu", "section");
  await cadre("A11", "edu", "deputy_section");
  await cadre("A12", "school", "deputy_section");
  await cadre("A13", "school", "staff");
  await cadre("A20", "finance", "section");
  await cadre("A21", "finance", "deputy_section");
  await cadre("A22", "finance", "deputy_section");
  await cadre("ORG", "city", "section");
  await makeHead(db, units.edu.id, staff.A10!);
  const admin = await createUser(db, { cadreId: staff.ORG!, roles: ["org_admin"], disabled: false });
  adminCookie = await cookieFor(db, admin.id);
  headCookie = await cookieFor(db, (await createUser(db, { cadreId: staff.A10!, disabled: false })).id);
  cadreUserId = (await createUser(db, { cadreId: staff.A12!, disabled: false })).id;
  cadreCookie = await cookieFor(db, cadreUserId);
});

const seriesForm = (over: Record<string, string | string[]> = {}) => ({
  intent: "preview",
  idempotencyKey: "series-key-0001",
  title: "2027年夜课堂",
  recurrenceKind: "monthly",
  intervalWeeks: "2",
  monthlyWeekday: "3",
  monthlyWeeks: ["2", "4"],
  startDate: "2027-01-01",
  endDate: "2027-03-31",
  startTime: "19:30",
  endTime: "21:00",
  trainingHours: "1.5",
  deadlineHoursBefore: "6",
  minRank: "deputy_section",
  audienceMandatory: "on",
  openRegistration: "on",
  ...over,
});

describe("series and bulk scheduling", () => {
  it("previews the dates and codes, then creates the series once however often it is submitted", async () => {
    const venue = await createClassVenue(db, { name: "主会场", capacity: 10, ranks: ["county", "deputy_county"] });
    const preview = await callRoute(
      newSeries.action,
      makeRequest("/classes/admin/series/new", { cookie: adminCookie, form: seriesForm({ venueIds: String(venue.id) }) }),
    );
    expect(preview.status).toBe(200);
    expect(preview.data.preview.map((p: { date: string; code: string }) => `${p.code} ${p.date}`)).toEqual([
      "2027-01 2027-01-13",
      "2027-02 2027-01-27",
      "2027-03 2027-02-10",
      "2027-04 2027-02-24",
      "2027-05 2027-03-10",
      "2027-06 2027-03-24",
    ]);
    expect(await db.select().from(classSessions)).toHaveLength(0);

    const form = seriesForm({ intent: "create", venueIds: String(venue.id), exceptDates: "2027-02-10" });
    const [first, second] = await Promise.all([
      callRoute(newSeries.action, makeRequest("/classes/admin/series/new", { cookie: adminCookie, form })),
      callRoute(newSeries.action, makeRequest("/classes/admin/series/new", { cookie: adminCookie, form })),
    ]);
    expect(first.status).toBe(302);
    expect(second.location).toBe(first.location);
    const sessions = await db.select().from(classSessions);
    expect(sessions).toHaveLength(5);
    expect(sessions.every((s) => s.status === "draft")).toBe(true);
    expect(sessions[0]!.startsAt.toISOString()).toBe("2027-01-13T11:30:00.000Z");
    expect(sessions[0]!.registrationDeadline.toISOString()).toBe("2027-01-13T05:30:00.000Z");
    expect(await db.select().from(classSessionVenues).where(eq(classSessionVenues.venueId, venue.id))).toHaveLength(5);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "class.series.created"))).toHaveLength(1);
    const overview = await callRoute(adminIndex.loader, makeRequest("/classes/admin?year=2027", { cookie: adminCookie }));
    expect(overview.data.series).toMatchObject([{ title: "2027年夜课堂", sessions: 5, published: 0 }]);
    expect(overview.data.sessions).toHaveLength(5);
  });

  it("bad input is refused beside the field: an unknown staff number, a time that ends before it starts", async () => {
    const result = await callRoute(
      newSeries.action,
      makeRequest("/classes/admin/series/new", {
        cookie: adminCookie,
        form: seriesForm({ idempotencyKey: "series-key-0002", endTime: "19:00", cadreStaffNos: "NOPE" }),
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data.errors.endTime).toEqual(["classes.validation.endTime"]);
    const unknown = await callRoute(
      newSeries.action,
      makeRequest("/classes/admin/series/new", {
        cookie: adminCookie,
        form: seriesForm({ idempotencyKey: "series-key-0003", title: "另一系列", intent: "create", cadreStaffNos: "NOPE" }),
      }),
    );
    expect(unknown.data.errors.cadreStaffNos[0]).toMatchObject({ key: "classes.errors.unknownStaffNo", params: { value: "NOPE" } });
  });
});

describe("publication: audience and tiered venues", () => {
  it("enrols the mandatory audience at the venue their rank maps to while it has room, else online", async () => {
    const main = await createClassVenue(db, { capacity: 1, ranks: ["county", "deputy_county"] });
    const hall = await createClassVenue(db, { capacity: 2, ranks: ["section", "deputy_section"] });
    const session = await createClassSession(db, {
      audience: { minRank: "deputy_section", cadreIds: [staff.A13!], excludeCadreIds: [staff.A22!] },
      venues: [{ id: main.id }, { id: hall.id }],
    });
    const audience = await audienceCadres(db, session.audience);
    expect(audience.map((c) => c.staffNo).sort()).toEqual(["A01", "A02", "A10", "A11", "A12", "A13", "A20", "A21", "ORG"]);

    const outcome = await transitionSession(db, system, session.code, "publish");
    expect(outcome.sync).toMatchObject({ enrolled: 9 });
    const rows = await db
      .select({ staffNo: cadres.staffNo, venueId: classRegistrations.venueId, source: classRegistrations.source })
      .from(classRegistrations)
      .innerJoin(cadres, eq(cadres.id, classRegistrations.cadreId))
      .where(eq(classRegistrations.sessionId, session.id));
    const place = Object.fromEntries(
      rows.map((r) => [r.staffNo, r.venueId === main.id ? "main" : r.venueId === hall.id ? "hall" : "online"]),
    );
    // County first into the one main seat; sections (by staff number) into the hall; the rest online.
    expect(place).toEqual({
      A01: "main",
      A02: "online",
      A10: "hall",
      A20: "hall",
      ORG: "online",
      A11: "online",
      A12: "online",
      A21: "online",
      A13: "online",
    });
    expect(rows.every((r) => r.source === "mandatory")).toBe(true);
    // Publishing again is a no-op.
    expect(await transitionSession(db, system, session.code, "publish")).toMatchObject({ unchanged: true });
  });

  it("enrolments follow the roster until the start: a new cadre joins, a retired one leaves and frees the seat", async () => {
    const hall = await createClassVenue(db, { capacity: 1, ranks: ["section", "deputy_section"] });
    const session = await createClassSession(db, {
      audience: { minRank: "section", unitIds: [units.finance.id] },
      venues: [{ id: hall.id }],
    });
    await transitionSession(db, system, session.code, "publish");
    // A20 (section) has the hall seat; A21 wants it but is not in the audience (deputy section): open registration.
    const a21 = await createUser(db, { cadreId: staff.A21!, disabled: false });
    await registerForSession(db, (await loadCurrentUser(db, a21.id, "t"))!, session.code, hall.id);
    await db.update(cadres).set({ status: "retired" }).where(eq(cadres.id, staff.A20!));
    const newcomer = await createCadre(db, { unitId: units.finance.id, rank: "section", staffNo: "A29" });

    const result = await syncUpcomingEnrolments(db);
    expect(result.enrolled).toBeGreaterThanOrEqual(1);
    const regs = await db.select().from(classRegistrations).where(eq(classRegistrations.sessionId, session.id));
    const of = (id: number) => regs.find((r) => r.cadreId === id);
    expect(of(staff.A20!)).toMatchObject({ status: "cancelled", venueId: null });
    expect(of(newcomer.id)).toMatchObject({ status: "registered", source: "mandatory" });
    expect(of(staff.A21!)).toMatchObject({ status: "registered", venueId: hall.id, waitlistVenueId: null });
    await db.update(cadres).set({ status: "active" }).where(eq(cadres.id, staff.A20!));
    // Once the session has started nothing moves any more.
    expect(await syncUpcomingEnrolments(db, { now: new Date(session.startsAt.getTime() + 1) })).toEqual({
      enrolled: 0,
      dropped: 0,
      promoted: 0,
    });
  });
});

describe("cancellation, reminders, closing", () => {
  it("cancelling tells everyone enrolled by email, once", async () => {
    const session = await createClassSession(db, { audience: { unitIds: [units.edu.id], minRank: "deputy_section" } });
    await transitionSession(db, system, session.code, "publish");
    const denied = await callRoute(
      adminSession.action,
      makeRequest(`/classes/admin/sessions/${session.code}`, { cookie: adminCookie, form: { intent: "cancel" } }),
      {
        code: session.code,
      },
    );
    expect(denied.status).toBe(400);
    expect(denied.data.errors.reason).toEqual(["validation.reasonRequired"]);
    const done = await callRoute(
      adminSession.action,
      makeRequest(`/classes/admin/sessions/${session.code}`, { cookie: adminCookie, form: { intent: "cancel", reason: "专家临时有公务" } }),
      { code: session.code },
    );
    expect(done.data).toMatchObject({ ok: true, params: { notified: 3 } });
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "class-cancelled"));
    expect(mails.map((m) => m.toAddress).sort()).toEqual(["a10@test.luoshi.local", "a11@test.luoshi.local", "a12@test.luoshi.local"]);
    expect(mails[0]!.text).toContain("专家临时有公务");
    await callRoute(
      adminSession.action,
      makeRequest(`/classes/admin/sessions/${session.code}`, { cookie: adminCookie, form: { intent: "cancel", reason: "again" } }),
      {
        code: session.code,
      },
    );
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.template, "class-cancelled"))).toHaveLength(3);
  });

  it("the reminder job writes to every registered cadre of tomorrow's sessions once, however often it runs", async () => {
    const now = new Date("2030-05-14T02:00:00Z");
    const session = await createClassSession(db, {
      startsAt: new Date("2030-05-15T11:30:00Z"),
      audience: { unitIds: [units.finance.id], minRank: "deputy_section" },
    });
    await transitionSession(db, system, session.code, "publish", { now });
    // An excused cadre is not reminded.
    const a22 = await createUser(db, { cadreId: staff.A22!, disabled: false });
    const a22User = (await loadCurrentUser(db, a22.id, "t"))!;
    const { leaveId } = await askLeave(db, a22User, session.code, "出差", { now });
    await decideLeave(
      db,
      (await loadCurrentUser(db, (await createUser(db, { roles: ["org_admin"], disabled: false })).id, "t"))!,
      leaveId,
      "approve",
      undefined,
    );
    const first = await sendClassReminders(db, now);
    const second = await sendClassReminders(db, now);
    expect(first.queued).toBeGreaterThanOrEqual(3);
    expect(second.queued).toBe(0);
    const sent = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "class-reminder"));
    expect(sent.map((m) => m.toAddress)).toContain("a21@test.luoshi.local");
    expect(sent.map((m) => m.toAddress)).not.toContain("a22@test.luoshi.local");
    expect(sent[0]!.subject).toContain("明日夜课堂");
    // The day before that, nothing is due.
    expect((await sendClassReminders(db, new Date("2030-05-13T02:00:00Z"))).queued).toBe(0);
  });

  it("`session close CODE` closes a started session, audited; twice is harmless; before the start it is refused", async () => {
    const session = await createClassSession(db, {
      startsAt: new Date(Date.now() - 3_600_000),
      status: "published",
      registrationDeadline: new Date(Date.now() - 7_200_000),
    });
    const out: string[] = [];
    const err: string[] = [];
    const ctx = { db, out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    expect(await runSession(["close", session.code], ctx)).toBe(0);
    expect(await runSession(["close", session.code], ctx)).toBe(0);
    expect(out).toEqual([`课程 ${session.code} 已结束。`, `课程 ${session.code} 已是“已结束”状态，没有变化。`]);
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "class.session.closed"), eq(auditLog.entityId, String(session.id)))),
    ).toMatchObject([{ actorLabel: "cli" }]);
    const future = await createClassSession(db, { status: "published" });
    expect(await runSession(["close", future.code], ctx)).toBe(1);
    expect(err.at(-1)).toBe("课程尚未开始，不能结束。");
    expect(await runSession(["close", "NOPE-1"], ctx)).toBe(1);
    expect(await runSession(["open"], ctx)).toBe(2);
  });
});

describe("admin pages and exports", () => {
  it("the organization department's pages are theirs: a cadre or a unit head gets 403, an unknown code 404", async () => {
    const session = await createClassSession(db, { status: "published", audience: { minRank: "staff" } });
    for (const cookie of [cadreCookie, headCookie]) {
      expect((await callRoute(adminIndex.loader, makeRequest("/classes/admin", { cookie }))).status).toBe(403);
      expect(
        (await callRoute(adminSession.loader, makeRequest(`/classes/admin/sessions/${session.code}`, { cookie }), { code: session.code }))
          .status,
      ).toBe(403);
      expect(
        (
          await callRoute(
            adminSession.action,
            makeRequest(`/classes/admin/sessions/${session.code}`, { cookie, form: { intent: "close" } }),
            { code: session.code },
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await callRoute(rosterExport.loader, makeRequest(`/classes/admin/sessions/${session.code}/roster/csv`, { cookie }), {
            code: session.code,
            format: "csv",
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await callRoute(editSession.loader, makeRequest(`/classes/admin/sessions/${session.code}/edit`, { cookie }), {
            code: session.code,
          })
        ).status,
      ).toBe(403);
    }
    expect(
      (await callRoute(adminSession.loader, makeRequest("/classes/admin/sessions/9999-99", { cookie: adminCookie }), { code: "9999-99" }))
        .status,
    ).toBe(404);
    expect(
      (await callRoute(adminSession.loader, makeRequest("/classes/admin/sessions/x", { cookie: adminCookie }), { code: "../x" })).status,
    ).toBe(404);
    // A draft does not exist for cadres.
    const draft = await createClassSession(db, { audience: { minRank: "staff" } });
    expect(
      (await callRoute(sessionPage.loader, makeRequest(`/classes/${draft.code}`, { cookie: cadreCookie }), { code: draft.code })).status,
    ).toBe(404);
  });

  it("the session page counts per venue and the export has the same rows, in CSV and XLSX", async () => {
    const hall = await createClassVenue(db, { capacity: 2, ranks: ["section", "deputy_section"] });
    const session = await createClassSession(db, {
      audience: { minRank: "deputy_section", unitIds: [units.edu.id] },
      venues: [{ id: hall.id }],
    });
    await transitionSession(db, system, session.code, "publish");
    const page = await callRoute(adminSession.loader, makeRequest(`/classes/admin/sessions/${session.code}`, { cookie: adminCookie }), {
      code: session.code,
    });
    expect(page.data.places).toMatchObject([
      { venueId: hall.id, registered: 2, capacity: 2, free: 0 },
      { venueId: null, registered: 1 },
    ]);
    expect(page.data.audience).toEqual({ total: 3, notRegistered: 0 });

    const csv = await callRoute(
      rosterExport.loader,
      makeRequest(`/classes/admin/sessions/${session.code}/roster/csv`, { cookie: adminCookie }),
      { code: session.code, format: "csv" },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const csvResponse = await rosterExport.loader({
      request: makeRequest(`/classes/admin/sessions/${session.code}/roster/csv`, { cookie: adminCookie }),
      params: { code: session.code, format: "csv" },
      context: {},
    });
    const bytes = new Uint8Array(await csvResponse.arrayBuffer());
    // A BOM first, so that Excel opens the Chinese as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("工号,姓名,单位")).toBe(true);
    expect(text.trim().split("\r\n")).toHaveLength(4);

    const xlsx = await rosterExport.loader({
      request: makeRequest(`/classes/admin/sessions/${session.code}/roster/xlsx`, { cookie: adminCookie }),
      params: { code: session.code, format: "xlsx" },
      context: {},
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).getCell(1).value).toBe("工号");
    expect(sheet.rowCount).toBe(5);
  });

  it("a session's .ics and the cadre's secret calendar feed; a wrong token is 404", async () => {
    const session = await createClassSession(db, { audience: { minRank: "deputy_section", unitIds: [units.school.id] } });
    await transitionSession(db, system, session.code, "publish");
    const ics = await sessionIcs.loader({
      request: makeRequest(`/classes/ics/${session.code}.ics`, { cookie: cadreCookie }),
      params: { file: `${session.code}.ics` },
      context: {},
    });
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    expect(await ics.text()).toContain(`UID:class-${session.code}@luoshi`);
    const token = await issueFeedToken(db, { id: cadreUserId, cadreId: staff.A12! }, { reset: false });
    expect(await issueFeedToken(db, { id: cadreUserId, cadreId: staff.A12! }, { reset: false })).toBe(token);
    const feed = await calendarFeed.loader({
      request: makeRequest(`/classes/calendar/${token}.ics`),
      params: { token: `${token}.ics` },
      context: {},
    });
    expect(await feed.text()).toContain(`UID:class-${session.code}@luoshi`);
    const wrong = await callRoute(calendarFeed.loader, makeRequest("/classes/calendar/0123456789abcdef0123456789abcdef.ics"), {
      token: "0123456789abcdef0123456789abcdef.ics",
    });
    expect(wrong.status).toBe(404);
    const reset = await issueFeedToken(db, { id: cadreUserId, cadreId: staff.A12! }, { reset: true });
    expect(reset).not.toBe(token);
    expect((await callRoute(calendarFeed.loader, makeRequest(`/classes/calendar/${token}.ics`), { token: `${token}.ics` })).status).toBe(
      404,
    );
  });

  it("editing a published session's audience follows at once; a capacity below the seats taken is refused", async () => {
    const hall = await createClassVenue(db, { capacity: 3, ranks: ["section", "deputy_section"] });
    const session = await createClassSession(db, {
      audience: { minRank: "deputy_section", unitIds: [units.edu.id] },
      venues: [{ id: hall.id }],
    });
    await transitionSession(db, system, session.code, "publish");
    const form = {
      intent: "update",
      title: "改后的课程",
      date: new Date(session.startsAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
      startTime: "19:30",
      endTime: "21:00",
      registrationDeadline: new Date(session.registrationDeadline.getTime() + 8 * 3_600_000).toISOString().slice(0, 16),
      trainingHours: "2",
      minRank: "deputy_section",
      unitIds: [String(units.edu.id), String(units.finance.id)],
      audienceMandatory: "on",
    };
    const saved = await callRoute(
      editSession.action,
      makeRequest(`/classes/admin/sessions/${session.code}/edit`, { cookie: adminCookie, form }),
      { code: session.code },
    );
    expect(saved.status).toBe(302);
    const regs = await db
      .select({ staffNo: cadres.staffNo })
      .from(classRegistrations)
      .innerJoin(cadres, eq(cadres.id, classRegistrations.cadreId))
      .where(and(eq(classRegistrations.sessionId, session.id), eq(classRegistrations.status, "registered")));
    expect(regs.map((r) => r.staffNo)).toEqual(expect.arrayContaining(["A20", "A21", "A22"]));
    const smaller = await callRoute(
      editSession.action,
      makeRequest(`/classes/admin/sessions/${session.code}/edit`, {
        cookie: adminCookie,
        form: { intent: "updateVenue", venueId: String(hall.id), capacity: "1", ranks: ["section"] },
      }),
      { code: session.code },
    );
    expect(smaller.status).toBe(400);
    expect(smaller.data.errors.capacity[0]).toMatchObject({ key: "classes.errors.capacityBelowTaken", params: { taken: 3 } });
    const [venueRow] = await db
      .select()
      .from(classSessionVenues)
      .where(and(eq(classSessionVenues.sessionId, session.id), inArray(classSessionVenues.venueId, [hall.id])));
    expect(venueRow!.capacity).toBe(3);
  });
});
