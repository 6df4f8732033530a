import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openAccountabilityRecord } from "~/modules/accountability/records.server";
import { sendAccountabilityReminders } from "~/modules/accountability/reminders.server";
import { openRecordsForHome } from "~/modules/accountability/views.server";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import { listFlags } from "~/modules/rankings/flags.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import * as listPage from "~/routes/accountability._index";
import * as recordPage from "~/routes/accountability.$recordId";
import * as attachmentRoute from "~/routes/accountability.$recordId_.attachments.$attachmentId";
import * as newPage from "~/routes/accountability.new";
import * as cadrePage from "~/routes/cadres.$cadreId";
import { accountabilityRecords, auditLog, emailOutbox, rankingFlags, rankings } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

/**
 * Accountability records end to end against real PostgreSQL: opened from a 约谈 flag or by the
 * department, each step by a named person (audited with them), read by those allowed only, the
 * rectification reported with a file, followed up and closed, and the reminders before and at the
 * deadline sent once each.
 */
const id: Record<string, number> = {};
const who: Record<string, CurrentUser> = {};
const cookie: Record<string, string> = {};
const TODAY = "2026-11-21";

beforeAll(async () => {
  id.U1 = (await createUnit(db, { code: "U1", name: "甲局", kind: "department" })).id;
  id.U2 = (await createUnit(db, { code: "U2", name: "乙局", kind: "department" })).id;
  id.U3 = (await createUnit(db, { code: "U3", name: "丙局", kind: "department" })).id;
  const cadre = async (key: string, unit: string) =>
    (id[key] = (
      await createCadre(db, { staffNo: `AC${key}`, name: `干部${key}`, unitId: id[unit]!, email: `${key.toLowerCase()}@a.test` })
    ).id);
  await cadre("H1", "U1");
  await cadre("L1", "U1");
  await cadre("C1", "U1");
  await cadre("H2", "U2");
  await makeHead(db, id.U1!, id.H1!);
  await makeHead(db, id.U2!, id.H2!);
  await addLiaison(db, id.U1!, id.L1!);
  const account = async (key: string, cadreId: number | null, roles: "org_admin"[] = []) => {
    const user = await createUser(db, {
      cadreId,
      roles,
      password: "a-long-password-1",
      email: cadreId ? null : `${key}@a.test`,
      displayName: key === "admin" ? "组织部王科长" : "",
    });
    who[key] = (await loadCurrentUser(db, user.id, "test"))!;
    cookie[key] = await cookieFor(db, user.id);
  };
  await account("admin", null, ["org_admin"]);
  for (const key of ["H1", "L1", "C1", "H2"]) await account(key.toLowerCase(), id[key]!);
  // A published quarter and an open 约谈 flag on 甲局, as publishing two quarters would raise it.
  const { rankingId } = await computeRanking(db, { userId: who.admin!.id }, "2026Q3", { today: TODAY });
  await publishRanking(db, { userId: who.admin!.id }, rankingId, { today: TODAY, notify: false });
  const [q3] = await db.select({ id: rankings.id }).from(rankings);
  const [flag] = await db
    .insert(rankingFlags)
    .values({
      unitId: id.U1!,
      quarter: "2026Q3",
      previousQuarter: "2026Q2",
      rankingId: q3!.id,
      previousRankingId: q3!.id,
      peerGroup: "department",
      rank: 3,
      groupSize: 3,
      previousRank: 3,
      previousGroupSize: 3,
    })
    .returning();
  id.flag = flag!.id;
});

const form = (values: Record<string, string>) => ({
  kind: "admonishment_talk",
  heldOn: "2026-11-10",
  interviewers: "市委组织部副部长 张明",
  findings: "连续两个季度排名靠后，夜课堂参学率偏低。",
  rectification: "制定整改方案，每月报送进展。",
  rectificationDue: "2026-12-10",
  ...values,
});
const post = (fn: unknown, path: string, as: string, values: Record<string, string> | FormData, params: Record<string, string> = {}) =>
  callRoute<any>(fn as never, makeRequest(path, { cookie: cookie[as], form: values }), params);
const get = (fn: unknown, path: string, as: string, params: Record<string, string> = {}) =>
  callRoute<any>(fn as never, makeRequest(path, { cookie: cookie[as] }), params);

