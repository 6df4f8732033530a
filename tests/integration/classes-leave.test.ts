import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { askLeave, decideLeave, withdrawLeave } from "~/modules/classes/leave.server";
import { registerForSession } from "~/modules/classes/registration.server";
import { transitionSession } from "~/modules/classes/status.server";
import * as myClassesRoute from "~/routes/classes._index";
import * as sessionRoute from "~/routes/classes.$code";
import * as leaveRoute from "~/routes/classes.leave";
import * as unitRoute from "~/routes/classes.unit";
import { auditLog, classLeaveRequests, classRegistrations, emailOutbox } from "~db/schema";
import { createClassSession, createClassVenue } from "~db/seed/classes";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

/** Education (→ school) with a head, finance with a liaison; cadres in each. */
const units: Record<string, { id: number }> = {};
const people: Record<string, { cadre: { id: number; staffNo: string }; user: CurrentUser; cookie: string }> = {};
let venueId: number;

async function person(key: string, unit: string, rank: "deputy_section" | "section" = "deputy_section") {
  const cadre = await createCadre(db, { unitId: units[unit]!.id, rank, staffNo: `L${key.toUpperCase()}` });
  const user = await createUser(db, { cadreId: cadre.id, disabled: false });
  people[key] = { cadre, user: null as unknown as CurrentUser, cookie: await cookieFor(db, user.id) };
  return user.id;
}

beforeAll(async () => {
  const city = await createUnit(db, { code: "LCITY", name: "市" });
  units.edu = await createUnit(db, { code: "LEDU", name: "教育局", parentId: city.id });
  units.school = await createUnit(db, { code: "LSCH", name: "第一中学", parentId: units.edu.id });
  units.finance = await createUnit(db, { code: "LFIN", name: "财政局", parentId: city.id });
  const ids: Record<string, number> = {};
  ids.head = await person("head", "edu", "section");
  ids.teacher = await person("teacher", "school");
  ids.clerk = await person("clerk", "edu");
  ids.liaison = await person("liaison", "finance");
  ids.accountant = await person("accountant", "finance");
  await makeHead(db, units.edu.id, people.head!.cadre.id);
  await addLiaison(db, units.finance.id, people.liaison!.cadre.id);
  for (const key of Object.keys(people)) people[key]!.user = (await loadCurrentUser(db, ids[key]!, "test"))!;
  venueId = (await createClassVenue(db, { capacity: 1, ranks: ["deputy_section", "section"] })).id;
});

async function publishedSession() {
  const session = await createClassSession(db, { audience: { minRank: "deputy_section" }, venues: [{ id: venueId }] });
  await transitionSession(db, { userId: null, label: "test" }, session.code, "publish");
  return session;
}

const leaveOf = async (sessionId: number, cadreId: number) =>
  (
    await db
      .select()
      .from(classLeaveRequests)
      .where(and(eq(classLeaveRequests.sessionId, sessionId), eq(classLeaveRequests.cadreId, cadreId)))
  )[0];

describe("leave", () => {
  it("a cadre asks, the head of the unit above approves, the cadre is told, and the seat goes to the first in line", async () => {
    const session = await publishedSession();
    // The one seat went to the highest rank at publication (the head); the teacher waits for it.
    await registerForSession(db, people.head!.user, session.code, "online");
    await registerForSession(db, people.teacher!.user, session.code, venueId);
    await registerForSession(db, people.clerk!.user, session.code, venueId);
    const [clerkBefore] = await db
      .select()
      .from(classRegistrations)
      .where(and(eq(classRegistrations.sessionId, session.id), eq(classRegistrations.cadreId, people.clerk!.cadre.id)));
    expect(clerkBefore!.waitlistVenueId).toBe(venueId);

    const asked = await askLeave(db, people.teacher!.user, session.code, "当晚参加市里的校园安全检查");
    expect(asked).toMatchObject({ status: "pending", unchanged: false });
    // Asking twice keeps the first request.
    expect(await askLeave(db, people.teacher!.user, session.code, "再次提交")).toMatchObject({ leaveId: asked.leaveId, unchanged: true });

    const pending = await callRoute(leaveRoute.loader, makeRequest("/classes/leave", { cookie: people.head!.cookie }));
    expect(pending.data.requests.map((r: { id: number }) => r.id)).toEqual([asked.leaveId]);

    const decided = await callRoute(
      leaveRoute.action,
      makeRequest("/classes/leave", {
        cookie: people.head!.cookie,
        form: { leaveId: String(asked.leaveId), decision: "approve", comment: "同意，请补学" },
      }),
    );
    expect(decided.status).toBe(200);
    expect(await leaveOf(session.id, people.teacher!.cadre.id)).toMatchObject({ status: "approved", decisionComment: "同意，请补学" });
    const [mail] = await db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.idempotencyKey, `class-leave/${asked.leaveId}`));
    expect(mail).toMatchObject({ template: "class-leave-decision", toAddress: "lteacher@test.luoshi.local" });
    expect(mail!.subject).toContain("请假已批准");
    // The excused teacher's seat went to the clerk, first in line.
    const [clerk] = await db
      .select()
      .from(classRegistrations)
      .where(and(eq(classRegistrations.sessionId, session.id), eq(classRegistrations.cadreId, people.clerk!.cadre.id)));
    expect(clerk).toMatchObject({ venueId, waitlistVenueId: null });
    // Deciding again (a double click) changes nothing and sends nothing more.
    await decideLeave(db, people.head!.user, asked.leaveId, "approve", undefined);
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.template, "class-leave-decision"))).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "class.leave.approved"))).toHaveLength(1);
  });

  it("a refused request can be asked again; a pending one can be withdrawn", async () => {
    const session = await publishedSession();
    const first = await askLeave(db, people.clerk!.user, session.code, "家中有事");
    await decideLeave(db, people.head!.user, first.leaveId, "refuse", "请克服困难参加");
    const again = await askLeave(db, people.clerk!.user, session.code, "仍需请假");
    expect(again.leaveId).not.toBe(first.leaveId);
    await withdrawLeave(db, people.clerk!.user, session.code);
    expect(await db.select().from(classLeaveRequests).where(eq(classLeaveRequests.id, again.leaveId))).toMatchObject([
      { status: "withdrawn" },
    ]);
  });

  it("leave is asked before the start, by a registered cadre", async () => {
    const session = await publishedSession();
    await expect(
      askLeave(db, people.teacher!.user, session.code, "出差", { now: new Date(session.startsAt.getTime() + 1) }),
    ).rejects.toMatchObject({
      messageKey: "classes.errors.alreadyStarted",
    });
    const optional = await createClassSession(db, { status: "published", audience: { minRank: "staff" }, audienceMandatory: false });
    await expect(askLeave(db, people.teacher!.user, optional.code, "出差")).rejects.toMatchObject({
      messageKey: "classes.errors.leaveNeedsRegistration",
    });
  });
});

