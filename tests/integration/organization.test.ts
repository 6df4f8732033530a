import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { transferCadre, updateCadre } from "~/modules/organization/cadre-edits.server";
import { getCadre, searchCadres } from "~/modules/organization/cadres.server";
import * as orgUnits from "~/modules/organization/unit-edits.server";
import { getUnit, listUnitTree } from "~/modules/organization/units.server";
import * as cadreEdit from "~/routes/cadres.$cadreId_.edit";
import * as unitEdit from "~/routes/units.$unitId_.edit";
import * as unitNew from "~/routes/units.new";
import { todayInShanghai } from "~/utils/dates";
import { auditLog, cadres, cadreTerms, unitLiaisons, unitMemberships, units } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

/** A small city: root → A (→ A1) and B; people in each; an org admin, a head of A, a liaison of B. */
let city: { id: number };
let unitA: { id: number };
let unitA1: { id: number };
let unitB: { id: number };
let admin: CurrentUser;
let headOfA: CurrentUser;
let liaisonOfB: CurrentUser;
let adminCookie: string;
const people: Record<string, { id: number; unitId: number; staffNo: string }> = {};

async function asUser(cadreId: number | null, roles: ("org_admin" | "system_admin" | "venue_staff")[] = []) {
  const user = await createUser(db, { cadreId, roles, disabled: false });
  return (await loadCurrentUser(db, user.id, "test"))!;
}

beforeAll(async () => {
  city = await createUnit(db, { code: "CITY", name: "示范市", kind: "other" });
  unitA = await createUnit(db, { code: "A", name: "市教育局", parentId: city.id });
  unitA1 = await createUnit(db, { code: "A1", name: "市第一中学", parentId: unitA.id });
  unitB = await createUnit(db, { code: "B", name: "市财政局", parentId: city.id });
  const add = async (key: string, values: Parameters<typeof createCadre>[1]) => {
    people[key] = await createCadre(db, values);
  };
  await add("admin", { unitId: city.id, staffNo: "ORG001", name: "组织员", rank: "section" });
  await add("zhang", { unitId: unitA.id, staffNo: "SF1001", name: "张三", rank: "section", since: "2020-01-01" });
  await add("zeng", { unitId: unitA1.id, staffNo: "SF10011", name: "曾国藩", rank: "staff" });
  await add("wang", { unitId: unitA1.id, staffNo: "SF2000", name: "王小张", rank: "deputy_county" });
  await add("li", { unitId: unitB.id, staffNo: "SF3000", name: "李四", rank: "deputy_section", email: "li.si@example.cn" });
  await add("retired", { unitId: unitA.id, staffNo: "SF4000", name: "张老", rank: "section", status: "retired" });
  await makeHead(db, unitA.id, people.zhang!.id);
  await addLiaison(db, unitB.id, people.li!.id);
  admin = await asUser(people.admin!.id, ["org_admin"]);
  headOfA = await asUser(people.zhang!.id);
  liaisonOfB = await asUser(people.li!.id);
  adminCookie = await cookieFor(db, admin.id);
});

const auditsFor = (action: string, entityId: number) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))));

