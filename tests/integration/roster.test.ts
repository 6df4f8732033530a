import { readdirSync, readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import runPerson from "~/cli/commands/person";
import { trainingHoursLedger } from "~/modules/attendance/reports/figures.server";
import { DEFAULT_ATTENDANCE_RULES } from "~/modules/attendance/rules";
import { audienceCadresOn } from "~/modules/classes/enrolment.server";
import { quotaStanding } from "~/modules/frontline/days.server";
import { DEFAULT_FRONTLINE_RULES } from "~/modules/frontline/rules";
import { applyImport, previewImport } from "~/modules/imports/service.server";
import * as cadreList from "~/routes/cadres._index";
import * as cadrePage from "~/routes/cadres.$cadreId";
import * as cadreEdit from "~/routes/cadres.$cadreId_.edit";
import * as cadreForm from "~/routes/cadres.$cadreId_.form";
import * as cadreExport from "~/routes/cadres.export";
import { auditLog, cadres, cadreTerms } from "~db/schema";
import { addLiaison, changeCadre, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;
const everything = { all: true, unitIds: [], cadreId: null };

const people: Record<string, { id: number; cookie: string; userId: number }> = {};
let adminCookie: string;
let city: number;
let bureau: number;
let other: number;

const ROSTER = {
  gender: "female" as const,
  ethnicity: "03",
  birthDate: "1980-05-01",
  nativePlace: "山东青岛",
  politicalStatus: "01",
  education: "10",
  degree: "master" as const,
  workStartDate: "2002-07-01",
};

beforeAll(async () => {
  city = (await createUnit(db, { code: "RS-CITY" })).id;
  bureau = (await createUnit(db, { code: "RS-BUR", name: "花名册局", parentId: city })).id;
  other = (await createUnit(db, { code: "RS-OTH", name: "别的局" })).id;
  const admin = await createUser(db, { password: "admin-password", roles: ["org_admin"] });
  adminCookie = await cookieFor(db, admin.id);
  const make = async (key: string, unitId: number, extra: Record<string, unknown> = {}) => {
    const cadre = await createCadre(db, { unitId, staffNo: `RS-${key}`, name: `花${key}`, rank: "section", rankSince: "2020-03-01" });
    await db
      .update(cadres)
      .set({ ...ROSTER, ...extra })
      .where(eq(cadres.id, cadre.id));
    const user = await createUser(db, { cadreId: cadre.id, password: "cadre-password" });
    people[key] = { id: cadre.id, userId: user.id, cookie: await cookieFor(db, user.id) };
  };
  await make("cityhead", city);
  await make("head", bureau);
  await make("liaison", bureau, { gender: "male" });
  await make("member", bureau, { birthDate: "1990-01-01", education: "20", politicalStatus: "13" });
  await make("stranger", other);
  await makeHead(db, city, people.cityhead!.id);
  await makeHead(db, bureau, people.head!.id);
  await addLiaison(db, bureau, people.liaison!.id);
  // The cookies were made before the roles: new sessions see them.
  for (const key of Object.keys(people)) people[key]!.cookie = await cookieFor(db, people[key]!.userId);
});

describe("who sees the roster's personal fields", () => {
  const page = (cookie: string, id: number) =>
    callRoute<any>(cadrePage.loader, makeRequest(`/cadres/${id}`, { cookie }), { cadreId: String(id) });
  const form = (cookie: string, id: number) =>
    callRoute<any>(cadreForm.loader, makeRequest(`/cadres/${id}/form`, { cookie }), { cadreId: String(id) });

  it("the organization department, the heads of the unit and the units above it, and the cadre themselves", async () => {
    const member = people.member!.id;
    for (const cookie of [adminCookie, people.head!.cookie, people.cityhead!.cookie, people.member!.cookie]) {
      const res = await page(cookie, member);
      expect(res.status).toBe(200);
      expect(res.data.roster).toMatchObject({ birthDate: "1990-01-01", education: "20", politicalStatus: "13" });
    }
  });

  it("not a liaison, though they see the record; nobody else sees the record at all", async () => {
    const res = await page(people.liaison!.cookie, people.member!.id);
    expect(res.status).toBe(200);
    expect(res.data.roster).toBeNull();
    expect(JSON.stringify(res.data)).not.toContain("1990-01-01");
    expect((await page(people.stranger!.cookie, people.member!.id)).status).toBe(404);
  });

  it("prints the 任免审批表 for the department and heads, not for liaisons or the cadre themselves", async () => {
    const member = people.member!.id;
    const printed = await form(adminCookie, member);
    expect(printed.status).toBe(200);
    expect(printed.data).toMatchObject({ cadre: { name: "花member", rankSince: "2020-03-01" }, roster: { education: "20" } });
    expect(printed.data.resume.at(-1)).toMatchObject({ to: null, unit: "花名册局" });
    expect((await form(people.head!.cookie, member)).status).toBe(200);
    expect((await form(people.liaison!.cookie, member)).status).toBe(403);
    expect((await form(people.member!.cookie, member)).status).toBe(403);
    expect((await form(people.stranger!.cookie, member)).status).toBe(404);
  });

  it("filters the list by roster fields only where the viewer may see them", async () => {
    const list = (cookie: string, query: string) =>
      callRoute<any>(cadreList.loader, makeRequest(`/cadres?status=active&${query}`, { cookie }));
    const names = (res: { data?: { rows: { name: string }[] } }) => res.data!.rows.map((r) => r.name).sort();
    expect(names(await list(adminCookie, "q=花&gender=female"))).toEqual(["花cityhead", "花head", "花member", "花stranger"]);
    expect(names(await list(adminCookie, "q=花&ageMax=40"))).toEqual(["花member"]);
    expect(names(await list(adminCookie, "q=花&education=20&party=13"))).toEqual(["花member"]);
    expect(names(await list(adminCookie, "q=花&party=cpc&ageMin=40"))).toEqual(["花cityhead", "花head", "花liaison", "花stranger"]);
    expect(names(await list(adminCookie, "q=花&rankYears=5"))).toEqual(["花cityhead", "花head", "花liaison", "花member", "花stranger"]);
    expect(names(await list(adminCookie, "q=花&rankYears=20"))).toEqual([]);
    const forHead = await list(people.head!.cookie, "q=花&gender=female");
    expect(forHead.data.rosterFilters).toBe(true);
    expect(names(forHead)).toEqual(["花head", "花member"]);
    // A liaison filtering by a personal field learns nothing of the others.
    const forLiaison = await list(people.liaison!.cookie, "q=花&gender=female");
    expect(forLiaison.data.rosterFilters).toBe(false);
    expect(names(forLiaison)).toEqual([]);
    // Their list shows no one's personal fields but their own.
    const rows = (await list(people.liaison!.cookie, "q=花")).data.rows as { name: string; birthDate: string | null }[];
    expect(rows.filter((r) => r.birthDate !== null).map((r) => r.name)).toEqual(["花liaison"]);
  });
});

describe("editing the roster", () => {
  const post = (form: Record<string, string>, id = people.member!.id) =>
    callRoute<any>(cadreEdit.action, makeRequest(`/cadres/${id}/edit`, { cookie: adminCookie, form: { intent: "update", ...form } }), {
      cadreId: String(id),
    });
  const base = {
    name: "花member",
    rank: "section",
    title: "",
    email: "",
    phone: "",
    status: "active",
    gender: "female",
    ethnicity: "03",
    birthDate: "1990-01-01",
    nativePlace: "山东青岛",
    politicalStatus: "13",
    education: "20",
    degree: "master",
    workStartDate: "2002-07-01",
  };

  it("refuses what is not on the code lists or not a date, beside the field, changing nothing", async () => {
    const res = await post({ ...base, ethnicity: "99", education: "大学", birthDate: "1990-13-01", gender: "x" });
    expect(res.status).toBe(400);
    expect(Object.keys(res.data.errors).sort()).toEqual(["birthDate", "education", "ethnicity", "gender"]);
    const future = await post({ ...base, workStartDate: "2999-01-01" });
    expect(future.data.errors.workStartDate[0].key).toBe("roster.errors.dateInFuture");
    expect((await db.select().from(cadres).where(eq(cadres.id, people.member!.id)))[0]!.ethnicity).toBe("03");
  });

  it("records a promotion from its date, corrects when the rank began, and refuses a date before the current one", async () => {
    const member = people.member!.id;
    expect((await post({ ...base, rank: "deputy_county", rankSince: "2025-07-01" })).status).toBe(302);
    const terms = await db.select().from(cadreTerms).where(eq(cadreTerms.cadreId, member));
    expect(terms.map((t) => [t.kind, t.rank, t.startDate, t.endDate])).toEqual([["rank", "section", "2020-03-01", "2025-07-01"]]);
    const [row] = await db.select().from(cadres).where(eq(cadres.id, member));
    expect(row).toMatchObject({ rank: "deputy_county", rankSince: "2025-07-01" });
    // The rank began earlier than entered: correct it; the term before ends there too.
    expect((await post({ ...base, rank: "deputy_county", rankSince: "2025-06-15" })).status).toBe(302);
    expect((await db.select().from(cadreTerms).where(eq(cadreTerms.cadreId, member)))[0]!.endDate).toBe("2025-06-15");
    const before = await post({ ...base, rank: "county", rankSince: "2025-01-01" });
    expect(before.data.errors.rankSince[0]).toEqual({ key: "roster.errors.beforeStart", params: { date: "2025-06-15" } });
    const notAfter = await post({ ...base, rank: "deputy_county", rankSince: "2019-01-01" });
    expect(notAfter.data.errors.rankSince[0]).toEqual({ key: "roster.errors.notAfterStart", params: { date: "2020-03-01" } });
  });

  it("keeps personal values out of the audit log: it names the fields that changed", async () => {
    await post({ ...base, rank: "deputy_county", rankSince: "2025-06-15", birthDate: "1991-02-01", nativePlace: "河北保定" });
    const entries = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(people.member!.id)));
    const text = JSON.stringify(entries);
    expect(text).not.toContain("1991-02-01");
    expect(text).not.toContain("河北保定");
    expect(entries.at(-1)!.after).toMatchObject({ personalFieldsChanged: ["birthDate", "nativePlace"] });
  });
});

