import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { computeRanking } from "~/modules/rankings/compute.server";
import { createMeeting } from "~/modules/rankings/meetings.server";
import { updateSharing } from "~/modules/rankings/model.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import * as index from "~/routes/rankings._index";
import * as quarterPage from "~/routes/rankings.$quarter";
import * as cadrePage from "~/routes/rankings.$quarter_.cadres.$cadreId";
import * as exportRoute from "~/routes/rankings.$quarter_.export";
import * as printPage from "~/routes/rankings.$quarter_.print";
import * as unitPage from "~/routes/rankings.$quarter_.units.$unitId";
import * as assessments from "~/routes/rankings.assessments";
import * as flagsPage from "~/routes/rankings.flags";
import * as meetingPage from "~/routes/rankings.meetings.$meetingId";
import * as modelPage from "~/routes/rankings.model";
import { attendanceRecords, auditLog, classRegistrations, rankingAssessments, rankings } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };

/**
 * Who sees what: the organization department everything; a unit head the published unit tables (as
 * shared), their own units' breakdowns and no one else's, cadre tables only when the department shares
 * them; a cadre their own breakdown. Refusals: 403 for a role that may not, 404 outside the scope.
 */
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

beforeAll(async () => {
  const u1 = await createUnit(db, { code: "A1", name: "甲局", kind: "department" });
  const u2 = await createUnit(db, { code: "A2", name: "乙局", kind: "department" });
  const t1 = await createUnit(db, { code: "B1", name: "丙镇", kind: "town" });
  Object.assign(ids, { u1: u1.id, u2: u2.id, t1: t1.id });
  const h1 = await createCadre(db, { staffNo: "H1", unitId: u1.id, rank: "section" });
  const c1 = await createCadre(db, { staffNo: "C1", unitId: u1.id, rank: "deputy_section" });
  const h2 = await createCadre(db, { staffNo: "H2", unitId: u2.id, rank: "section" });
  const c2 = await createCadre(db, { staffNo: "C2", unitId: u2.id, rank: "deputy_section" });
  const c3 = await createCadre(db, { staffNo: "C3", unitId: t1.id, rank: "deputy_section" });
  Object.assign(ids, { h1: h1.id, c1: c1.id, h2: h2.id, c2: c2.id, c3: c3.id });
  await makeHead(db, u1.id, h1.id);
  await makeHead(db, u2.id, h2.id);
  const admin = await createUser(db, { password: "admin-password-1", roles: ["org_admin"] });
  const head = await createUser(db, { cadreId: h1.id, password: "head-password-1" });
  const cadre = await createUser(db, { cadreId: c1.id, password: "cadre-password-1" });
  cookies.admin = await cookieFor(db, admin.id);
  cookies.head = await cookieFor(db, head.id);
  cookies.cadre = await cookieFor(db, cadre.id);
  ids.adminUser = admin.id;

  const session = await createClassSession(db, { startsAt: new Date("2026-02-11T11:30:00Z"), status: "closed" });
  for (const [i, c] of [h1, c1, h2, c2, c3].entries()) {
    await db.insert(classRegistrations).values({ sessionId: session.id, cadreId: c.id, source: "admin" });
    await db
      .insert(attendanceRecords)
      .values({ sessionId: session.id, cadreId: c.id, status: i % 2 ? "present" : "late", source: "roster" });
  }
  const q1 = await computeRanking(db, actor, "2026Q1");
  await publishRanking(db, actor, q1.rankingId, { notify: false });
  ids.q2Draft = (await computeRanking(db, actor, "2026Q2")).rankingId;
  ids.meeting = (
    await createMeeting(db, actor, "2026Q1", {
      startsAt: new Date("2026-04-16T01:30:00Z"),
      endsAt: new Date("2026-04-16T04:00:00Z"),
      place: "市委党校",
    })
  ).meetingId;
});

const get = (fn: unknown, path: string, who: string, params: Record<string, string> = {}) =>
  callRoute<any>(fn as never, makeRequest(path, { cookie: cookies[who] }), params);
const post = (fn: unknown, path: string, who: string, form: Record<string, string>, params: Record<string, string> = {}) =>
  callRoute<any>(fn as never, makeRequest(path, { cookie: cookies[who], form }), params);