describe("unit tree", () => {
  it("gives the org admin the whole tree with active cadre counts", async () => {
    const { roots, unitCount } = await listUnitTree(db, admin.scope);
    expect(unitCount).toBe(4);
    expect(roots.map((r) => r.code)).toEqual(["CITY"]);
    const a = roots[0]!.children.find((c) => c.code === "A")!;
    expect(a.activeCadres).toBe(1); // the retired cadre is not counted
    expect(a.subtreeCadres).toBe(3);
    expect(roots[0]!.subtreeCadres).toBe(5);
  });

  it("gives a head their unit and its sub-units only, and a liaison theirs", async () => {
    const head = await listUnitTree(db, headOfA.scope);
    expect(head.roots.map((r) => r.code)).toEqual(["A"]);
    expect(head.roots[0]!.children.map((c) => c.code)).toEqual(["A1"]);
    expect(head.unitCount).toBe(2);
    const liaison = await listUnitTree(db, liaisonOfB.scope);
    expect(liaison.roots.map((r) => r.code)).toEqual(["B"]);
  });

  it("filters by kind", async () => {
    const { roots } = await listUnitTree(db, admin.scope, { kind: "department" });
    expect(roots[0]!.matches).toBe(false); // the city is only the path to its departments
    expect(roots[0]!.children.map((c) => c.code)).toEqual(["A", "B"]);
  });

  it("opens a unit within scope with breadcrumbs inside scope, and hides one outside", async () => {
    const detail = await getUnit(db, headOfA.scope, unitA1.id);
    expect(detail.breadcrumbs.map((b) => b.id)).toEqual([unitA.id]); // the city is not the head's
    expect(detail.cadres.map((c) => c.staffNo)).toEqual(["SF2000", "SF10011"]); // higher rank first
    const full = await getUnit(db, admin.scope, unitA.id);
    expect(full.breadcrumbs.map((b) => b.id)).toEqual([city.id]);
    expect(full.head?.id).toBe(people.zhang!.id);
    expect(full.children.map((c) => c.id)).toEqual([unitA1.id]);
    expect(full.subtreeCadres).toBe(3);
    await expect(getUnit(db, headOfA.scope, unitB.id)).rejects.toMatchObject({ label: "not_found" });
    await expect(getUnit(db, admin.scope, 999_999)).rejects.toMatchObject({ label: "not_found" });
  });
});

describe("cadre search", () => {
  const staffNos = async (scope: CurrentUser["scope"], filter: Parameters<typeof searchCadres>[2]) =>
    (await searchCadres(db, scope, filter)).rows.map((r) => r.staffNo);

  it("matches a name fragment, names starting with it first", async () => {
    expect(await staffNos(admin.scope, { q: "张" })).toEqual(["SF1001", "SF2000"]);
  });

  it("matches a staff number from its start, ignoring case, with the exact one first", async () => {
    expect(await staffNos(admin.scope, { q: "sf1001" })).toEqual(["SF1001", "SF10011"]);
    expect(await staffNos(admin.scope, { q: "1001" })).toEqual([]); // a prefix, not a fragment
  });

  it("matches pinyin initials, with 曾 read as a surname", async () => {
    expect(await staffNos(admin.scope, { q: "zs" })).toEqual(["SF1001"]);
    expect(await staffNos(admin.scope, { q: "ZGF" })).toEqual(["SF10011"]);
  });

  it("treats LIKE wildcards in the query as text", async () => {
    expect(await staffNos(admin.scope, { q: "%" })).toEqual([]);
    expect(await staffNos(admin.scope, { q: "SF_0" })).toEqual([]);
  });

  it("filters by minimum rank, exact rank, status and unit with its sub-units", async () => {
    expect(await staffNos(admin.scope, { minRank: "deputy_section" })).toEqual(["SF2000", "ORG001", "SF1001", "SF3000"]);
    expect(await staffNos(admin.scope, { rank: "staff" })).toEqual(["SF10011"]);
    expect(await staffNos(admin.scope, { unitId: unitA.id })).toEqual(["SF2000", "SF1001", "SF10011"]);
    expect(await staffNos(admin.scope, { unitId: unitA.id, status: "any" })).toContain("SF4000");
    expect(await staffNos(admin.scope, { status: "retired" })).toEqual(["SF4000"]);
  });

  it("stays inside the caller's scope whatever the filters say", async () => {
    expect(await staffNos(headOfA.scope, { q: "李" })).toEqual([]);
    expect(await staffNos(headOfA.scope, { unitId: unitB.id })).toEqual([]);
    expect(await staffNos(headOfA.scope, {})).toEqual(["SF2000", "SF1001", "SF10011"]);
    expect(await staffNos(liaisonOfB.scope, {})).toEqual(["SF3000"]);
  });

  it("pages with a total", async () => {
    const result = await searchCadres(db, admin.scope, { page: 2 });
    expect(result.total).toBe(5);
    expect(result.rows).toEqual([]);
    expect(result.pageCount).toBe(1);
  });
});