describe("the roster's export", () => {
  it("gives the department an .xlsx in the import's columns that imports back without a change", async () => {
    const res = (await cadreExport.loader({
      request: makeRequest("/cadres/export?q=花&status=active", { cookie: adminCookie }),
      params: {},
      context: {},
    })) as Response;
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(["工号", "姓名", "单位编码", "单位", "职级"]);
    const stranger = (sheet.getRow(6).values as unknown[]).slice(1);
    expect(stranger.slice(0, 5)).toEqual(["RS-stranger", "花stranger", "RS-OTH", "别的局", "正科级"]);
    const back = await previewImport(db, { userId: null }, { kind: "cadres", fileName: "roster.xlsx", bytes }, { scope: everything });
    expect(back.ok && back.summary.errors).toEqual([]);
    expect(back.ok && back.summary.counts).toMatchObject({ rows: 5, unchanged: 5, update: 0, create: 0 });
    if (back.ok) await applyImport(db, { userId: null }, back.batchId);
  });

  it("is not for liaisons or cadres", async () => {
    for (const cookie of [people.liaison!.cookie, people.member!.cookie]) {
      expect((await callRoute(cadreExport.loader, makeRequest("/cadres/export", { cookie }))).status).toBe(403);
    }
  });
});

describe("one person's data, for them", () => {
  it("exports everything kept about a cadre, audits that it did, and refuses an unknown staff number", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const path = `/tmp/luoshi-person-${process.pid}.json`;
    const code = await runPerson(["export", "RS-member", "--out", path], { db, out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(0);
    const data = JSON.parse(readFileSync(path, "utf8"));
    expect(data.staffNo).toBe("RS-member");
    expect(data.cadre[0]).toMatchObject({ name: "花member", native_place: "河北保定", birth_date: "1991-02-01" });
    for (const section of [
      "memberships",
      "terms",
      "accounts",
      "classes",
      "attendance",
      "frontline",
      "assessments",
      "rankings",
      "nominations",
      "audit",
    ]) {
      expect(Array.isArray(data[section])).toBe(true);
    }
    expect(data.terms[0]).toMatchObject({ kind: "rank", rank: "section" });
    expect(JSON.stringify(data.accounts)).not.toContain("password");
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "person.exported"));
    expect(entry).toMatchObject({ actorLabel: "cli", entityId: String(people.member!.id) });
    const xlsx = await runPerson(["export", "RS-member", "--format", "xlsx", "--out", `${path}.xlsx`], {
      db,
      out: () => {},
      err: () => {},
    });
    expect(xlsx).toBe(0);
    expect(await runPerson(["export", "NOBODY"], { db, out: () => {}, err: (s) => err.push(s) })).toBe(1);
    expect(err.at(-1)).toContain("NOBODY");
  });
});