describe("the rankings pages by role", () => {
  it("open to the organization department and unit heads, not to a plain cadre", async () => {
    expect((await get(index.loader, "/rankings", "admin")).status).toBe(200);
    expect((await get(index.loader, "/rankings", "head")).status).toBe(200);
    expect((await get(index.loader, "/rankings", "cadre")).status).toBe(403);
    expect((await get(quarterPage.loader, "/rankings/2026Q1", "cadre", { quarter: "2026Q1" })).status).toBe(403);
  });

  it("show a head the published unit table, with links only to their own unit", async () => {
    const page = await get(quarterPage.loader, "/rankings/2026Q1?tab=units&group=department", "head", { quarter: "2026Q1" });
    expect(page.status).toBe(200);
    expect(page.data.admin).toBe(false);
    const name = page.data.table.columns.findIndex((c: { key: string }) => c.key === "name");
    const names = page.data.table.rows.map((r: { value: unknown; href?: string }[]) => [r[name]!.value, Boolean(r[name]!.href)]);
    expect(names).toEqual(
      expect.arrayContaining([
        ["甲局", true],
        ["乙局", false],
      ]),
    );
  });

  it("keep drafts and the department's tools from heads", async () => {
    expect((await get(quarterPage.loader, "/rankings/2026Q2", "head", { quarter: "2026Q2" })).status).toBe(404);
    expect((await get(quarterPage.loader, "/rankings/2026Q2", "admin", { quarter: "2026Q2" })).status).toBe(200);
    expect((await get(modelPage.loader, "/rankings/model", "head")).status).toBe(403);
    expect((await get(flagsPage.loader, "/rankings/flags", "head")).status).toBe(403);
    expect((await post(index.action, "/rankings", "head", { intent: "compute", quarter: "2026Q1", reason: "x" })).status).toBe(403);
    const [before] = await db.select().from(rankings).where(eq(rankings.id, ids.q2Draft!));
    expect(
      (
        await post(
          quarterPage.action,
          "/rankings/2026Q2",
          "head",
          { intent: "publish", rankingId: String(ids.q2Draft) },
          { quarter: "2026Q2" },
        )
      ).status,
    ).toBe(403);
    const [after] = await db.select().from(rankings).where(eq(rankings.id, ids.q2Draft!));
    expect(after).toEqual(before);
  });

  it("show a head their own unit's breakdown and no other's", async () => {
    expect(
      (await get(unitPage.loader, `/rankings/2026Q1/units/${ids.u1}`, "head", { quarter: "2026Q1", unitId: String(ids.u1) })).status,
    ).toBe(200);
    expect(
      (await get(unitPage.loader, `/rankings/2026Q1/units/${ids.u2}`, "head", { quarter: "2026Q1", unitId: String(ids.u2) })).status,
    ).toBe(404);
    expect(
      (await get(unitPage.loader, `/rankings/2026Q1/units/${ids.u2}`, "admin", { quarter: "2026Q1", unitId: String(ids.u2) })).status,
    ).toBe(200);
    expect((await get(unitPage.loader, `/rankings/2026Q1/units/abc`, "admin", { quarter: "2026Q1", unitId: "abc" })).status).toBe(404);
  });

  it("keep cadre tables to the organization department until it shares them", async () => {
    expect((await get(quarterPage.loader, "/rankings/2026Q1?tab=cadres", "head", { quarter: "2026Q1" })).status).toBe(403);
    expect((await get(exportRoute.loader, "/rankings/2026Q1/export?tab=cadres&format=csv", "head", { quarter: "2026Q1" })).status).toBe(
      403,
    );
    expect((await get(printPage.loader, "/rankings/2026Q1/print?tab=cadres", "head", { quarter: "2026Q1" })).status).toBe(403);
    // A head sees no cadre breakdown, not even their own cadre's; the cadre sees their own.
    expect(
      (await get(cadrePage.loader, `/rankings/2026Q1/cadres/${ids.c1}`, "head", { quarter: "2026Q1", cadreId: String(ids.c1) })).status,
    ).toBe(404);
    expect(
      (await get(cadrePage.loader, `/rankings/2026Q1/cadres/${ids.c1}`, "cadre", { quarter: "2026Q1", cadreId: String(ids.c1) })).status,
    ).toBe(200);
    expect(
      (await get(cadrePage.loader, `/rankings/2026Q1/cadres/${ids.c2}`, "cadre", { quarter: "2026Q1", cadreId: String(ids.c2) })).status,
    ).toBe(404);

    await updateSharing(db, { userId: ids.adminUser! }, { unitTables: "heads", cadreTables: "heads" });
    expect((await get(quarterPage.loader, "/rankings/2026Q1?tab=cadres", "head", { quarter: "2026Q1" })).status).toBe(200);
    expect(
      (await get(cadrePage.loader, `/rankings/2026Q1/cadres/${ids.c1}`, "head", { quarter: "2026Q1", cadreId: String(ids.c1) })).status,
    ).toBe(200);
    expect(
      (await get(cadrePage.loader, `/rankings/2026Q1/cadres/${ids.c2}`, "head", { quarter: "2026Q1", cadreId: String(ids.c2) })).status,
    ).toBe(404);

    await updateSharing(db, { userId: ids.adminUser! }, { unitTables: "admins", cadreTables: "admins" });
    expect((await get(quarterPage.loader, "/rankings/2026Q1?tab=units", "head", { quarter: "2026Q1" })).status).toBe(403);
    // The head's own unit's breakdown stays theirs whatever is shared.
    expect(
      (await get(unitPage.loader, `/rankings/2026Q1/units/${ids.u1}`, "head", { quarter: "2026Q1", unitId: String(ids.u1) })).status,
    ).toBe(200);
    const changes = await db.select().from(auditLog).where(eq(auditLog.action, "ranking.sharing_changed"));
    expect(changes).toHaveLength(2);
    await updateSharing(db, { userId: ids.adminUser! }, { unitTables: "heads", cadreTables: "admins" });
  });

  it("export what the page shows, for the same query", async () => {
    const page = await get(quarterPage.loader, "/rankings/2026Q1?tab=units&group=department&q=局", "head", { quarter: "2026Q1" });
    const file = await callRoute(
      exportRoute.loader,
      makeRequest("/rankings/2026Q1/export?tab=units&group=department&q=局&format=csv", { cookie: cookies.head }),
      { quarter: "2026Q1" },
    );
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("text/csv");
    const response = await exportRoute.loader({
      request: makeRequest("/rankings/2026Q1/export?tab=units&group=department&q=局&format=csv", { cookie: cookies.head }),
      params: { quarter: "2026Q1" },
      context: {},
    });
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]!.split(",")).toEqual(page.data.table.columns.map((c: { label: string }) => c.label));
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(page.data.table.rows.map((r: { value: unknown }[]) => r[2]!.value));
    const xlsx = await callRoute(
      exportRoute.loader,
      makeRequest("/rankings/2026Q1/export?tab=units&format=xlsx", { cookie: cookies.admin }),
      { quarter: "2026Q1" },
    );
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
  });

  it("show a meeting to heads only when one of their units speaks", async () => {
    const asAdmin = await get(meetingPage.loader, `/rankings/meetings/${ids.meeting}`, "admin", { meetingId: String(ids.meeting) });
    expect(asAdmin.status).toBe(200);
    const speaking = asAdmin.data.meeting.items.some((i: { unitId: number }) => i.unitId === ids.u1);
    expect((await get(meetingPage.loader, `/rankings/meetings/${ids.meeting}`, "head", { meetingId: String(ids.meeting) })).status).toBe(
      speaking ? 200 : 404,
    );
    expect(
      (
        await post(
          meetingPage.action,
          `/rankings/meetings/${ids.meeting}`,
          "head",
          { intent: "minutes", minutes: "x" },
          { meetingId: String(ids.meeting) },
        )
      ).status,
    ).toBe(403);
  });
});

