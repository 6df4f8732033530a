import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { saveCommitment } from "~/modules/rankings/commitments.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import { sendInvitations } from "~/modules/rankings/meeting-invitations.server";
import {
  addAgendaItem,
  createMeeting,
  meetingView,
  removeAgendaItem,
  saveMinutes,
  updateMeeting,
} from "~/modules/rankings/meetings.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { rankingFor, tableView } from "~/modules/rankings/views.server";
import * as calendar from "~/routes/rankings.meetings.$meetingId_.calendar";
import { attendanceRecords, auditLog, classRegistrations, emailOutbox, rankingMeetingItems } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };
const admin = { id: 0, roles: ["org_admin" as const], scope: { all: true, unitIds: [], cadreId: null } };

/**
 * Six departments and two towns. In 2026Q1 departments rank D1…D6 and towns T1, T2 by attendance; in
 * 2026Q2 D5 (which committed at the Q1 meeting) climbs to third. K = 3: three departments present
 * experience and three commit; one town each.
 */
const unit: Record<string, number> = {};
const head: Record<string, number> = {};
const member: Record<string, number> = {};

async function quarter(startsAt: string, present: string[]) {
  const s = await createClassSession(db, { startsAt: new Date(startsAt), status: "closed" });
  for (const [code, cadreId] of Object.entries(member)) {
    await db.insert(classRegistrations).values({ sessionId: s.id, cadreId, source: "admin" });
    await db
      .insert(attendanceRecords)
      .values({ sessionId: s.id, cadreId, status: present.includes(code) ? "present" : "absent", source: "roster" });
  }
}

beforeAll(async () => {
  for (const code of ["D1", "D2", "D3", "D4", "D5", "D6", "T1", "T2"]) {
    const u = await createUnit(db, { code, name: `${code}单位`, kind: code.startsWith("D") ? "department" : "town" });
    unit[code] = u.id;
    const h = await createCadre(db, { staffNo: `${code}H`, unitId: u.id, rank: "section", email: code === "D2" ? null : undefined });
    head[code] = h.id;
    await makeHead(db, u.id, h.id);
    member[code] = (await createCadre(db, { staffNo: `${code}M`, unitId: u.id, rank: "deputy_section" })).id;
  }
  await createUser(db, { cadreId: head.D1, password: "head-password-1", locale: "en" });
  // Members' attendance decides: Q1 D1–D3 and T1 present; Q2 D5, D1, D2 and T1 present.
  await quarter("2026-02-11T11:30:00Z", ["D1", "D2", "D3", "T1"]);
  await quarter("2026-05-13T11:30:00Z", ["D5", "D1", "D2", "T1"]);
  for (const q of ["2026Q1", "2026Q2"]) {
    const { rankingId } = await computeRanking(db, actor, q);
    await publishRanking(db, actor, rankingId, { notify: false });
  }
});