describe("rules on a past date read the rank and status of that date", () => {
  it("holds a cadre to the quota of the rank they had at each month's end, and only while active", async () => {
    const unit = await createUnit(db, { code: "RS-Q" });
    const c = await createCadre(db, { unitId: unit.id, rank: "section", staffNo: "RS-QUOTA" });
    await changeCadre(db, c.id, { rank: "deputy_county" }, "2026-03-15");
    await changeCadre(db, c.id, { status: "retired" }, "2026-05-10");
    const rows = await quotaStanding(db, {
      cadreIds: [c.id],
      fromMonth: "2026-02",
      toMonth: "2026-05",
      today: "2026-06-30",
      rules: DEFAULT_FRONTLINE_RULES,
    });
    expect(rows.map((r) => [r.month, r.quota])).toEqual([
      ["2026-03", 5],
      ["2026-04", 5],
    ]);
  });

  it("asks for the hours of the band the cadre was in at the year's end", async () => {
    const unit = await createUnit(db, { code: "RS-H" });
    const c = await createCadre(db, { unitId: unit.id, rank: "section", staffNo: "RS-HOURS" });
    await changeCadre(db, c.id, { rank: "deputy_county" }, "2026-02-01");
    const ledger2025 = await trainingHoursLedger(db, 2025, { rules: DEFAULT_ATTENDANCE_RULES, cadreIds: [c.id] });
    const ledger2026 = await trainingHoursLedger(db, 2026, { rules: DEFAULT_ATTENDANCE_RULES, cadreIds: [c.id] });
    expect(ledger2025.get(c.id)).toMatchObject({ rank: "section", required: DEFAULT_ATTENDANCE_RULES.yearlyHours.section });
    expect(ledger2026.get(c.id)).toMatchObject({ rank: "deputy_county", required: DEFAULT_ATTENDANCE_RULES.yearlyHours.leading });
  });

  it("names a past audience by the rank, unit and status of the day, leaving out who joined later", async () => {
    const a = await createUnit(db, { code: "RS-A" });
    const b = await createUnit(db, { code: "RS-B" });
    const promoted = await createCadre(db, { unitId: a.id, rank: "staff", staffNo: "RS-AUD1", since: "2020-01-01" });
    await changeCadre(db, promoted.id, { rank: "deputy_section" }, "2026-04-01");
    await createCadre(db, { unitId: a.id, rank: "section", staffNo: "RS-AUD2", since: "2020-01-01" });
    await createCadre(db, { unitId: a.id, rank: "section", staffNo: "RS-AUD3", since: "2026-05-01" });
    const retired = await createCadre(db, { unitId: b.id, rank: "section", staffNo: "RS-AUD4", since: "2020-01-01" });
    await changeCadre(db, retired.id, { status: "retired" }, "2026-04-15");
    const rule = { minRank: "deputy_section" as const, unitIds: [a.id, b.id], cadreIds: [], excludeCadreIds: [] };
    const ids = async (day: string) => (await audienceCadresOn(db, rule, day)).map((c) => c.staffNo).sort();
    expect(await ids("2026-03-20")).toEqual(["RS-AUD2", "RS-AUD4"]);
    expect(await ids("2026-04-20")).toEqual(["RS-AUD1", "RS-AUD2"]);
    expect(await ids("2026-05-20")).toEqual(["RS-AUD1", "RS-AUD2", "RS-AUD3"]);
  });

  it("joins a change put back the same day into the term before it", async () => {
    const unit = await createUnit(db, { code: "RS-J" });
    const c = await createCadre(db, { unitId: unit.id, rank: "staff", staffNo: "RS-JOIN", rankSince: "2019-01-01" });
    await changeCadre(db, c.id, { rank: "section" }, "2026-01-10");
    await changeCadre(db, c.id, { rank: "staff" }, "2026-01-10");
    expect(await db.select().from(cadreTerms).where(eq(cadreTerms.cadreId, c.id))).toEqual([]);
    expect((await db.select().from(cadres).where(eq(cadres.id, c.id)))[0]).toMatchObject({ rank: "staff", rankSince: "2019-01-01" });
  });
});