describe("opening a record", () => {
  it("from a flag: the department's, the flag resolved by whoever opened it, the unit told", async () => {
    const values = form({ subject: "unit", flagId: String(id.flag), unitId: String(id.U1), requestKey: "k-flag-1" });
    expect((await post(newPage.action, "/accountability/new", "h1", values)).status).toBe(403);
    const missing = await post(newPage.action, "/accountability/new", "admin", { ...values, findings: "", rectificationDue: "" });
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toMatchObject({
      findings: ["validation.required"],
      rectificationDue: ["accountability.validation.dueForRectification"],
    });
    expect(await db.select().from(accountabilityRecords)).toHaveLength(0);

    const res = await post(newPage.action, "/accountability/new", "admin", values);
    expect(res.status).toBe(302);
    const recordId = Number(/\/accountability\/(\d+)/.exec(res.location!)![1]);
    id.unitRecord = recordId;
    const [record] = await db.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, recordId));
    // The principal held to account is the unit's head; a talk has no effect period.
    expect(record).toMatchObject({
      subject: "unit",
      unitId: id.U1,
      cadreId: id.H1,
      source: "flag",
      flagId: id.flag,
      effectMonths: 0,
      effectUntil: null,
      createdBy: who.admin!.id,
    });
    const [flag] = (await listFlags(db)).filter((f) => f.id === id.flag);
    expect(flag).toMatchObject({ status: "resolved", recordId, resolvedByName: "组织部王科长" });
    const entries = await db
      .select({ action: auditLog.action, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(like(auditLog.action, "%"));
    expect(entries.filter((e) => ["accountability.opened", "ranking.flag_resolved"].includes(e.action))).toEqual([
      { action: "accountability.opened", actor: who.admin!.id },
      { action: "ranking.flag_resolved", actor: who.admin!.id },
    ]);
    const notices = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "accountability-notice"));
    expect(notices.map((m) => m.toAddress).sort()).toEqual(["h1@a.test", "l1@a.test"]);

    // The same form again, or another form for the same flag: the one record.
    expect((await post(newPage.action, "/accountability/new", "admin", values)).location).toBe(res.location);
    expect((await post(newPage.action, "/accountability/new", "admin", { ...values, requestKey: "k-flag-2" })).location).toBe(res.location);
    expect(await db.select().from(accountabilityRecords)).toHaveLength(1);
  });

  it("for a cadre on the department's initiative, with the kind's effect period fixed then", async () => {
    const values = form({
      subject: "cadre",
      cadreStaffNo: "acc1",
      kind: "admonition",
      heldOn: "2026-08-31",
      rectificationDue: "2026-09-30",
      requestKey: "k-c1",
    });
    expect((await post(newPage.action, "/accountability/new", "admin", { ...values, cadreStaffNo: "nobody" })).data.errors).toEqual({
      cadreStaffNo: [{ key: "accountability.errors.unknownStaffNo" }],
    });
    const future = await post(newPage.action, "/accountability/new", "admin", {
      ...values,
      heldOn: "2999-01-01",
      rectificationDue: "2999-02-01",
    });
    expect(future.data.errors).toEqual({ heldOn: [{ key: "accountability.validation.heldInFuture" }] });
    const res = await post(newPage.action, "/accountability/new", "admin", values);
    id.cadreRecord = Number(/\/accountability\/(\d+)/.exec(res.location!)![1]);
    const [record] = await db.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, id.cadreRecord));
    // 诫勉 six months from 31 August: to the end of February (the day before 28 February + … clamped).
    expect(record).toMatchObject({ subject: "cadre", unitId: id.U1, cadreId: id.C1, effectMonths: 6, effectUntil: "2027-02-27" });
  });
});

