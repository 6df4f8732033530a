import { and, eq } from "drizzle-orm";
import PgBoss from "pg-boss";
import { describe, expect, it } from "vitest";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { startJobs } from "~/modules/jobs/runner.server";
import { QUEUES, SCHEDULES } from "~/modules/jobs/schedules";
import { digestCaseCounts, ratingHomeCounts } from "~/modules/ratings/cases.server";
import { erasePhones, remindFollowUps } from "~/modules/ratings/follow-up.server";
import { submitRating } from "~/modules/ratings/submit.server";
import { publishTenWorst, tenWorstVersions } from "~/modules/ratings/ten-worst.server";
import { loader as listLoader } from "~/routes/ratings.cases._index";
import { action as caseAction, loader as caseLoader } from "~/routes/ratings.cases.$caseId";
import { auditLog, emailOutbox, ratingAccountabilityRequests, ratingCases } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

/** A unit with a head and a liaison (with accounts), another unit's head, and an org admin. */
async function world(code: string) {
  const unit = await createUnit(db, { code, name: `${code}局` });
  const other = await createUnit(db, { code: `${code}-X`, name: `${code}外局` });
  const headCadre = await createCadre(db, { unitId: unit.id, name: "赵局长" });
  const liaisonCadre = await createCadre(db, { unitId: unit.id, name: "钱联络" });
  const otherCadre = await createCadre(db, { unitId: other.id, name: "孙局长" });
  await makeHead(db, unit.id, headCadre.id);
  await addLiaison(db, unit.id, liaisonCadre.id);
  await makeHead(db, other.id, otherCadre.id);
  const head = await createUser(db, { cadreId: headCadre.id, password: "x-password-1" });
  const liaison = await createUser(db, { cadreId: liaisonCadre.id, password: "x-password-1" });
  const outsider = await createUser(db, { cadreId: otherCadre.id, password: "x-password-1" });
  const admin = await createUser(db, { roles: ["org_admin"], displayName: "组织部李", password: "x-password-1" });
  const cookies = {
    head: await cookieFor(db, head.id),
    liaison: await cookieFor(db, liaison.id),
    outsider: await cookieFor(db, outsider.id),
    admin: await cookieFor(db, admin.id),
  };
  return { unit, other, head, admin, cookies };
}

