import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import {
  addCommitmentNote,
  markCommitmentDone,
  overdueCommitments,
  overdueCommitmentsFor,
  reopenCommitment,
  saveCommitment,
} from "~/modules/rankings/commitments.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import { createMeeting, meetingView } from "~/modules/rankings/meetings.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import * as commitmentList from "~/routes/rankings.commitments._index";
import * as commitmentPage from "~/routes/rankings.commitments.$commitmentId";
import { attendanceRecords, auditLog, classRegistrations, rankingCommitments } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const admin = { id: 0, roles: ["org_admin" as const], scope: { all: true, unitIds: [], cadreId: null } };

/**
 * Commitments at the ranking meeting: an owner (one of the unit's cadres), a deadline (by default when
 * the next quarter ends) and a state — open, done, overdue — with progress notes; overdue ones go on the
 * next meeting's agenda and to whoever asks for them (the home pages).
 */
const id: Record<string, number> = {};
const who: Record<string, CurrentUser> = {};
const cookie: Record<string, string> = {};

beforeAll(async () => {
  for (const n of [1, 2, 3, 4]) {
    id[`D${n}`] = (await createUnit(db, { code: `D${n}`, name: `${n}局`, kind: "department" })).id;
    id[`H${n}`] = (await createCadre(db, { staffNo: `H${n}`, name: `负责人${n}`, unitId: id[`D${n}`]!, rank: "section" })).id;
    id[`M${n}`] = (await createCadre(db, { staffNo: `M${n}`, name: `干部${n}`, unitId: id[`D${n}`]!, rank: "deputy_section" })).id;
    await makeHead(db, id[`D${n}`]!, id[`H${n}`]!);
  }
  // D1 and D2 attend, D3 and D4 do not: D3 and D4 commit at both meetings.
  for (const startsAt of ["2026-02-11T11:30:00Z", "2026-05-13T11:30:00Z"]) {
    const s = await createClassSession(db, { startsAt: new Date(startsAt), status: "closed" });
    for (const n of [1, 2, 3, 4]) {
      await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: id[`M${n}`]!, source: "admin" });
      await db
        .insert(attendanceRecords)
        .values({ sessionId: s.id, cadreId: id[`M${n}`]!, status: n <= 2 ? "present" : "absent", source: "roster" });
    }
  }
  for (const q of ["2026Q1", "2026Q2"]) {
    const { rankingId } = await computeRanking(db, { userId: null, label: "test" }, q, { today: "2026-08-01" });
    await publishRanking(db, { userId: null, label: "test" }, rankingId, { today: "2026-08-01", notify: false });
  }
  const account = async (key: string, cadreId: number | null, roles: "org_admin"[] = []) => {
    const user = await createUser(db, { cadreId, roles, password: "a-long-password-1", email: cadreId ? null : `${key}@c.test` });
    who[key] = (await loadCurrentUser(db, user.id, "test"))!;
    cookie[key] = await cookieFor(db, user.id);
  };
  await account("admin", null, ["org_admin"]);
  await account("owner", id.M3!);
  await account("head3", id.H3!);
  await account("head1", id.H1!);
  id.q1 = (
    await createMeeting(db, { userId: who.admin!.id }, "2026Q1", {
      startsAt: new Date("2026-04-16T01:30:00Z"),
      endsAt: new Date("2026-04-16T04:00:00Z"),
      place: "报告厅",
    })
  ).meetingId;
});

