import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { checkInSigningKey } from "~/modules/attendance/checkin/secret.server";
import { readCheckInToken, tokenTimeProblem } from "~/modules/attendance/checkin/token.server";
import * as display from "~/routes/attendance.venue.$sessionVenueId.display";
import * as live from "~/routes/attendance.venue.$sessionVenueId.live";
import * as roster from "~/routes/attendance.venue.$sessionVenueId.roster";
import * as venues from "~/routes/attendance.venues";
import { attendanceRecords, auditLog } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { approveLeave, assignStaff, cadresWithAccounts, createClassSession, register } from "./attendance-fixtures";

const conn = await testDatabase();
const db = conn.db;

let made: Awaited<ReturnType<typeof createClassSession>>;
let people: Awaited<ReturnType<typeof cadresWithAccounts>>;
const cookies: Record<"staffA" | "staffB" | "admin" | "cadre", string> = { staffA: "", staffB: "", admin: "", cadre: "" };
let venueA: number;
let venueB: number;

beforeAll(async () => {
  made = await createClassSession(db, { startsAt: new Date(Date.now() - 10 * 60_000), venues: 2 });
  venueA = made.venues[0]!.sessionVenueId;
  venueB = made.venues[1]!.sessionVenueId;
  people = await cadresWithAccounts(db, 4);
  await register(db, made.session.id, people[0]!.cadreId, made.venues[0]!.venueId);
  await register(db, made.session.id, people[1]!.cadreId, made.venues[0]!.venueId);
  await register(db, made.session.id, people[2]!.cadreId, made.venues[1]!.venueId);
  await register(db, made.session.id, people[3]!.cadreId, made.venues[0]!.venueId);
  await approveLeave(db, made.session.id, people[3]!.cadreId);
  const staffA = await createUser(db, { roles: ["venue_staff"], password: "pw-staff-a" });
  const staffB = await createUser(db, { roles: ["venue_staff"], password: "pw-staff-b" });
  await assignStaff(db, venueA, staffA.id);
  await assignStaff(db, venueB, staffB.id);
  cookies.staffA = await cookieFor(db, staffA.id);
  cookies.staffB = await cookieFor(db, staffB.id);
  cookies.admin = await cookieFor(db, (await createUser(db, { roles: ["org_admin"], password: "pw-admin-1" })).id);
  cookies.cadre = await cookieFor(db, people[0]!.userId);
});

const get = (route: { loader?: unknown }, path: string, cookie: string, params: Record<string, string> = {}) =>
  callRoute<any>(route.loader as never, makeRequest(path, { cookie }), params);
const mark = (cookie: string, sessionVenueId: number, cadreId: number, status: string) =>
  callRoute<any>(
    roster.action,
    makeRequest(`/attendance/venue/${sessionVenueId}/roster`, { cookie, form: { cadreId: String(cadreId), status } }),
    { sessionVenueId: String(sessionVenueId) },
  );

describe("venue pages are for the venue's staff and the organization department", () => {
  it("lists each staff member's own venues, and every venue to org admins", async () => {
    const a = await get(venues, "/attendance/venues", cookies.staffA);
    expect(a.data.venues.map((v: { sessionVenueId: number }) => v.sessionVenueId)).toEqual([venueA]);
    const admin = await get(venues, "/attendance/venues", cookies.admin);
    expect(admin.data.venues.map((v: { sessionVenueId: number }) => v.sessionVenueId).sort()).toEqual([venueA, venueB].sort());
    expect((await get(venues, "/attendance/venues", cookies.cadre)).status).toBe(403);
  });

  it("shows staff of venue A their display and roster, and nothing of venue B (404), whatever id is typed", async () => {
    for (const route of [display, live, roster]) {
      const path = (id: number) => `/attendance/venue/${id}/x`;
      expect((await get(route, path(venueA), cookies.staffA, { sessionVenueId: String(venueA) })).status).toBe(200);
      expect((await get(route, path(venueB), cookies.staffA, { sessionVenueId: String(venueB) })).status).toBe(404);
      expect((await get(route, path(999999), cookies.staffA, { sessionVenueId: "999999" })).status).toBe(404);
      expect((await get(route, path(venueB), cookies.admin, { sessionVenueId: String(venueB) })).status).toBe(200);
      // A cadre without a venue role may not run venues at all.
      expect((await get(route, path(venueA), cookies.cadre, { sessionVenueId: String(venueA) })).status).toBe(403);
    }
  });

  it("gives the display a live code for this venue, with its address, and the counts", async () => {
    const page = await get(display, `/attendance/venue/${venueA}/display`, cookies.staffA, { sessionVenueId: String(venueA) });
    expect(page.data.phase).toBe("open");
    const { code } = page.data;
    expect(code.url).toBe(`http://luoshi.test/c/${code.token}`);
    expect(code.svg).toMatch(/^<svg[^>]*xmlns/);
    const claims = readCheckInToken(await checkInSigningKey(db), code.token)!;
    expect(claims).toMatchObject({ sessionId: made.session.id, sessionVenueId: venueA, period: 30 });
    expect(tokenTimeProblem(claims, new Date())).toBeNull();
    expect(page.data.counts).toMatchObject({ expected: 3, onLeave: 1, checkedIn: 0 });
  });
});

