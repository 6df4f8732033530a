import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setUnitRanking } from "~/modules/organization/unit-edits.server";
import { agendaPlaces } from "~/modules/rankings/agenda.server";
import { computeRanking, reproduceRanking } from "~/modules/rankings/compute.server";
import { addAgendaItem, createMeeting, meetingView } from "~/modules/rankings/meetings.server";
import { publishRanking } from "~/modules/rankings/publish.server";
import { UNIT_INPUT_FIELDS } from "~/modules/rankings/score.server";
import { excludedUnits, rankingFor, tableView } from "~/modules/rankings/views.server";
import * as unitEdit from "~/routes/units.$unitId_.edit";
import { MIGRATIONS_FOLDER } from "~db/migrate";
import { attendanceRecords, auditLog, classRegistrations, rankingUnitResults, units } from "~db/schema";
import { createClassSession } from "~db/seed/classes";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const actor = { userId: null, label: "test" };
const admin = { id: 0, roles: ["org_admin" as const], scope: { all: true, unitIds: [], cadreId: null } };
const TODAY = "2026-08-01";

/**
 * Who is ranked (参与排名): four departments directly under the city, one of them with a sub-unit (a
 * school), the city leadership's pseudo-unit (set to "no"), and an association of kind "other" that the
 * department ranks among the departments. Everyone attends alike but the sub-unit's and the
 * leadership's cadres, who attend best: were they ranked, they would top the departments.
 */
const id: Record<string, number> = {};
let adminUser: number;
let cookie: { admin: string; head: string };

beforeAll(async () => {
  id.D1 = (await createUnit(db, { code: "D1", name: "甲局", kind: "department" })).id;
  id.D2 = (await createUnit(db, { code: "D2", name: "乙局", kind: "department" })).id;
  id.D3 = (await createUnit(db, { code: "D3", name: "丙局", kind: "department" })).id;
  id.S1 = (await createUnit(db, { code: "S1", name: "甲局附属学校", kind: "department", parentId: id.D1 })).id;
  id.L0 = (await createUnit(db, { code: "L0", name: "示范市市级领导", kind: "other", ranked: false })).id;
  id.O1 = (await createUnit(db, { code: "O1", name: "市科协", kind: "other" })).id;
  await db.update(units).set({ rankingPeerGroup: "department" }).where(eq(units.id, id.O1));
  const attended: Record<string, number> = { D1: 2, D2: 1, D3: 0, S1: 3, L0: 3, O1: 2 };
  const sessions = [];
  for (let i = 0; i < 3; i++)
    sessions.push(await createClassSession(db, { startsAt: new Date(`2026-0${4 + i}-15T11:30:00Z`), status: "closed" }));
  for (const [code, n] of Object.entries(attended)) {
    const cadre = await createCadre(db, { staffNo: `${code}C`, unitId: id[code]!, rank: "deputy_section" });
    id[`${code}C`] = cadre.id;
    await makeHead(db, id[code]!, cadre.id);
    for (const [i, s] of sessions.entries()) {
      await db.insert(classRegistrations).values({ sessionId: s.id, cadreId: cadre.id, source: "admin" });
      await db
        .insert(attendanceRecords)
        .values({ sessionId: s.id, cadreId: cadre.id, status: i < n ? "present" : "absent", source: "roster" });
    }
  }
  adminUser = (await createUser(db, { password: "admin-password-1", roles: ["org_admin"] })).id;
  const head = await createUser(db, { cadreId: id.D1C, password: "head-password-1" });
  cookie = { admin: await cookieFor(db, adminUser), head: await cookieFor(db, head.id) };
  const { rankingId } = await computeRanking(db, actor, "2026Q2", { today: TODAY });
  await publishRanking(db, actor, rankingId, { today: TODAY, notify: false });
  id.ranking = rankingId;
});

