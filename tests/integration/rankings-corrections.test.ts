import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { correctAttendance } from "~/modules/attendance/closing/close.server";
import { computeRanking } from "~/modules/rankings/compute.server";
import { correctionDiff } from "~/modules/rankings/corrections.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import * as quarterPage from "~/routes/rankings.$quarter";
import { attendanceRecords, classRegistrations, rankings } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };

/**
 * A correction shows its difference before it is published. Four departments, one cadre each; two
 * evenings of 2026Q1 (codes 2026-05 and 2026-06). C3 was wrongly marked absent at 2026-06; the
 * organization department corrects it with a reason, computes the correction, reads who moved and why,
 * and publishes only from the confirmation that says what publishing does.
 */
const id: Record<string, number> = {};
let adminUser: number;
const cookie: Record<string, string> = {};

beforeAll(async () => {
  const present: Record<string, string[]> = { "2026-05": ["C1", "C2", "C3", "C4"], "2026-06": ["C1", "C2"] };
  for (const n of [1, 2, 3, 4]) {
    id[`D${n}`] = (await createUnit(db, { code: `D${n}`, name: `${n}局`, kind: "department" })).id;
    id[`C${n}`] = (await createCadre(db, { staffNo: `C${n}`, name: `干部${n}`, unitId: id[`D${n}`]!, rank: "deputy_section" })).id;
  }
  await makeHead(db, id.D1!, id.C1!);
  for (const [code, startsAt] of [
    ["2026-05", "2026-02-11T11:30:00Z"],
    ["2026-06", "2026-02-25T11:30:00Z"],
  ] as const) {
    const s = await createClassSession(db, { code, startsAt: new Date(startsAt), status: "closed" });
    id[code] = s.id;
    for (const c of ["C1", "C2", "C3", "C4"]) {
      await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: id[c]!, source: "admin" });
      await db
        .insert(attendanceRecords)
        .values({ sessionId: s.id, cadreId: id[c]!, status: present[code]!.includes(c) ? "present" : "absent", source: "roster" });
    }
  }
  adminUser = (await createUser(db, { password: "admin-password-1", roles: ["org_admin"], displayName: "组织部干部科" })).id;
  const head = await createUser(db, { cadreId: id.C1, password: "head-password-1" });
  cookie.admin = await cookieFor(db, adminUser);
  cookie.head = await cookieFor(db, head.id);
  const v1 = await computeRanking(db, actor, "2026Q1", { today: "2026-05-01" });
  await publishRanking(db, actor, v1.rankingId, { today: "2026-05-01", notify: false });
  id.v1 = v1.rankingId;
});

const page = (path: string, who: "admin" | "head") =>
  callRoute<any>(quarterPage.loader, makeRequest(path, { cookie: cookie[who] }), { quarter: "2026Q1" });