describe("marking the roster", () => {
  it("lets staff of A mark their cadres in one tap each, audited, and a repeat tap changes nothing", async () => {
    const first = await mark(cookies.staffA, venueA, people[0]!.cadreId, "present");
    expect(first.data).toMatchObject({ ok: true, changed: true, status: "present" });
    const again = await mark(cookies.staffA, venueA, people[0]!.cadreId, "present");
    expect(again.data).toMatchObject({ ok: true, changed: false });
    expect((await mark(cookies.staffA, venueA, people[1]!.cadreId, "absent")).data.changed).toBe(true);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "attendance.marked"));
    expect(audits).toHaveLength(2);
    const page = await get(roster, `/attendance/venue/${venueA}/roster`, cookies.staffA, { sessionVenueId: String(venueA) });
    // Still missing: nobody — cadre 0 present, cadre 1 marked absent, cadre 3 on leave.
    expect(page.data.missing).toEqual([]);
    expect(page.data.roster.map((r: { cadreId: number; status: string | null }) => [r.cadreId, r.status])).toEqual(
      expect.arrayContaining([
        [people[0]!.cadreId, "present"],
        [people[1]!.cadreId, "absent"],
        [people[3]!.cadreId, null],
      ]),
    );
  });

  it("refuses staff of A on venue B's roster, and on B's cadres' absences, even with edited ids", async () => {
    expect((await mark(cookies.staffA, venueB, people[2]!.cadreId, "present")).status).toBe(404);
    // From A's own roster: B's cadre cannot be marked absent or excused here …
    expect((await mark(cookies.staffA, venueA, people[2]!.cadreId, "absent")).status).toBe(403);
    // … and a cadre not enrolled in the session at all does not exist here.
    const stranger = (await cadresWithAccounts(db, 1))[0]!;
    expect((await mark(cookies.staffA, venueA, stranger.cadreId, "present")).status).toBe(404);
    expect((await mark(cookies.cadre, venueA, people[1]!.cadreId, "present")).status).toBe(403);
    const rows = await db.select().from(attendanceRecords).where(eq(attendanceRecords.cadreId, people[2]!.cadreId));
    expect(rows).toEqual([]);
  });

  it("records a cadre of B who turns up at A as seen at A, with the other-venue mark", async () => {
    const searched = await get(roster, `/attendance/venue/${venueA}/roster?q=${people[2]!.staffNo}`, cookies.staffA, {
      sessionVenueId: String(venueA),
    });
    expect(searched.data.roster.map((r: { cadreId: number }) => r.cadreId)).toEqual([people[2]!.cadreId]);
    expect((await mark(cookies.staffA, venueA, people[2]!.cadreId, "late")).data.changed).toBe(true);
    const [row] = await db
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.sessionId, made.session.id), eq(attendanceRecords.cadreId, people[2]!.cadreId)));
    expect(row).toMatchObject({ status: "late", source: "roster", sessionVenueId: venueA, otherVenue: true });
    // Now seen at A, A's staff may also correct it to absent.
    expect((await mark(cookies.staffA, venueA, people[2]!.cadreId, "absent")).data.changed).toBe(true);
  });

  it("answers bad input beside the field and changes nothing", async () => {
    const bad = await mark(cookies.staffA, venueA, people[0]!.cadreId, "sleeping");
    expect(bad.status).toBe(400);
    expect(bad.data.errors.status).toEqual(["attendance.validation.status"]);
  });
});
