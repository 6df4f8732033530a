import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import runImportCommand from "~/cli/commands/import";
import { transitionSession } from "~/modules/classes/status.server";
import { applyImport, previewImport } from "~/modules/imports/service.server";
import { attendanceRecords, auditLog } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { assignStaff, cadresWithAccounts, createClassSession, register } from "./attendance-fixtures";

const conn = await testDatabase();
const db = conn.db;

const everything = { all: true, unitIds: [], cadreId: null };
const admin = { userId: null, label: "test" };
const file = (text: string, session: string, name = "log.csv") => ({
  kind: "attendance",
  fileName: name,
  bytes: new TextEncoder().encode(text),
  params: { session },
});
const rowsOf = async (sessionId: number) =>
  (await db.select().from(attendanceRecords).where(eq(attendanceRecords.sessionId, sessionId))).sort((a, b) => a.cadreId - b.cadreId);

// 19:30–21:00 on 18 November 2026, Shanghai: 90 minutes, 80 % is 72.
let made: Awaited<ReturnType<typeof createClassSession>>;
let people: Awaited<ReturnType<typeof cadresWithAccounts>>;
beforeAll(async () => {
  made = await createClassSession(db, { startsAt: new Date("2026-11-18T11:30:00Z"), minutes: 90 });
  people = await cadresWithAccounts(db, 6);
  for (const p of people.slice(0, 5)) await register(db, made.session.id, p.cadreId, null);
  await register(db, made.session.id, people[5]!.cadreId, made.venues[0]!.venueId);
  // The sixth cadre scanned in at the venue: the log must not change that.
  await db.insert(attendanceRecords).values({
    sessionId: made.session.id,
    cadreId: people[5]!.cadreId,
    status: "present",
    source: "qr",
    checkedInAt: new Date("2026-11-18T11:20:00Z"),
  });
});