describe("leave: scope", () => {
  it("a unit head cannot see or decide leave outside their unit: 404, and nothing changes", async () => {
    const session = await publishedSession();
    const { leaveId } = await askLeave(db, people.accountant!.user, session.code, "年终结算");
    const list = await callRoute(leaveRoute.loader, makeRequest("/classes/leave", { cookie: people.head!.cookie }));
    expect(list.data.requests.map((r: { id: number }) => r.id)).not.toContain(leaveId);
    const attempt = await callRoute(
      leaveRoute.action,
      makeRequest("/classes/leave", { cookie: people.head!.cookie, form: { leaveId: String(leaveId), decision: "approve" } }),
    );
    expect(attempt.status).toBe(404);
    expect(await leaveOf(session.id, people.accountant!.cadre.id)).toMatchObject({ status: "pending" });
    // The finance liaison may.
    await decideLeave(db, people.liaison!.user, leaveId, "approve", undefined);
    expect(await leaveOf(session.id, people.accountant!.cadre.id)).toMatchObject({ status: "approved" });
  });

  it("nobody decides their own leave, and a plain cadre may not decide at all", async () => {
    const session = await publishedSession();
    const { leaveId } = await askLeave(db, people.head!.user, session.code, "外出学习");
    await expect(decideLeave(db, people.head!.user, leaveId, "approve", undefined)).rejects.toMatchObject({ label: "forbidden" });
    const denied = await callRoute(
      leaveRoute.action,
      makeRequest("/classes/leave", { cookie: people.teacher!.cookie, form: { leaveId: String(leaveId), decision: "approve" } }),
    );
    expect(denied.status).toBe(403);
    const page = await callRoute(leaveRoute.loader, makeRequest("/classes/leave", { cookie: people.teacher!.cookie }));
    expect(page.status).toBe(403);
  });

  it("the unit page shows the head's own people with their state, and only them", async () => {
    const session = await publishedSession();
    await askLeave(db, people.teacher!.user, session.code, "出差");
    const page = await callRoute(unitRoute.loader, makeRequest(`/classes/unit?session=${session.code}`, { cookie: people.head!.cookie }));
    const byStaffNo = Object.fromEntries(page.data.rows.map((r: { staffNo: string; state: string }) => [r.staffNo, r.state]));
    expect(byStaffNo).toEqual({ LHEAD: "registered", LTEACHER: "leave_pending", LCLERK: "registered" });
    expect(page.data.counts).toMatchObject({ registered: 3, leavePending: 1, notRegistered: 0 });
    expect((await callRoute(unitRoute.loader, makeRequest("/classes/unit", { cookie: people.teacher!.cookie }))).status).toBe(403);
  });

  it("a cadre's pages: the session, and their list of classes; another's leave cannot be withdrawn from there", async () => {
    const session = await publishedSession();
    await askLeave(db, people.teacher!.user, session.code, "出差");
    const view = await callRoute(sessionRoute.loader, makeRequest(`/classes/${session.code}`, { cookie: people.clerk!.cookie }), {
      code: session.code,
    });
    expect(view.status).toBe(200);
    expect(view.data.leave).toBeNull();
    const withdraw = await callRoute(
      sessionRoute.action,
      makeRequest(`/classes/${session.code}`, { cookie: people.clerk!.cookie, form: { intent: "withdrawLeave" } }),
      {
        code: session.code,
      },
    );
    expect(withdraw.status).toBe(200);
    expect(await leaveOf(session.id, people.teacher!.cadre.id)).toMatchObject({ status: "pending" });
    const mine = await callRoute(myClassesRoute.loader, makeRequest("/classes", { cookie: people.teacher!.cookie }));
    expect(mine.data.upcoming.find((s: { code: string }) => s.code === session.code)).toMatchObject({
      leaveStatus: "pending",
      mandatory: true,
    });
  });
});