describe("unit changes", () => {
  it("creates a unit, audited; a taken code (in any case) is a field error", async () => {
    const unit = await orgUnits.createUnit(db, admin, { code: "C", name: "市商务局", kind: "department", parentId: city.id });
    expect((await auditsFor("unit.created", unit.id))[0]!.after).toMatchObject({ code: "C", parentId: city.id });
    await expect(orgUnits.createUnit(db, admin, { code: "c", name: "重复", kind: "department", parentId: null })).rejects.toMatchObject({
      label: "invalid",
      messageKey: "organization.errors.codeTaken",
      options: { field: "code" },
    });
  });

  it("shows a code clash beside the field through the route and creates nothing", async () => {
    const before = await db.select().from(units);
    const res = await callRoute<any>(
      unitNew.action,
      makeRequest("/units/new", { cookie: adminCookie, form: { code: "A", name: "重复", kind: "department", parentId: "" } }),
    );
    expect(res.status).toBe(400);
    expect(res.data.errors.code[0].key).toBe("organization.errors.codeTaken");
    const bad = await callRoute<any>(
      unitNew.action,
      makeRequest("/units/new", { cookie: adminCookie, form: { code: "", name: "", kind: "castle", parentId: "x" } }),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data.errors).sort()).toEqual(["code", "kind", "name", "parentId"]);
    expect(await db.select().from(units)).toHaveLength(before.length);
  });

  it("refuses a parent that is the unit itself or below it", async () => {
    const base = { code: "A", name: "市教育局", kind: "department" as const, headCadreId: people.zhang!.id };
    for (const parentId of [unitA.id, unitA1.id]) {
      await expect(orgUnits.updateUnit(db, admin, unitA.id, { ...base, parentId })).rejects.toMatchObject({
        messageKey: "organization.errors.parentCycle",
        options: { field: "parentId" },
      });
    }
    await expect(orgUnits.updateUnit(db, admin, unitA.id, { ...base, parentId: 999_999 })).rejects.toMatchObject({
      messageKey: "organization.errors.parentMissing",
    });
    const [row] = await db.select().from(units).where(eq(units.id, unitA.id));
    expect(row!.parentId).toBe(city.id);
  });

  it("takes a head only among the unit's active cadres", async () => {
    const base = { code: "B", name: "市财政局", kind: "department" as const, parentId: city.id };
    for (const headCadreId of [people.zhang!.id, people.retired!.id]) {
      const unitId = headCadreId === people.retired!.id ? unitA.id : unitB.id;
      const values = unitId === unitA.id ? { ...base, code: "A", name: "市教育局" } : base;
      await expect(orgUnits.updateUnit(db, admin, unitId, { ...values, headCadreId })).rejects.toMatchObject({
        messageKey: "organization.errors.headNotMember",
        options: { field: "headCadreId" },
      });
    }
    await orgUnits.updateUnit(db, admin, unitB.id, { ...base, name: "市财政局（新）", headCadreId: people.li!.id });
    const [audit] = await auditsFor("unit.updated", unitB.id);
    expect(audit!.before).toEqual({ name: "市财政局", headCadreId: null });
    expect(audit!.after).toEqual({ name: "市财政局（新）", headCadreId: people.li!.id });
    // Restore, so the other tests see B as they expect.
    await orgUnits.updateUnit(db, admin, unitB.id, { ...base, headCadreId: null });
  });

  it("adds a liaison by staff number and removes one, both audited", async () => {
    await orgUnits.addUnitLiaison(db, admin, unitA1.id, { staffNo: "sf2000" });
    await expect(orgUnits.addUnitLiaison(db, admin, unitA1.id, { staffNo: "SF2000" })).rejects.toMatchObject({
      messageKey: "organization.errors.alreadyLiaison",
    });
    await expect(orgUnits.addUnitLiaison(db, admin, unitA1.id, { staffNo: "NOPE" })).rejects.toMatchObject({
      messageKey: "organization.errors.staffNoUnknown",
      options: { field: "staffNo" },
    });
    await expect(orgUnits.addUnitLiaison(db, admin, unitA1.id, { staffNo: "SF4000" })).rejects.toMatchObject({
      messageKey: "organization.errors.liaisonInactive",
    });
    expect((await auditsFor("unit.liaison_added", unitA1.id))[0]!.after).toMatchObject({ staffNo: "SF2000" });
    await orgUnits.removeUnitLiaison(db, admin, unitA1.id, { cadreId: people.wang!.id });
    expect(await auditsFor("unit.liaison_removed", unitA1.id)).toHaveLength(1);
    expect(await db.select().from(unitLiaisons).where(eq(unitLiaisons.unitId, unitA1.id))).toEqual([]);
  });

  it("lets no one but an org admin change units, whatever calls the service", async () => {
    await expect(orgUnits.createUnit(db, headOfA, { code: "X", name: "X", kind: "other", parentId: null })).rejects.toMatchObject({
      label: "forbidden",
    });
    await expect(orgUnits.addUnitLiaison(db, headOfA, unitA.id, { staffNo: "SF2000" })).rejects.toMatchObject({ label: "forbidden" });
  });

  it("adds a liaison through the edit route and reports a bad staff number beside the field", async () => {
    const ok = await callRoute<any>(
      unitEdit.action,
      makeRequest(`/units/${unitA.id}/edit`, { cookie: adminCookie, form: { intent: "addLiaison", staffNo: "SF10011" } }),
      { unitId: String(unitA.id) },
    );
    expect(ok.data).toEqual({ ok: true, message: "organization.units.liaisonAdded" });
    const bad = await callRoute<any>(
      unitEdit.action,
      makeRequest(`/units/${unitA.id}/edit`, { cookie: adminCookie, form: { intent: "addLiaison", staffNo: "" } }),
      { unitId: String(unitA.id) },
    );
    expect(bad.data.errors.staffNo).toEqual(["validation.required"]);
    await orgUnits.removeUnitLiaison(db, admin, unitA.id, { cadreId: people.zeng!.id });
  });
});