describe("the migration's history from the audit log", () => {
  it("rebuilds ended terms and the current starts from cadre.updated entries, the last change of a day kept", async () => {
    const unit = await createUnit(db, { code: "RS-M" });
    const c = await createCadre(db, { unitId: unit.id, rank: "county", staffNo: "RS-MIG", title: "局长" });
    const entry = (at: string, before: object, after: object) => ({
      at: new Date(at),
      action: "cadre.updated",
      entityType: "cadre",
      entityId: String(c.id),
      before,
      after,
    });
    await db
      .insert(auditLog)
      .values([
        entry("2024-03-01T02:00:00Z", { rank: "section" }, { rank: "deputy_county" }),
        entry("2025-05-10T02:00:00Z", { rank: "deputy_county", title: "副局长" }, { rank: "bureau", title: "局长" }),
        entry("2025-05-10T06:00:00Z", { rank: "bureau" }, { rank: "county" }),
        entry("2025-06-01T02:00:00Z", { rank: "nonsense" }, { rank: "county" }),
      ]);
    // By name, not number: migrations are renumbered when branches merge.
    const migrations = new URL("../../db/migrations/", import.meta.url);
    const file = readdirSync(migrations).find((f) => f.endsWith("_cadre_roster_and_import_files.sql"));
    const migration = readFileSync(new URL(file!, migrations), "utf8");
    const handWritten = migration.slice(migration.indexOf("-- Hand-written: every cadre's history")).split("--> statement-breakpoint");
    for (const statement of handWritten) await db.execute(sql.raw(statement));
    const terms = await db.select().from(cadreTerms).where(eq(cadreTerms.cadreId, c.id));
    expect(terms.map((t) => [t.kind, t.rank ?? t.title, t.startDate, t.endDate]).sort()).toEqual([
      ["post", "副局长", null, "2025-05-10"],
      ["rank", "deputy_county", "2024-03-01", "2025-05-10"],
      ["rank", "section", null, "2024-03-01"],
    ]);
    expect((await db.select().from(cadres).where(eq(cadres.id, c.id)))[0]).toMatchObject({
      rankSince: "2025-05-10",
      postSince: "2025-05-10",
    });
  });
});