describe("who reads what", () => {
  const listed = async (as: string) =>
    ((await get(listPage.loader, "/accountability?status=all", as)).data.rows as { id: number }[]).map((r) => r.id).sort();

  it("lists every record for the department, a unit's and its cadres' for its head, the unit's own for a liaison; not a list for a cadre", async () => {
    const all = (await db.select({ id: accountabilityRecords.id }).from(accountabilityRecords)).map((r) => r.id).sort();
    expect(await listed("admin")).toEqual(all);
    expect(await listed("h1")).toEqual([id.unitRecord, id.cadreRecord].sort());
    expect(await listed("l1")).toEqual([id.unitRecord]);
    expect((await get(listPage.loader, "/accountability?status=all", "c1")).status).toBe(403);
    expect(await listed("h2")).toEqual(all.filter((r) => r !== id.unitRecord && r !== id.cadreRecord));
  });

  it("gives the home pages the open records each may read, with what they owe", async () => {
    const open = async (key: string) =>
      ((await get(listPage.loader, "/accountability?status=open", key)).data.rows as { id: number }[]).map((r) => r.id).sort();
    for (const key of ["admin", "h1", "l1", "h2"]) {
      const home = await openRecordsForHome(db, who[key]!, TODAY);
      expect(home.records.map((r) => r.id).sort(), key).toEqual(await open(key));
      expect(home.overdue).toBe(home.records.filter((r) => r.overdue).length);
      if (key !== "admin") expect(home.pendingRequests).toBe(0);
    }
    expect((await openRecordsForHome(db, who.h2!, TODAY)).records.map((r) => r.id)).not.toContain(id.unitRecord);
    // A cadre's home shows their own open record, which they reach from there and from their record page.
    expect((await openRecordsForHome(db, who.c1!, TODAY)).records.map((r) => r.id)).toEqual([id.cadreRecord]);
  });

  it("answers 404 for a record one may not read, whatever the id", async () => {
    expect((await get(recordPage.loader, `/accountability/${id.cadreRecord}`, "l1", { recordId: String(id.cadreRecord) })).status).toBe(
      404,
    );
    expect((await get(recordPage.loader, `/accountability/${id.unitRecord}`, "h2", { recordId: String(id.unitRecord) })).status).toBe(404);
    expect((await get(recordPage.loader, `/accountability/${id.cadreRecord}`, "c1", { recordId: String(id.cadreRecord) })).status).toBe(
      200,
    );
  });

  it("shows a cadre's records on their page to those allowed", async () => {
    const own = await get(cadrePage.loader, `/cadres/${id.C1}`, "c1", { cadreId: String(id.C1) });
    expect(own.data.accountability.map((r: { id: number }) => r.id)).toEqual([id.cadreRecord]);
    const head = await get(cadrePage.loader, `/cadres/${id.C1}`, "h1", { cadreId: String(id.C1) });
    expect(head.data.accountability.map((r: { id: number }) => r.id)).toEqual([id.cadreRecord]);
    const liaison = await get(cadrePage.loader, `/cadres/${id.C1}`, "l1", { cadreId: String(id.C1) });
    expect(liaison.data.accountability).toEqual([]);
  });
});