describe("cadre changes", () => {
  const values = (overrides: Partial<Parameters<typeof updateCadre>[3]> = {}) => ({
    name: "曾国藩",
    rank: "staff" as const,
    title: undefined,
    email: "sf10011@test.luoshi.local",
    phone: undefined,
    status: "active" as const,
    ...overrides,
  });

  it("updates the record, recomputes the initials and audits only what changed", async () => {
    await updateCadre(db, admin, people.zeng!.id, values({ name: "单田芳", rank: "deputy_section", phone: "138 0000 0000" }));
    const [row] = await db.select().from(cadres).where(eq(cadres.id, people.zeng!.id));
    expect(row).toMatchObject({ name: "单田芳", nameInitials: "stf", rank: "deputy_section", phone: "138 0000 0000" });
    const [audit] = await auditsFor("cadre.updated", people.zeng!.id);
    expect(audit!.before).toEqual({ name: "曾国藩", rank: "staff", phone: null });
    // A new rank starts a term today (no date given): the audit says from when.
    expect(audit!.after).toEqual({ name: "单田芳", rank: "deputy_section", phone: "138 0000 0000", since: { rank: todayInShanghai() } });
    // Put back the same day: the day's term takes the old rank again and joins the one before.
    await updateCadre(db, admin, people.zeng!.id, values());
    const terms = await db
      .select()
      .from(cadreTerms)
      .where(and(eq(cadreTerms.cadreId, people.zeng!.id), eq(cadreTerms.kind, "rank")));
    expect(terms).toEqual([]);
    expect((await db.select({ since: cadres.rankSince }).from(cadres).where(eq(cadres.id, people.zeng!.id)))[0]!.since).toBeNull();
  });

  it("refuses an email another cadre has, in any case, beside the field, changing nothing", async () => {
    await expect(updateCadre(db, admin, people.zeng!.id, values({ name: "改了", email: "LI.SI@example.cn" }))).rejects.toMatchObject({
      messageKey: "organization.errors.emailTaken",
      options: { field: "email" },
    });
    const res = await callRoute<any>(
      cadreEdit.action,
      makeRequest(`/cadres/${people.zeng!.id}/edit`, {
        cookie: adminCookie,
        form: { intent: "update", name: "改了", rank: "staff", title: "", email: "li.si@example.cn", phone: "", status: "active" },
      }),
      { cadreId: String(people.zeng!.id) },
    );
    expect(res.status).toBe(400);
    expect(res.data.errors.email[0].key).toBe("organization.errors.emailTaken");
    const [row] = await db.select().from(cadres).where(eq(cadres.id, people.zeng!.id));
    expect(row!.name).toBe("曾国藩");
  });

  it("refuses an email held by an account without a cadre", async () => {
    await createUser(db, { email: "it@example.cn" });
    await expect(updateCadre(db, admin, people.zeng!.id, values({ email: "it@example.cn" }))).rejects.toMatchObject({
      messageKey: "organization.errors.emailTaken",
    });
  });

  it("shows field errors for bad input and changes nothing", async () => {
    const before = await db.select().from(cadres).where(eq(cadres.id, people.zeng!.id));
    const res = await callRoute<any>(
      cadreEdit.action,
      makeRequest(`/cadres/${people.zeng!.id}/edit`, {
        cookie: adminCookie,
        form: { intent: "update", name: "", rank: "general", email: "not-an-email", phone: "call me", status: "gone" },
      }),
      { cadreId: String(people.zeng!.id) },
    );
    expect(res.status).toBe(400);
    expect(res.data.errors).toMatchObject({
      name: ["validation.required"],
      rank: ["validation.invalid"],
      email: ["validation.email"],
      phone: ["organization.validation.phone"],
      status: ["validation.invalid"],
    });
    expect(await db.select().from(cadres).where(eq(cadres.id, people.zeng!.id))).toEqual(before);
  });

  it("ends headship and liaison when a cadre retires", async () => {
    const unit = await createUnit(db, { parentId: city.id });
    const cadre = await createCadre(db, { unitId: unit.id, name: "退休者" });
    await makeHead(db, unit.id, cadre.id);
    await addLiaison(db, unitB.id, cadre.id);
    await updateCadre(db, admin, cadre.id, {
      name: "退休者",
      rank: "deputy_section",
      title: undefined,
      email: cadre.email!,
      status: "retired",
    });
    const [row] = await db.select().from(units).where(eq(units.id, unit.id));
    expect(row!.headCadreId).toBeNull();
    expect(await db.select().from(unitLiaisons).where(eq(unitLiaisons.cadreId, cadre.id))).toEqual([]);
    expect(await auditsFor("unit.head_cleared", unit.id)).toHaveLength(1);
  });
});