async function row(code: string) {
  const [r] = await db
    .select()
    .from(rankingUnitResults)
    .where(and(eq(rankingUnitResults.rankingId, id.ranking!), eq(rankingUnitResults.code, code)));
  return r!;
}

describe("who is ranked", () => {
  it("ranks units directly under the city among their peers; sub-units and the leadership are frozen but not ranked", async () => {
    expect(await row("S1")).toMatchObject({ participates: false, score: null, rank: null, tieSize: null });
    expect(await row("L0")).toMatchObject({ participates: false, score: null, rank: null });
    // O1 is ranked among the departments, as the department chose; D1 and O1 share the first place.
    expect([await row("D1"), await row("O1"), await row("D2"), await row("D3")].map((r) => [r.code, r.peerGroup, r.rank])).toEqual([
      ["D1", "department", 1],
      ["O1", "department", 1],
      ["D2", "department", 3],
      ["D3", "department", 4],
    ]);
    // The school's frontline and attendance do not move the departments' bounds either.
    expect((await row("S1")).frontlineValue).toBeNull();
    expect((await reproduceRanking(db, id.ranking!)).identical).toBe(true);
  });

  it("lists the units left out apart from every peer group's table", async () => {
    const ranking = await rankingFor(db, admin, "2026Q2");
    const view = await tableView(db, ranking, "units", { group: "department" });
    expect(view.rows.map((r) => r.code)).toEqual(["D1", "O1", "D2", "D3"]);
    expect(view.groups.find((g) => g.group === "department")).toEqual({ group: "department", ranked: 4, total: 4 });
    expect(view.groups.find((g) => g.group === "other")).toEqual({ group: "other", ranked: 0, total: 0 });
    expect((await excludedUnits(db, id.ranking!)).map((u) => u.code)).toEqual(["L0", "S1"]);
  });

  it("never puts a unit left out on the agenda, generated or by hand", async () => {
    expect((await agendaPlaces(db, id.ranking!, 3)).map((p) => p.code).sort()).toEqual(["D1", "D2", "D3", "O1"]);
    const { meetingId } = await createMeeting(db, actor, "2026Q2", {
      startsAt: new Date("2026-07-16T01:30:00Z"),
      endsAt: new Date("2026-07-16T04:00:00Z"),
      place: "报告厅",
    });
    await expect(
      addAgendaItem(db, actor, meetingId, { unitId: id.L0!, role: "experience", reason: "市领导介绍经验" }),
    ).rejects.toMatchObject({
      messageKey: "rankings.errors.notRankedUnit",
    });
    await expect(addAgendaItem(db, actor, meetingId, { unitId: id.S1!, role: "commitment", reason: "x" })).rejects.toMatchObject({
      messageKey: "rankings.errors.notRankedUnit",
    });
    expect((await meetingView(db, admin, meetingId)).items.map((i) => i.unitCode)).not.toContain("L0");
  });

  it("hashes a ranking where every unit takes part exactly as before units could be left out", async () => {
    const { rankingId } = await computeRanking(db, actor, "2026Q3", { today: TODAY });
    await db.execute(sql`update ranking_unit_results set participates = true where ranking_id = ${rankingId}`);
    const old = UNIT_INPUT_FIELDS.filter((f) => f !== "participates").join(", ");
    const [{ same } = { same: false }] = await db.execute<{ same: boolean }>(sql`
      select (select string_agg('U' || (${sql.raw(old)})::text, E'\\n' order by unit_id) from ranking_unit_results where ranking_id = ${rankingId})
        = (select string_agg('U' || (${sql.raw(old)})::text || (case when participates then '' else '|excluded' end), E'\\n' order by unit_id)
           from ranking_unit_results where ranking_id = ${rankingId}) as same`);
    expect(same).toBe(true);
  });
});