describe("carrying a record through", () => {
  const act = (as: string, recordId: number, values: Record<string, string> | FormData) =>
    post(recordPage.action, `/accountability/${recordId}`, as, values, { recordId: String(recordId) });

  it("takes the rectification report from the unit (head or liaison) or the cadre, with a file", async () => {
    expect((await act("h2", id.unitRecord!, { intent: "report", reportText: "x" })).status).toBe(404);
    expect((await act("c1", id.unitRecord!, { intent: "report", reportText: "x" })).status).toBe(404);
    expect((await act("l1", id.unitRecord!, { intent: "report", reportText: "" })).data.errors).toEqual({
      reportText: ["validation.required"],
    });
    expect((await act("l1", id.unitRecord!, { intent: "report", reportText: "已制定整改方案，参学率提升到 95%。" })).status).toBe(302);
    const pdf = new FormData();
    pdf.set("intent", "attach");
    pdf.set("file", new File([Buffer.from("%PDF-1.4\n%整改报告\n")], "整改报告.pdf"));
    expect((await act("l1", id.unitRecord!, pdf)).status).toBe(302);
    const script = new FormData();
    script.set("intent", "attach");
    script.set("file", new File([Buffer.from("<script>alert(1)</script>")], "photo.jpg"));
    expect((await act("l1", id.unitRecord!, script)).data.errors).toEqual({ file: [{ key: "frontline.attachments.badType" }] });
    const detail = await get(recordPage.loader, `/accountability/${id.unitRecord}`, "h1", { recordId: String(id.unitRecord) });
    expect(detail.data.record).toMatchObject({
      stage: "reportSubmitted",
      reportSubmittedByName: "干部L1",
      attachments: [{ fileName: "整改报告.pdf" }],
    });
    const file = detail.data.record.attachments[0].id;
    const params = { recordId: String(id.unitRecord), attachmentId: String(file) };
    const download = await attachmentRoute.loader({
      request: makeRequest(`/accountability/${id.unitRecord}/attachments/${file}`, { cookie: cookie.h1 }),
      params,
      context: {},
    });
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect((await get(attachmentRoute.loader, "/", "h2", params)).status).toBe(404);
  });

  it("is followed up and closed by the department only, after the report, by name", async () => {
    expect((await act("h1", id.unitRecord!, { intent: "close", closingNote: "好" })).status).toBe(403);
    // The cadre record's rectification has no report yet: it cannot close.
    expect((await act("admin", id.cadreRecord!, { intent: "close", closingNote: "办结" })).data.errors).toEqual({
      closingNote: [{ key: "accountability.errors.reportMissing" }],
    });
    expect((await act("admin", id.unitRecord!, { intent: "followUp", followUp: "回访核实，整改到位。" })).status).toBe(302);
    // Once followed up, the report no longer changes.
    expect((await act("l1", id.unitRecord!, { intent: "report", reportText: "改一改" })).data.errors).toEqual({
      reportText: [{ key: "accountability.errors.followedUp" }],
    });
    expect((await act("admin", id.unitRecord!, { intent: "close", closingNote: "整改到位，予以办结。" })).status).toBe(302);
    expect((await act("admin", id.unitRecord!, { intent: "close", closingNote: "again" })).status).toBe(302);
    const [record] = await db.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, id.unitRecord!));
    expect(record).toMatchObject({
      status: "closed",
      closedBy: who.admin!.id,
      closingNote: "整改到位，予以办结。",
      followedUpBy: who.admin!.id,
    });
    const steps = await db
      .select({ action: auditLog.action, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "accountability_record"), eq(auditLog.entityId, String(id.unitRecord))));
    expect(steps.map((s) => [s.action, s.actor])).toEqual([
      ["accountability.opened", who.admin!.id],
      ["accountability.report_submitted", who.l1!.id],
      ["accountability.attachment_added", who.l1!.id],
      ["accountability.followed_up", who.admin!.id],
      ["accountability.closed", who.admin!.id],
    ]);
  });
});

describe("reminders", () => {
  it("go three days before and at the deadline, once each, to whom must report (and the opener at the deadline)", async () => {
    const { recordId } = await openAccountabilityRecord(
      db,
      { userId: who.admin!.id },
      {
        subject: "cadre",
        cadreId: id.C1!,
        kind: "ordered_review",
        source: { type: "initiative" },
        heldOn: "2026-11-20",
        interviewers: "干部监督科",
        findings: "请假手续不全",
        rectification: "书面检查",
        rectificationDue: "2026-12-01",
      },
      { today: TODAY },
    );
    const reminders = () =>
      db
        .select({ to: emailOutbox.toAddress, key: emailOutbox.idempotencyKey })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.template, "accountability-notice"), like(emailOutbox.idempotencyKey, `accountability/${recordId}/%`)));
    const opened = (await reminders()).length;
    const at = (day: string) => sendAccountabilityReminders(db, { now: new Date(`${day}T09:00:00+08:00`) });
    await at("2026-11-27");
    expect((await reminders()).length).toBe(opened);
    await at("2026-11-28");
    await at("2026-11-29");
    const before = (await reminders()).filter((m) => m.key.includes("/before/"));
    expect(before.map((m) => m.to)).toEqual(["c1@a.test"]);
    await at("2026-12-02");
    const due = (await reminders()).filter((m) => m.key.includes("/due/"));
    expect(due.map((m) => m.to).sort()).toEqual(["admin@a.test", "c1@a.test"]);
    await at("2026-12-03");
    expect((await reminders()).length).toBe(opened + 3);
  });
});