async function unhappyCase(code: string, phone: string | null, now = new Date()) {
  const outcome = await submitRating(db, {
    code,
    input: { satisfied: false, reasons: ["attitude"], comment: "态度生硬", phone },
    cookies: null,
    address: `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    now,
  });
  expect(outcome).toMatchObject({ result: "counted" });
  const [c] = await db
    .select()
    .from(ratingCases)
    .orderBy(ratingCases.id)
    .limit(1)
    .offset((await db.$count(ratingCases)) - 1);
  return c!;
}

const act = (cookie: string, caseId: number, form: Record<string, string>) =>
  callRoute(caseAction, makeRequest(`/ratings/cases/${caseId}`, { cookie, form }), { caseId: String(caseId) });
const view = (cookie: string, caseId: number) =>
  callRoute(caseLoader, makeRequest(`/ratings/cases/${caseId}`, { cookie }), { caseId: String(caseId) });

describe("a follow-up case", () => {
  it("goes from the unit's call and finding to the organization department's close, each step by the right person", async () => {
    const w = await world("CS1");
    const c = await unhappyCase("CS1", "13900001111");

    // The phone: whole to the unit's handlers and the department, masked in lists; the case is
    // invisible outside the scope.
    expect((await view(w.cookies.head, c.id)).data.case.phone).toBe("13900001111");
    expect((await view(w.cookies.liaison, c.id)).data.case.phone).toBe("13900001111");
    expect((await view(w.cookies.admin, c.id)).data.case.phone).toBe("13900001111");
    expect((await view(w.cookies.outsider, c.id)).status).toBe(404);
    const list = await callRoute(listLoader, makeRequest("/ratings/cases?state=open", { cookie: w.cookies.head }));
    expect(list.data.rows.find((r: { id: number }) => r.id === c.id).phone).toBe("139****1111");

    // The department cannot report for the unit; the unit cannot close.
    expect((await act(w.cookies.admin, c.id, { intent: "call", reached: "yes", note: "已联系" })).status).toBe(403);
    expect((await act(w.cookies.outsider, c.id, { intent: "call", reached: "yes", note: "已联系" })).status).toBe(404);
    // A report before any call, when a phone was left, is refused beside the form.
    const early = await act(w.cookies.head, c.id, { intent: "finding", finding: "not_confirmed", findingNote: "查无此事" });
    expect(early).toMatchObject({ status: 400, data: { errors: { form: [{ key: "ratings.cases.errors.callFirst" }] } } });
    // Bad input says what is missing.
    const bad = await act(w.cookies.head, c.id, { intent: "finding", finding: "confirmed", findingNote: "属实" });
    expect(bad).toMatchObject({ status: 400, data: { errors: { rectification: ["ratings.cases.errors.rectification"] } } });

    expect((await act(w.cookies.liaison, c.id, { intent: "call", reached: "no", note: "无人接听" })).status).toBe(200);
    expect((await act(w.cookies.head, c.id, { intent: "call", reached: "yes", note: "群众反映窗口人员态度生硬，已致歉" })).status).toBe(
      200,
    );
    const report = {
      intent: "finding",
      finding: "confirmed",
      findingNote: "调取录像核实属实",
      rectification: "对当事人批评教育，全员服务礼仪培训",
    };
    expect((await act(w.cookies.head, c.id, report)).status).toBe(200);
    // A double click: the second finds the case submitted and changes nothing.
    expect((await act(w.cookies.head, c.id, report)).status).toBe(400);

    // The department returns it once, then closes it.
    expect((await act(w.cookies.head, c.id, { intent: "review", decision: "close", note: "同意" })).status).toBe(403);
    expect((await act(w.cookies.admin, c.id, { intent: "review", decision: "return", note: "请补充整改完成情况" })).status).toBe(200);
    expect((await act(w.cookies.head, c.id, report)).status).toBe(200);
    expect((await act(w.cookies.admin, c.id, { intent: "review", decision: "close", note: "整改到位，同意结案" })).status).toBe(200);
    const closed = (await view(w.cookies.head, c.id)).data.case;
    expect(closed).toMatchObject({ state: "closed", outcome: "closed", finding: "confirmed", closedByName: "组织部李" });
    expect(closed.calls).toHaveLength(2);

    const actions = await db
      .select({ action: auditLog.action, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "rating_case"), eq(auditLog.entityId, String(c.id))));
    expect(actions.map((a) => a.action)).toEqual([
      "rating_case.called",
      "rating_case.called",
      "rating_case.submitted",
      "rating_case.returned",
      "rating_case.submitted",
      "rating_case.closed",
    ]);
    expect(actions.at(-1)!.actor).toBe(w.admin.id);
  });

  it("closed with accountability records the request at the single hook, once", async () => {
    const w = await world("CS2");
    const c = await unhappyCase("CS2", null);
    await act(w.cookies.head, c.id, { intent: "finding", finding: "confirmed", findingNote: "属实", rectification: "已整改" });
    expect(
      (await act(w.cookies.admin, c.id, { intent: "review", decision: "accountability", note: "多次被投诉，约谈单位负责人" })).status,
    ).toBe(200);
    const requests = await db.select().from(ratingAccountabilityRequests).where(eq(ratingAccountabilityRequests.caseId, c.id));
    expect(requests).toMatchObject([
      { source: "case", unitId: w.unit.id, cadreId: expect.any(Number), note: "多次被投诉，约谈单位负责人" },
    ]);
    expect((await view(w.cookies.admin, c.id)).data.case.accountability).toMatchObject({ note: "多次被投诉，约谈单位负责人" });
  });
});

describe("the head's counts", () => {
  it("for the home page and the weekly digest: new cases and overdue ones of the unit and the units below it", async () => {
    const w = await world("CS5");
    const sub = await createUnit(db, { code: "CS5-SUB", name: "CS5所属中心", parentId: w.unit.id });
    await unhappyCase("CS5-SUB", null, new Date("2026-11-23T02:00:00Z")); // Monday of last week (W48): due 26 Nov, overdue
    await unhappyCase("CS5", null, new Date("2026-11-27T02:00:00Z")); // Friday of last week: due 2 Dec, overdue
    await unhappyCase("CS5", null, new Date("2026-12-01T02:00:00Z")); // this week: not in the digest's week
    const now = new Date("2026-12-03T02:00:00Z");
    const head = await loadCurrentUser(db, w.head.id, "s");
    expect(await ratingHomeCounts(db, head!, now)).toEqual({
      newCases: { count: 2, href: "/ratings/cases?state=open" },
      overdue: { count: 2, href: "/ratings/cases?state=overdue" },
      toReview: null,
    });
    const week = { from: new Date("2026-11-22T16:00:00Z"), to: new Date("2026-11-29T16:00:00Z") };
    expect(await digestCaseCounts(db, [w.unit.id, w.other.id], week, "2026-12-03")).toEqual([
      { rootId: w.unit.id, newCases: 2, overdue: 2 },
    ]);
    // A cadre without a unit to handle has no such counts.
    const outsider = await loadCurrentUser(db, (await createUser(db, { password: "x-password-1" })).id, "s");
    expect(await ratingHomeCounts(db, outsider!, now)).toBeNull();
    void sub;
    // Out of the way of the schedule's tests, which look at every open case.
    await db.update(ratingCases).set({ state: "void", closedAt: new Date() }).where(eq(ratingCases.state, "open"));
  });
});

describe("the follow-up schedule", () => {
  it("reminds the handlers on the due day, escalates overdue cases to the department once, and a rerun sends nothing more", async () => {
    const w = await world("CS3");
    // Rated Friday 4 December 2026: due Wednesday 9 December.
    const c = await unhappyCase("CS3", null, new Date("2026-12-04T02:00:00Z"));
    expect(c.dueOn).toBe("2026-12-09");
    const due = await remindFollowUps(db, new Date("2026-12-09T01:00:00Z"));
    expect(due).toMatchObject({ due: 1, overdue: 0 });
    const late = await remindFollowUps(db, new Date("2026-12-10T01:00:00Z"));
    expect(late).toMatchObject({ due: 0, overdue: 1 });
    expect(await remindFollowUps(db, new Date("2026-12-10T02:00:00Z"))).toMatchObject({ due: 0, overdue: 0, emails: 0 });
    const mail = await db
      .select({ to: emailOutbox.toAddress, key: emailOutbox.idempotencyKey, subject: emailOutbox.subject })
      .from(emailOutbox)
      .where(eq(emailOutbox.template, "rating-case-reminder"));
    const keys = mail.map((m) => m.key.split("/").slice(0, 3).join("/"));
    expect(keys.filter((k) => k === "rating-case/due/2026-12-09")).toHaveLength(2); // head and liaison
    expect(keys.filter((k) => k === "rating-case/overdue/2026-12-10")).toHaveLength(2);
    expect(keys.filter((k) => k === "rating-case/escalation/2026-12-10").length).toBeGreaterThanOrEqual(1);
    expect(mail.find((m) => m.key.startsWith("rating-case/overdue"))!.subject).toContain("已逾期");
    void w;
  });

  it("erases phones 90 days after closing, through the scheduled pg-boss job", async () => {
    const w = await world("CS4");
    const old = await unhappyCase("CS4", "13700001111");
    const recent = await unhappyCase("CS4", "13700002222");
    await db
      .update(ratingCases)
      .set({ state: "closed", outcome: "closed", closedAt: new Date(Date.now() - 91 * 86_400_000) })
      .where(eq(ratingCases.id, old.id));
    await db
      .update(ratingCases)
      .set({ state: "closed", outcome: "closed", closedAt: new Date(Date.now() - 89 * 86_400_000) })
      .where(eq(ratingCases.id, recent.id));
    expect(SCHEDULES.find((s) => s.queue === QUEUES.ratingPhoneErasure)).toMatchObject({ cron: "40 3 * * *" });

    // The job is queued as the schedule would queue it, then a worker (started as the app starts one) runs it.
    const boss = new PgBoss({ connectionString: conn.url, max: 1, schedule: false, supervise: false });
    await boss.start();
    await boss.createQueue(QUEUES.ratingPhoneErasure);
    await boss.send(QUEUES.ratingPhoneErasure, {});
    await boss.stop({ graceful: false });
    const jobs = await startJobs({ databaseUrl: conn.url, runWorker: true });
    try {
      const deadline = Date.now() + 20_000;
      let erased = null;
      while (Date.now() < deadline) {
        [erased] = await db.select().from(ratingCases).where(eq(ratingCases.id, old.id));
        if (erased?.phone === null) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(erased).toMatchObject({ phone: null, phoneErasedAt: expect.any(Date) });
    } finally {
      await jobs.stop();
    }
    const [kept] = await db.select().from(ratingCases).where(eq(ratingCases.id, recent.id));
    expect(kept!.phone).toBe("13700002222");
    expect(await erasePhones(db)).toEqual({ erased: 0 });
    // The case page says the phone was erased, not that none was left.
    expect((await view(w.cookies.admin, old.id)).data.case).toMatchObject({ phone: null, phoneErasedAt: expect.any(Date) });
  });
});

describe("the 十差 list", () => {
  it("publishes the units with most confirmed cases, ties included, frozen; the second year running raises accountability for the head", async () => {
    const a = await world("TW-A");
    const b = await world("TW-B");
    const confirm = async (w: typeof a, code: string, when: Date) => {
      const c = await unhappyCase(code, null, when);
      await act(w.cookies.head, c.id, { intent: "finding", finding: "confirmed", findingNote: "属实", rectification: "已整改" });
      await act(w.cookies.admin, c.id, { intent: "review", decision: "close", note: "结案" });
    };
    await confirm(a, "TW-A", new Date("2023-05-06T02:00:00Z"));
    await confirm(a, "TW-A", new Date("2024-05-06T02:00:00Z"));
    await confirm(b, "TW-B", new Date("2024-05-07T02:00:00Z"));
    const actor = { userId: a.admin.id };
    await publishTenWorst(db, actor, { year: 2023, size: 1, reason: "2023年度群众评议结果" });
    const list = await publishTenWorst(db, actor, { year: 2024, size: 1, reason: "2024年度群众评议结果" });
    const [published] = await tenWorstVersions(db, 2024);
    // One each in 2024: tied at rank 1, both on a list of one.
    expect(published!.entries.map((e) => [e.code, e.rank, e.tied, e.repeat])).toEqual([
      ["TW-A", 1, true, true],
      ["TW-B", 1, true, false],
    ]);
    expect(published!.entriesHash).toMatch(/^[0-9a-f]{64}$/);
    const raised = await db.select().from(ratingAccountabilityRequests).where(eq(ratingAccountabilityRequests.tenWorstListId, list.id));
    expect(raised).toMatchObject([{ source: "ten_worst", unitId: a.unit.id }]);
    // Frozen: a later confirmed case changes nothing until a new version is published with a reason.
    await confirm(b, "TW-B", new Date("2024-06-07T02:00:00Z"));
    const [still] = await tenWorstVersions(db, 2024);
    expect(still!.entries.map((e) => e.code)).toEqual(["TW-A", "TW-B"]);
    await publishTenWorst(db, actor, { year: 2024, size: 1, reason: "更正：补入6月核实结果" });
    const versions = await tenWorstVersions(db, 2024);
    expect(versions.map((v) => [v.version, v.status, v.entries.map((e) => e.code)])).toEqual([
      [2, "published", ["TW-B"]],
      [1, "superseded", ["TW-A", "TW-B"]],
    ]);
  });
});