let meetingId: number;
describe("the ranking meeting", () => {
  it("generates the agenda from the published ranking, the unit heads speaking", async () => {
    await expect(
      createMeeting(db, actor, "2026Q3", {
        startsAt: new Date("2026-10-16T01:30:00Z"),
        endsAt: new Date("2026-10-16T04:00:00Z"),
        place: "x",
      }),
    ).rejects.toMatchObject({
      messageKey: "rankings.errors.notPublished",
    });
    const created = await createMeeting(db, actor, "2026Q1", {
      startsAt: new Date("2026-04-16T01:30:00Z"),
      endsAt: new Date("2026-04-16T04:00:00Z"),
      place: "市委党校报告厅",
    });
    meetingId = created.meetingId;
    expect(created.created).toBe(true);
    expect(
      await createMeeting(db, actor, "2026Q1", {
        startsAt: new Date("2026-04-16T01:30:00Z"),
        endsAt: new Date("2026-04-16T04:00:00Z"),
        place: "市委党校报告厅",
      }),
    ).toEqual({ meetingId, created: false });
    const view = await meetingView(db, admin, meetingId);
    const agenda = (role: string) => view.items.filter((i) => i.role === role).map((i) => [i.unitCode, i.rank, i.speakerName]);
    // D1–D3 are tied on score and attendance, and so are D4–D6: each three share a rank, listed by code.
    expect(agenda("experience")).toEqual([
      ["D1", 1, expect.any(String)],
      ["D2", 1, expect.any(String)],
      ["D3", 1, expect.any(String)],
      ["T1", 1, expect.any(String)],
    ]);
    expect(view.items.filter((i) => i.peerGroup === "department").map((i) => [i.unitCode, i.rank, i.tieSize])).toEqual([
      ["D1", 1, 3],
      ["D2", 1, 3],
      ["D3", 1, 3],
      ["D4", 4, 3],
      ["D5", 4, 3],
      ["D6", 4, 3],
    ]);
    expect(agenda("commitment").map((a) => a[0])).toEqual(["D4", "D5", "D6", "T2"]);
    expect(view.items.find((i) => i.unitCode === "D1")!.speakerName).toBeTruthy();
  });

  it("is adjusted with a reason, every change audited", async () => {
    const d6 = (
      await db
        .select()
        .from(rankingMeetingItems)
        .where(and(eq(rankingMeetingItems.meetingId, meetingId), eq(rankingMeetingItems.unitId, unit.D6!)))
    )[0]!;
    await expect(removeAgendaItem(db, actor, meetingId, d6.id, " ")).rejects.toMatchObject({ options: { field: "reason" } });
    await removeAgendaItem(db, actor, meetingId, d6.id, "主要负责人外出学习，改为书面表态");
    await expect(addAgendaItem(db, actor, meetingId, { unitId: unit.D6!, role: "experience", reason: "" })).rejects.toMatchObject({
      options: { field: "reason" },
    });
    await addAgendaItem(db, actor, meetingId, { unitId: unit.D6!, role: "experience", reason: "信访积案化解做法值得推广" });
    await expect(addAgendaItem(db, actor, meetingId, { unitId: unit.D1!, role: "commitment", reason: "x" })).rejects.toMatchObject({
      messageKey: "rankings.errors.alreadyOnAgenda",
    });
    const view = await meetingView(db, admin, meetingId);
    const slots = view.items.filter((i) => i.unitCode === "D6");
    expect(slots.map((i) => [i.role, i.source, i.removedReason, i.reason])).toEqual(
      expect.arrayContaining([
        ["commitment", "generated", "主要负责人外出学习，改为书面表态", null],
        ["experience", "added", null, "信访积案化解做法值得推广"],
      ]),
    );
    const actions = (
      await db.select({ action: auditLog.action, reason: auditLog.reason }).from(auditLog).where(eq(auditLog.entityType, "ranking_meeting"))
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["ranking.meeting_created", "ranking.agenda_removed", "ranking.agenda_added"]));
  });

  it("invites the speakers by email with the .ics, once per revision", async () => {
    const first = await sendInvitations(db, actor, meetingId, "http://luoshi.test");
    // D2's head has no address.
    expect(first.withoutEmail).toBe(1);
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "meeting-invitation"));
    expect(mail).toHaveLength(first.queued);
    const toD1 = mail.find((m) => (m.props as { unitName: string }).unitName === "D1单位")!;
    expect(toD1.locale).toBe("en");
    expect(toD1.subject).toContain("2026 Q1");
    expect(toD1.attachments).toHaveLength(1);
    const ics = Buffer.from(toD1.attachments[0]!.content, "base64").toString("utf8");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("DTSTART;TZID=Asia/Shanghai:20260416T093000");
    expect(ics).toContain("LOCATION:市委党校报告厅");
    expect((await sendInvitations(db, actor, meetingId)).queued).toBe(0);
    expect(
      await updateMeeting(db, actor, meetingId, {
        startsAt: new Date("2026-04-17T01:30:00Z"),
        endsAt: new Date("2026-04-17T04:00:00Z"),
        place: "市委党校报告厅",
      }),
    ).toEqual({ changed: true });
    const again = await sendInvitations(db, actor, meetingId);
    expect(again.queued).toBe(first.queued);
    const changed = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "meeting-invitation"));
    expect(changed.filter((m) => m.subject.includes("变更") || m.subject.includes("new time")).length).toBe(first.queued);
  });

  it("serves the .ics to those who may see the meeting", async () => {
    const user = await createUser(db, { password: "admin-password-1", roles: ["org_admin"] });
    const res = await calendar.loader({
      request: makeRequest(`/rankings/meetings/${meetingId}/calendar`, { cookie: await cookieFor(db, user.id) }),
      params: { meetingId: String(meetingId) },
      context: {},
    });
    expect(res.headers.get("content-type")).toContain("text/calendar");
    expect(await res.text()).toContain("SEQUENCE:2");
    const stranger = await createUser(db, { cadreId: member.D3, password: "member-password-1" });
    expect(
      (
        await callRoute(
          calendar.loader,
          makeRequest(`/rankings/meetings/${meetingId}/calendar`, { cookie: await cookieFor(db, stranger.id) }),
          { meetingId: String(meetingId) },
        )
      ).status,
    ).toBe(403);
  });

  it("records minutes and each lagging unit's commitment", async () => {
    expect(await saveMinutes(db, actor, meetingId, "会议通报了第一季度排名。")).toEqual({ changed: true });
    expect(await saveMinutes(db, actor, meetingId, "会议通报了第一季度排名。")).toEqual({ changed: false });
    await expect(
      saveCommitment(db, actor, meetingId, { unitId: unit.D5!, text: "整改", responsibleCadreId: member.D1! }),
    ).rejects.toMatchObject({
      messageKey: "rankings.errors.responsibleNotInUnit",
    });
    await expect(
      saveCommitment(db, actor, meetingId, { unitId: unit.D1!, text: "整改", responsibleCadreId: head.D1! }),
    ).rejects.toMatchObject({ messageKey: "rankings.errors.notCommitting" });
    expect(
      await saveCommitment(db, actor, meetingId, { unitId: unit.D5!, text: "下季度出勤率达到100%", responsibleCadreId: head.D5! }),
    ).toEqual({ changed: true });
    expect(
      await saveCommitment(db, actor, meetingId, { unitId: unit.D5!, text: "下季度出勤率达到100%", responsibleCadreId: head.D5! }),
    ).toEqual({ changed: false });
  });

  it("shows in the next quarter how the committed units moved", async () => {
    const ranking = await rankingFor(db, admin, "2026Q2");
    const view = await tableView(db, ranking, "units", { group: "department" });
    const d5 = view.rows.find((r) => r.code === "D5")!;
    // D1, D2 and D5 tie on everything in Q2 and share the first place: D5 moved up from the shared 4th.
    expect(d5).toMatchObject({ committed: true, rank: 1, tieSize: 3, previousRank: 4, change: 3 });
    expect(view.rows.filter((r) => r.committed).map((r) => r.code)).toEqual(["D5"]);
    const before = (await meetingView(db, admin, meetingId)).items.length;
    // Another quarter's meeting keeps its own agenda.
    const q2 = await createMeeting(db, actor, "2026Q2", {
      startsAt: new Date("2026-07-16T01:30:00Z"),
      endsAt: new Date("2026-07-16T04:00:00Z"),
      place: "市委党校",
    });
    expect((await meetingView(db, admin, q2.meetingId)).items).toHaveLength(8);
    const meeting = await meetingView(db, admin, meetingId);
    expect(meeting.items).toHaveLength(before);
    expect(meeting.nextPublished).toBe(true);
    expect(meeting.items.find((i) => i.unitCode === "D5")).toMatchObject({ nextRank: 1, change: 3 });
  });
});