describe("regular assessment by role", () => {
  it("lets a head grade their own unit's cadres, not themselves, not another unit", async () => {
    const sheet = await get(assessments.loader, `/rankings/assessments?quarter=2026Q4&unit=${ids.u1}`, "head");
    expect(sheet.status).toBe(200);
    expect(sheet.data.sheet.rows.map((r: { staffNo: string; self: boolean }) => [r.staffNo, r.self])).toEqual([
      ["H1", true],
      ["C1", false],
    ]);
    const saved = await post(assessments.action, "/rankings/assessments", "head", {
      quarter: "2026Q4",
      unitId: String(ids.u1),
      [`grade.${ids.c1}`]: "fairly_good",
      [`comment.${ids.c1}`]: "较好",
    });
    expect(saved.data).toEqual({ ok: true, saved: 1 });
    // The same sheet again changes nothing.
    expect(
      (
        await post(assessments.action, "/rankings/assessments", "head", {
          quarter: "2026Q4",
          unitId: String(ids.u1),
          [`grade.${ids.c1}`]: "fairly_good",
          [`comment.${ids.c1}`]: "较好",
        })
      ).data,
    ).toEqual({ ok: true, saved: 0 });
    const self = await post(assessments.action, "/rankings/assessments", "head", {
      quarter: "2026Q4",
      unitId: String(ids.u1),
      [`grade.${ids.h1}`]: "good",
    });
    expect(self.status).toBe(400);
    expect(self.data.errors[`grade.${ids.h1}`]).toEqual([{ key: "rankings.errors.gradeSelf" }]);
    expect((await get(assessments.loader, `/rankings/assessments?quarter=2026Q4&unit=${ids.u2}`, "head")).status).toBe(404);
    expect(
      (
        await post(assessments.action, "/rankings/assessments", "head", {
          quarter: "2026Q4",
          unitId: String(ids.u2),
          [`grade.${ids.c2}`]: "poor",
        })
      ).status,
    ).toBe(404);
    const rows = await db.select({ cadreId: rankingAssessments.cadreId, grade: rankingAssessments.grade }).from(rankingAssessments);
    expect(rows).toEqual([{ cadreId: ids.c1, grade: "fairly_good" }]);
  });

  it("closes for heads after the deadline; the organization department may still grade", async () => {
    const late = await post(assessments.action, "/rankings/assessments", "head", {
      quarter: "2026Q1",
      unitId: String(ids.u1),
      [`grade.${ids.c1}`]: "good",
    });
    expect(late.status).toBe(400);
    expect(late.data.errors.form[0].key).toBe("rankings.errors.assessmentClosed");
    const admin = await post(assessments.action, "/rankings/assessments", "admin", {
      quarter: "2026Q1",
      unitId: String(ids.u1),
      [`grade.${ids.c1}`]: "good",
    });
    expect(admin.data).toEqual({ ok: true, saved: 1 });
    const overview = await get(assessments.loader, "/rankings/assessments?quarter=2026Q4", "admin");
    expect(overview.data.overview.rows.find((r: { code: string }) => r.code === "A1")).toMatchObject({ members: 2, graded: 1 });
    expect((await get(assessments.loader, "/rankings/assessments", "cadre")).status).toBe(403);
  });
});