describe("transfer", () => {
  it("closes the open membership, opens a new one, moves the cadre, ends the old headship, and audits the reason", async () => {
    const unit = await createUnit(db, { code: "MOVE", parentId: city.id });
    const cadre = await createCadre(db, { unitId: unit.id, name: "调动者", since: "2021-03-01" });
    await makeHead(db, unit.id, cadre.id);
    await addLiaison(db, unit.id, cadre.id);
    await addLiaison(db, unitA.id, cadre.id); // liaison elsewhere stays

    await transferCadre(db, admin, cadre.id, { unitId: unitB.id, date: "2025-07-01", reason: "工作需要" }, { today: "2025-07-10" });

    const history = await db
      .select({ unitId: unitMemberships.unitId, startDate: unitMemberships.startDate, endDate: unitMemberships.endDate })
      .from(unitMemberships)
      .where(eq(unitMemberships.cadreId, cadre.id))
      .orderBy(unitMemberships.id);
    expect(history).toEqual([
      { unitId: unit.id, startDate: "2021-03-01", endDate: "2025-07-01" },
      { unitId: unitB.id, startDate: "2025-07-01", endDate: null },
    ]);
    const [moved] = await db.select().from(cadres).where(eq(cadres.id, cadre.id));
    expect(moved!.unitId).toBe(unitB.id);
    const [old] = await db.select().from(units).where(eq(units.id, unit.id));
    expect(old!.headCadreId).toBeNull();
    const liaisons = await db.select().from(unitLiaisons).where(eq(unitLiaisons.cadreId, cadre.id));
    expect(liaisons.map((l) => l.unitId)).toEqual([unitA.id]);
    const [audit] = await auditsFor("cadre.transferred", cadre.id);
    expect(audit).toMatchObject({
      actorUserId: admin.id,
      reason: "工作需要",
      before: { unitId: unit.id },
      after: { unitId: unitB.id, date: "2025-07-01" },
    });
    expect((await auditsFor("unit.head_cleared", unit.id))[0]!.reason).toBe("工作需要");

    // The record page shows the history with unit names.
    const record = await getCadre(db, admin.scope, cadre.id);
    expect(record.memberships.map((m) => [m.unitName, m.startDate, m.endDate])).toEqual([
      ["市财政局", "2025-07-01", null],
      [old!.name, "2021-03-01", "2025-07-01"],
    ]);
  });

  it("refuses a date not after the open membership's start, a future date, and the same unit; nothing changes", async () => {
    const cadre = await createCadre(db, { unitId: unitB.id, since: "2024-05-01" });
    const attempt = (date: string, unitId = unitA.id) =>
      transferCadre(db, admin, cadre.id, { unitId, date, reason: "r" }, { today: "2025-01-01" });
    await expect(attempt("2024-05-01")).rejects.toMatchObject({
      messageKey: "organization.errors.transferBeforeStart",
      options: { field: "date", params: { date: "2024-05-01" } },
    });
    await expect(attempt("2025-01-02")).rejects.toMatchObject({ messageKey: "organization.errors.transferInFuture" });
    await expect(attempt("2024-06-01", unitB.id)).rejects.toMatchObject({
      messageKey: "organization.errors.sameUnit",
      options: { field: "unitId" },
    });
    await expect(attempt("2024-06-01", 999_999)).rejects.toMatchObject({ messageKey: "organization.errors.unitMissing" });
    const history = await db.select().from(unitMemberships).where(eq(unitMemberships.cadreId, cadre.id));
    expect(history).toHaveLength(1);
    expect(history[0]!.endDate).toBeNull();
    expect(await auditsFor("cadre.transferred", cadre.id)).toEqual([]);
  });

  it("needs a reason and a unit through the route, and redirects to the record when done", async () => {
    const cadre = await createCadre(db, { unitId: unitB.id });
    const path = `/cadres/${cadre.id}/edit`;
    const params = { cadreId: String(cadre.id) };
    const bad = await callRoute<any>(
      cadreEdit.action,
      makeRequest(path, { cookie: adminCookie, form: { intent: "transfer", unitId: "", date: "2025-02-30", reason: " " } }),
      params,
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toEqual({
      unitId: ["validation.required"],
      date: ["validation.date"],
      reason: ["validation.reasonRequired"],
    });
    const ok = await callRoute(
      cadreEdit.action,
      makeRequest(path, {
        cookie: adminCookie,
        form: { intent: "transfer", unitId: String(unitA1.id), date: "2025-02-28", reason: "轮岗" },
      }),
      params,
    );
    expect(ok.status).toBe(302);
    expect(ok.location).toBe(`/cadres/${cadre.id}?done=transferred`);
    const [moved] = await db.select().from(cadres).where(eq(cadres.id, cadre.id));
    expect(moved!.unitId).toBe(unitA1.id);
  });
});

describe("cadre record", () => {
  it("shows account status and must-change-password", async () => {
    const none = await getCadre(db, admin.scope, people.wang!.id);
    expect(none.account).toEqual({ status: "none", mustChangePassword: false, lastLoginAt: null });
    const cadre = await createCadre(db, { unitId: unitB.id });
    await createUser(db, { cadreId: cadre.id, disabled: false, mustChangePassword: true });
    const enabled = await getCadre(db, admin.scope, cadre.id);
    expect(enabled.account).toMatchObject({ status: "enabled", mustChangePassword: true });
    const disabledCadre = await createCadre(db, { unitId: unitB.id });
    await createUser(db, { cadreId: disabledCadre.id });
    expect((await getCadre(db, admin.scope, disabledCadre.id)).account.status).toBe("disabled");
  });

  it("is the cadre's own to see, or their head's, and nobody else's", async () => {
    const zeng = await asUser(people.zeng!.id);
    await expect(getCadre(db, zeng.scope, people.zeng!.id)).resolves.toBeTruthy();
    await expect(getCadre(db, zeng.scope, people.wang!.id)).rejects.toMatchObject({ label: "not_found" });
    await expect(getCadre(db, headOfA.scope, people.zeng!.id)).resolves.toBeTruthy();
    await expect(getCadre(db, headOfA.scope, people.li!.id)).rejects.toMatchObject({ label: "not_found" });
  });
});