describe("a commitment", () => {
  it("has an owner of the unit and a deadline, by default the end of the next quarter, never before the meeting", async () => {
    const actor = { userId: who.admin!.id };
    await expect(
      saveCommitment(db, actor, id.q1!, { unitId: id.D3!, text: "参学率达到 95%", responsibleCadreId: id.M3!, deadline: "2026-04-01" }),
    ).rejects.toMatchObject({ messageKey: "rankings.validation.deadlineBeforeMeeting", options: { field: "deadline" } });
    await saveCommitment(db, actor, id.q1!, { unitId: id.D3!, text: "参学率达到 95%", responsibleCadreId: id.M3! });
    await saveCommitment(db, actor, id.q1!, { unitId: id.D4!, text: "补齐学时", responsibleCadreId: id.H4!, deadline: "2026-05-31" });
    const rows = await db.select().from(rankingCommitments).where(eq(rankingCommitments.meetingId, id.q1!));
    const d3 = rows.find((r) => r.unitId === id.D3)!;
    const d4 = rows.find((r) => r.unitId === id.D4)!;
    expect([d3.deadline, d3.status, d4.deadline]).toEqual(["2026-06-30", "open", "2026-05-31"]);
    id.c3 = d3.id;
    id.c4 = d4.id;
  });

  it("takes progress notes from its owner and the unit's head, not from another unit's", async () => {
    await addCommitmentNote(db, who.owner!, id.c3!, "已组织补学两次");
    await addCommitmentNote(db, who.head3!, id.c3!, "班子会专题调度");
    await expect(addCommitmentNote(db, who.head1!, id.c3!, "x")).rejects.toMatchObject({ label: "not_found" });
    const page = await callRoute<any>(commitmentPage.loader, makeRequest(`/rankings/commitments/${id.c3}`, { cookie: cookie.owner }), {
      commitmentId: String(id.c3),
    });
    expect(page.data.commitment.notes.map((n: { note: string }) => n.note)).toEqual(["班子会专题调度", "已组织补学两次"]);
    expect(
      (
        await callRoute(commitmentPage.loader, makeRequest(`/rankings/commitments/${id.c3}`, { cookie: cookie.head1 }), {
          commitmentId: String(id.c3),
        })
      ).status,
    ).toBe(404);
    const listed = await callRoute<any>(commitmentList.loader, makeRequest("/rankings/commitments?state=all", { cookie: cookie.owner }));
    expect(listed.data.rows.map((r: { id: number }) => r.id)).toEqual([id.c3]);
  });

  it("becomes overdue past its deadline, and is listed for its owner and for the department", async () => {
    expect((await overdueCommitments(db, { today: "2026-06-30" })).map((c) => c.id)).toEqual([id.c4]);
    const later = await overdueCommitments(db, { today: "2026-07-01" });
    expect(later.map((c) => [c.id, c.state])).toEqual([
      [id.c4, "overdue"],
      [id.c3, "overdue"],
    ]);
    expect((await overdueCommitments(db, { today: "2026-07-01", ownerCadreId: id.M3! })).map((c) => c.id)).toEqual([id.c3]);
    // For the home pages, by who asks: all for the department, one's own for the owner, the unit's for
    // its head, nothing for another unit's head.
    const home = async (key: string) => (await overdueCommitmentsFor(db, who[key]!, "2026-07-01")).map((c) => c.id);
    expect(await home("admin")).toEqual([id.c4, id.c3]);
    expect(await home("owner")).toEqual([id.c3]);
    expect(await home("head3")).toEqual([id.c3]);
    expect(await home("head1")).toEqual([]);
  });

  it("is marked done by its owner with a note, reopened only by the department, each audited with the person", async () => {
    const done = await callRoute(
      commitmentPage.action,
      makeRequest(`/rankings/commitments/${id.c3}`, { cookie: cookie.owner, form: { intent: "done", note: "参学率已达 96%" } }),
      { commitmentId: String(id.c3) },
    );
    expect(done.status).toBe(302);
    expect(await markCommitmentDone(db, who.owner!, id.c3!, "again")).toEqual({ changed: false });
    await expect(reopenCommitment(db, who.head3!, id.c3!, "未完成")).rejects.toMatchObject({ label: "forbidden" });
    expect(await reopenCommitment(db, who.admin!, id.c3!, "核查发现数据不实")).toEqual({ changed: true });
    expect(await markCommitmentDone(db, who.admin!, id.c3!, "复核属实")).toEqual({ changed: true });
    const audited = await db
      .select({ action: auditLog.action, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "ranking_commitment"), eq(auditLog.entityId, String(id.c3))));
    expect(audited).toEqual([
      { action: "ranking.commitment_progress", actor: who.owner!.id },
      { action: "ranking.commitment_progress", actor: who.head3!.id },
      { action: "ranking.commitment_done", actor: who.owner!.id },
      { action: "ranking.commitment_reopened", actor: who.admin!.id },
      { action: "ranking.commitment_done", actor: who.admin!.id },
    ]);
  });

  it("goes on the next meeting's agenda when it was overdue on that day", async () => {
    // D4's (due 31 May) is open; D3's was done on the day this test ran, after 16 July 2026 only if today is later.
    const { meetingId } = await createMeeting(db, { userId: who.admin!.id }, "2026Q2", {
      startsAt: new Date("2026-07-16T01:30:00Z"),
      endsAt: new Date("2026-07-16T04:00:00Z"),
      place: "报告厅",
    });
    const view = await meetingView(db, admin, meetingId);
    const listed = view.overdueEarlier.map((c) => c.id);
    expect(listed).toContain(id.c4);
    // D3's was due 30 June and done only now: overdue on 16 July when "now" is later than that day.
    expect(listed.includes(id.c3!)).toBe(new Date() > new Date("2026-07-16T16:00:00Z"));
    // The Q1 meeting itself lists nothing from later meetings.
    expect((await meetingView(db, admin, id.q1!)).overdueEarlier).toEqual([]);
  });
});