describe("the setting", () => {
  it("is the organization department's, with a reason, audited with the before and after", async () => {
    const form = { intent: "ranking", ranked: "yes", rankingPeerGroup: "", reason: "学校独立考核" };
    const denied = await callRoute(unitEdit.action, makeRequest(`/units/${id.S1}/edit`, { cookie: cookie.head, form }), {
      unitId: String(id.S1),
    });
    expect(denied.status).toBe(403);
    const noReason = await callRoute(
      unitEdit.action,
      makeRequest(`/units/${id.S1}/edit`, { cookie: cookie.admin, form: { ...form, reason: " " } }),
      { unitId: String(id.S1) },
    );
    expect(noReason.status).toBe(400);
    expect((await db.select({ ranked: units.ranked }).from(units).where(eq(units.id, id.S1!)))[0]!.ranked).toBeNull();
    const saved = await callRoute(unitEdit.action, makeRequest(`/units/${id.S1}/edit`, { cookie: cookie.admin, form }), {
      unitId: String(id.S1),
    });
    expect(saved.data).toMatchObject({ ok: true });
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "unit.ranking_changed"), eq(auditLog.entityId, String(id.S1))));
    expect(entry).toMatchObject({
      actorUserId: adminUser,
      reason: "学校独立考核",
      before: { ranked: null, takesPart: false, rankingPeerGroup: null },
      after: { ranked: true, takesPart: true, rankingPeerGroup: null },
    });
    // Saving the same again changes nothing and writes nothing.
    await setUnitRanking(db, { id: adminUser, roles: ["org_admin"], scope: admin.scope } as never, id.S1!, {
      ranked: true,
      rankingPeerGroup: null,
      reason: "again",
    });
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "unit.ranking_changed"), eq(auditLog.entityId, String(id.S1)))),
    ).toHaveLength(1);
    // The next computation ranks the school; the published quarter keeps what it froze.
    const { rankingId } = await computeRanking(db, actor, "2026Q2", { today: TODAY, reason: "学校参与排名" });
    const [school] = await db
      .select()
      .from(rankingUnitResults)
      .where(and(eq(rankingUnitResults.rankingId, rankingId), eq(rankingUnitResults.code, "S1")));
    expect(school).toMatchObject({ participates: true, rank: 1 });
    expect(await row("S1")).toMatchObject({ participates: false, rank: null });
  });
});

describe("the migration", () => {
  it("sets the leadership pseudo-unit to no and audits every unit whose participation changes", async () => {
    const lead = await createUnit(db, { code: "L9", name: "某县县级领导", kind: "other" });
    const sub = await createUnit(db, { code: "S9", name: "某镇便民服务中心", kind: "town", parentId: id.D2 });
    const [{ before } = { before: 0 }] = await db.execute<{ before: number }>(
      sql`select coalesce(max(id), 0)::int as before from audit_log`,
    );
    // The migration's hand-written part about who is ranked (the lead may renumber the file, not rename it).
    const name = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith("_defensible_evaluation.sql"))!;
    const file = readFileSync(path.join(MIGRATIONS_FOLDER, name), "utf8");
    const part = file.slice(file.indexOf("-- Hand-written: who is ranked"), file.indexOf("-- Hand-written: a round published"));
    const statements = part.split("--> statement-breakpoint").filter((s) => s.trim());
    await db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(sql.raw(statement));
    });
    expect((await db.select({ ranked: units.ranked }).from(units).where(eq(units.id, lead.id)))[0]!.ranked).toBe(false);
    expect((await db.select({ ranked: units.ranked }).from(units).where(eq(units.id, sub.id)))[0]!.ranked).toBeNull();
    const entries = await db.execute<{ entity_id: string; after: { by: string } }>(
      sql`select entity_id, after from audit_log where id > ${Number(before)} and action = 'unit.ranking_changed'`,
    );
    const by = Object.fromEntries(entries.map((e) => [e.entity_id, e.after.by]));
    expect(by[String(lead.id)]).toBe("explicit");
    expect(by[String(sub.id)]).toBe("default");
  });
});
