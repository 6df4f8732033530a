import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { evaluateLowAttendance } from "~/modules/attendance/reports/warnings.server";
import * as unitPage from "~/routes/attendance.units.$unitId";
import { attendanceRecords, attendanceWarnings, classSessions, emailOutbox } from "~db/schema";
import { makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { cadresWithAccounts, createClassSession, register } from "./attendance-fixtures";

const conn = await testDatabase();
const db = conn.db;

const DAY = 86_400_000;

describe("low-attendance warnings", () => {
  it("warn a cadre below 70 % over their last five sessions once, by email, flag them to their head, and clear on recovery", async () => {
    const [poor, good, head] = await cadresWithAccounts(db, 3);
    await makeHead(db, poor!.unitId, head!.cadreId);
    const statuses = {
      poor: ["absent", "present", "absent", "late", "present"],
      good: ["present", "present", "late", "present", "present"],
    } as const;
    const made = [];
    for (let i = 0; i < 5; i++) {
      const s = await createClassSession(db, { startsAt: new Date(Date.now() - (40 - i * 7) * DAY), status: "closed" });
      made.push(s);
      for (const [who, p] of [
        ["poor", poor!],
        ["good", good!],
      ] as const) {
        await register(db, s.session.id, p.cadreId, null);
        await db
          .insert(attendanceRecords)
          .values({ sessionId: s.session.id, cadreId: p.cadreId, status: statuses[who][i]!, source: "roster" });
      }
    }
    await db.update(classSessions).set({ closedAt: new Date() });

    const first = await evaluateLowAttendance(db);
    expect(first).toMatchObject({ skipped: false, raised: 1, emailed: 1 });
    const [warning] = await db.select().from(attendanceWarnings).where(eq(attendanceWarnings.cadreId, poor!.cadreId));
    // (2 present + 1 late × 0.5) / 5 = 50 %.
    expect(warning).toMatchObject({ rate: 0.5, sessions: 5, resolvedAt: null });
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.template, "attendance-low-warning"));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain("50.0%");
    expect(mail[0]!.props).toMatchObject({
      rate: 0.5,
      sessions: 5,
      threshold: 0.7,
      missed: [{ status: "absent" }, { status: "absent" }, { status: "late" }],
    });

    // Nothing closed since: skipped. Forced: still one warning, still one email.
    expect((await evaluateLowAttendance(db)).skipped).toBe(true);
    expect(await evaluateLowAttendance(db, { force: true })).toMatchObject({ raised: 0, emailed: 0 });
    expect(await Promise.all([evaluateLowAttendance(db, { force: true }), evaluateLowAttendance(db, { force: true })])).toMatchObject([
      { raised: 0 },
      { raised: 0 },
    ]);
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.template, "attendance-low-warning"))).toHaveLength(1);

    const headView = await callRoute<any>(
      unitPage.loader,
      makeRequest(`/attendance/units/${poor!.unitId}`, { cookie: await cookieFor(db, head!.userId) }),
      { unitId: String(poor!.unitId) },
    );
    expect(headView.data.flagged.map((f: { cadreId: number }) => f.cadreId)).toEqual([poor!.cadreId]);
    expect(headView.data.cadres.find((c: { cadreId: number }) => c.cadreId === poor!.cadreId).flagged).toBe(true);

    // Two good evenings later the window is 3 present + 1 late of 5: 70 %, no longer below.
    for (let i = 0; i < 2; i++) {
      const s = await createClassSession(db, { startsAt: new Date(Date.now() - (4 - i) * DAY), status: "closed" });
      await register(db, s.session.id, poor!.cadreId, null);
      await db.insert(attendanceRecords).values({ sessionId: s.session.id, cadreId: poor!.cadreId, status: "present", source: "roster" });
    }
    await db
      .update(classSessions)
      .set({ closedAt: new Date(Date.now() + 1000) })
      .where(eq(classSessions.status, "closed"));
    expect(await evaluateLowAttendance(db)).toMatchObject({ raised: 0, resolved: 1 });
    const open = await db
      .select()
      .from(attendanceWarnings)
      .where(and(eq(attendanceWarnings.cadreId, poor!.cadreId)));
    expect(open[0]!.resolvedAt).not.toBeNull();
  });
});