describe("the online viewing-log import", () => {
  it("refuses the whole file for one bad row, naming row and column, and imports nothing", async () => {
    const csv = [
      "工号,进入时间,离开时间,观看分钟",
      `${people[0]!.staffNo},2026-11-18 19:28,2026-11-18 21:00,`,
      "NOBODY-1,2026-11-18 19:28,2026-11-18 21:00,",
      `${people[1]!.staffNo},19:31,黄昏,`,
      `${people[2]!.staffNo},,,`,
    ].join("\n");
    const preview = await previewImport(db, admin, file(csv, made.session.code), { scope: everything });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.summary.errors).toEqual([
      { row: 3, column: "工号", messageKey: "attendance.import.errors.unknownCadre", params: { value: "NOBODY-1" }, value: "NOBODY-1" },
      { row: 4, column: "离开时间", messageKey: "attendance.import.errors.time", params: { value: "黄昏" }, value: "黄昏" },
      { row: 5, column: "观看分钟", messageKey: "attendance.import.errors.noDuration" },
    ]);
    const outcome = await applyImport(db, admin, preview.batchId, { scope: everything });
    expect(outcome.status).toBe("invalid");
    expect(await rowsOf(made.session.id)).toHaveLength(1);
  });

  it("adds up each cadre's rows, applies the threshold and the grace, and leaves scanned-in cadres alone", async () => {
    const csv = [
      "staff_no,join,leave,minutes",
      // 0: two devices overlapping, 19:28–20:30 and 20:00–21:00: 90 minutes, joined on time → present.
      `${people[0]!.staffNo},2026-11-18 19:28,2026-11-18 20:30,`,
      `${people[0]!.staffNo},2026-11-18 20:00,2026-11-18 21:00,`,
      // 1: exactly 72 minutes in two visits, first join 19:45 → late.
      `${people[1]!.staffNo},19:45,20:30,`,
      `${people[1]!.staffNo},20:33,21:00,`,
      // 2: minutes only, 71 → absent (short).
      `${people[2]!.staffNo},,,71`,
      // 3: 80 minutes only → present.
      `${people[3]!.staffNo},,,80`,
      // 5: scanned in at the venue; watching a little online changes nothing.
      `${people[5]!.staffNo},,,10`,
    ].join("\r\n");
    const preview = await previewImport(db, admin, file(csv, made.session.code), { scope: everything });
    if (!preview.ok) throw new Error("unexpected");
    expect(preview.summary.errors).toEqual([]);
    expect(preview.summary.counts).toMatchObject({ rows: 7, present: 2, late: 1, absent: 1, unchanged: 1 });
    const outcome = await applyImport(db, admin, preview.batchId, { scope: everything });
    expect(outcome.status).toBe("applied");
    const rows = await rowsOf(made.session.id);
    expect(rows.map((r) => [r.cadreId, r.status, r.source, r.minutesWatched])).toEqual([
      [people[0]!.cadreId, "present", "import", 90],
      [people[1]!.cadreId, "late", "import", 72],
      [people[2]!.cadreId, "absent", "import", 71],
      [people[3]!.cadreId, "present", "import", 80],
      [people[5]!.cadreId, "present", "qr", null],
    ]);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "attendance.imported"));
    expect(audits).toHaveLength(4);
    expect(audits[0]!.reason).toBe(`import #${preview.batchId}`);

    // The same file again changes nothing.
    const again = await previewImport(db, admin, file(csv, made.session.code), { scope: everything });
    if (!again.ok) throw new Error("unexpected");
    expect(again.summary.counts).toMatchObject({ present: 0, late: 0, absent: 0, unchanged: 5 });
  });

  it("is open to the session's venue staff before closing, to nobody else's, and to org admins only after", async () => {
    const staff = await createUser(db, { roles: ["venue_staff"], password: "pw-staff-1" });
    const stranger = await createUser(db, { roles: ["venue_staff"], password: "pw-staff-2" });
    await assignStaff(db, made.venues[0]!.sessionVenueId, staff.id);
    const scope = { all: false, unitIds: [], cadreId: null };
    const csv = `工号,观看分钟\n${people[4]!.staffNo},85\n`;
    const byStaff = await previewImport(db, { userId: staff.id }, file(csv, made.session.code), { scope });
    expect(byStaff.ok && byStaff.summary.errors).toEqual([]);
    const byStranger = await previewImport(db, { userId: stranger.id }, file(csv, made.session.code), { scope });
    expect(byStranger.ok && byStranger.summary.errors.map((e) => e.messageKey)).toEqual(["attendance.import.errors.notStaff"]);

    await transitionSession(db, admin, made.session.code, "close");
    const afterClose = await previewImport(db, { userId: staff.id }, file(csv, made.session.code), { scope });
    expect(afterClose.ok && afterClose.summary.errors.map((e) => e.messageKey)).toEqual(["attendance.import.errors.closedNeedsAdmin"]);
    const unknown = await previewImport(db, admin, file(csv, "2099-99"), { scope: everything });
    expect(unknown.ok && unknown.summary.errors.map((e) => e.messageKey)).toEqual(["attendance.import.errors.sessionUnknown"]);
  });

  it("runs from the command line: import attendance SESSION_CODE FILE, the organization department's correction after closing", async () => {
    const fs = await import("node:fs/promises");
    const path = `/tmp/g-attendance-import-${process.pid}.csv`;
    await fs.writeFile(path, `工号,观看分钟\n${people[4]!.staffNo},85\n`);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runImportCommand(["attendance", made.session.code, path], { db, out: (l) => out.push(l), err: (l) => err.push(l) });
    await fs.rm(path, { force: true });
    expect(err.filter((l) => !l.startsWith("已处理"))).toEqual([]);
    expect(code).toBe(0);
    // Closing had made the fifth cadre absent; the log shows 85 minutes watched.
    expect((await rowsOf(made.session.id)).find((r) => r.cadreId === people[4]!.cadreId)).toMatchObject({
      status: "present",
      source: "import",
      minutesWatched: 85,
    });
  });
});