describe("a correction", () => {
  it("lists who moved, by how much, which inputs changed and the event behind them", async () => {
    await correctAttendance(
      db,
      { id: adminUser, roles: ["org_admin"] },
      { sessionId: id["2026-06"]!, cadreId: id.C3!, status: "present", reason: "签到表核实，当晚在分会场" },
    );
    const draft = await computeRanking(db, { userId: adminUser }, "2026Q1", { today: "2026-05-01", reason: "第 2026-06 期考勤更正" });
    id.v2 = draft.rankingId;
    const diff = (await correctionDiff(db, draft.rankingId))!;
    expect(diff.published.version).toBe(1);
    // Before: C1, C2 tied first, C3, C4 tied third. After: C1–C3 tied first, C4 fourth.
    expect(diff.counts.units).toEqual({ moved: 2, inputsOnly: 0 });
    expect(diff.counts.cadres).toEqual({ moved: 2, inputsOnly: 0 });
    const c3 = diff.rows.cadres.find((r) => r.code === "C3")!;
    expect(c3).toMatchObject({ moved: true, before: { rank: 3, tieSize: 2 }, after: { rank: 1, tieSize: 3 } });
    expect(c3.fields.map((f) => [f.field, f.before, f.after])).toEqual(
      expect.arrayContaining([
        ["present", "1", "2"],
        ["hours_earned", "1.5", "3"],
      ]),
    );
    expect(c3.causes).toEqual([
      {
        kind: "attendance",
        sessionCode: "2026-06",
        before: "absent",
        after: "present",
        corrected: true,
        reason: "签到表核实，当晚在分会场",
      },
    ]);
    // C4 moved without any change of its own: one place down because C3 joined the tie above.
    const c4 = diff.rows.cadres.find((r) => r.code === "C4")!;
    expect(c4).toMatchObject({ moved: true, fields: [], causes: [], before: { rank: 3 }, after: { rank: 4 } });
    const d3 = diff.rows.units.find((r) => r.code === "D3")!;
    expect(d3.causes.map((c) => c.kind)).toEqual(["attendance"]);
  });

  it("shows the difference on the draft's page to the department only", async () => {
    const admin = await page("/rankings/2026Q1?version=2", "admin");
    expect(admin.data.diff.rows.cadres.map((r: { code: string }) => r.code).sort()).toEqual(["C3", "C4"]);
    expect((await page("/rankings/2026Q1?version=2", "head")).status).toBe(404);
    // The published version stays what the head reads, without any difference.
    const head = await page("/rankings/2026Q1", "head");
    expect(head.data.ranking.version).toBe(1);
    expect(head.data.diff).toBeNull();
  });

  it("is published only from the confirmation, which says what publishing does", async () => {
    const bare = await callRoute(
      quarterPage.action,
      makeRequest("/rankings/2026Q1", { cookie: cookie.admin, form: { intent: "publish", rankingId: String(id.v2) } }),
      { quarter: "2026Q1" },
    );
    expect(bare.status).toBe(302);
    expect(bare.location).toBe("/rankings/2026Q1?confirm=publish&version=2");
    expect((await db.select().from(rankings).where(eq(rankings.id, id.v2!)))[0]!.status).toBe("draft");

    const confirm = await page("/rankings/2026Q1?confirm=publish&version=2", "admin");
    expect(confirm.data.preview).toMatchObject({
      version: 2,
      correctionReason: "第 2026-06 期考勤更正",
      correction: { published: { version: 1 }, counts: { units: { moved: 2 }, cadres: { moved: 2 } } },
    });
    expect(confirm.data.preview.summaryRecipients).toBe(1);

    // A head may not publish, confirmed or not.
    const denied = await callRoute(
      quarterPage.action,
      makeRequest("/rankings/2026Q1", { cookie: cookie.head, form: { intent: "publish", rankingId: String(id.v2), confirm: "yes" } }),
      { quarter: "2026Q1" },
    );
    expect(denied.status).toBe(403);

    const done = await callRoute(
      quarterPage.action,
      makeRequest("/rankings/2026Q1", {
        cookie: cookie.admin,
        form: { intent: "publish", rankingId: String(id.v2), confirm: "yes", reason: "第 2026-06 期考勤更正" },
      }),
      { quarter: "2026Q1" },
    );
    expect(done.location).toBe("/rankings/2026Q1?published=2");
    const versions = await db.select({ version: rankings.version, status: rankings.status, by: rankings.publishedByUserId }).from(rankings);
    expect(versions.sort((a, b) => a.version - b.version)).toEqual([
      { version: 1, status: "superseded", by: null },
      { version: 2, status: "published", by: adminUser },
    ]);
  });

  it("keeps the old version readable, as it was published", async () => {
    const old = await page("/rankings/2026Q1?version=1&tab=cadres&group=section", "admin");
    expect(old.data.ranking.status).toBe("superseded");
    const rank = old.data.table.columns.findIndex((c: { key: string }) => c.key === "rank");
    const code = old.data.table.columns.findIndex((c: { key: string }) => c.key === "code");
    expect(old.data.table.rows.map((r: { value: unknown }[]) => [r[code]!.value, r[rank]!.value])).toEqual([
      ["C1", 1],
      ["C2", 1],
      ["C3", 3],
      ["C4", 3],
    ]);
  });
});
