import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { quickRanges } from "~/modules/audit/view";
import * as auditPage from "~/routes/admin.audit";
import * as auditExport from "~/routes/admin.audit_.export";
import * as unitEdit from "~/routes/units.$unitId_.edit";
import { auditLog } from "~db/schema";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { auditActorViolations, callRoute, cookieFor, makeRequest } from "../setup/routes";

const { db } = await testDatabase();

const city = await createUnit(db, { code: "CITY", name: "示范市", kind: "other" });
const orgDept = await createUnit(db, { code: "ZZB", name: "市委组织部", parentId: city.id });
const education = await createUnit(db, { code: "EDU", name: "市教育和体育局", parentId: city.id });
const deng = await createCadre(db, { unitId: orgDept.id, staffNo: "SF2024017", name: "邓敏伟", email: "dengmw@shifan.gov.cn" });
const dengUser = await createUser(db, { cadreId: deng.id, password: "Deng-pass-2026", roles: ["org_admin"] });
const dengCookie = await cookieFor(db, dengUser.id);
const head = await createCadre(db, { unitId: education.id, name: "韩刚" });
await makeHead(db, education.id, head.id);
const headUser = await createUser(db, { cadreId: head.id, password: "Han-pass-2026" });
const auditor = await cookieFor(
  db,
  (await createUser(db, { email: "auditor-at@example.cn", displayName: "郑丽", password: "Zheng-pass-2026", roles: ["audit_admin"] })).id,
);

const lastWeek = quickRanges().find((r) => r.key === "lastWeek")!;
const at = (date: string, time: string) => new Date(`${date}T${time}+08:00`);

// Rows as audit() writes them, dated last week and before (the log's times are when things happened).
await db.insert(auditLog).values([
  {
    at: at(lastWeek.from, "09:15:00"),
    actorUserId: dengUser.id,
    actorName: "邓敏伟",
    actorRoles: ["cadre", "org_admin"],
    actorUnits: "市委组织部",
    action: "unit.updated",
    entityType: "unit",
    entityId: String(education.id),
    before: { name: "市教育局" },
    after: { name: "市教育和体育局" },
  },
  {
    at: at(lastWeek.to, "23:30:00"),
    actorUserId: dengUser.id,
    actorName: "邓敏伟",
    actorRoles: ["cadre", "org_admin"],
    actorUnits: "市委组织部",
    action: "cadre.updated",
    entityType: "cadre",
    entityId: String(head.id),
    before: { title: "副局长" },
    after: { title: "局长" },
    reason: "任职调整",
  },
  {
    at: at(lastWeek.from, "00:00:00"),
    actorUserId: headUser.id,
    actorName: "韩刚",
    actorRoles: ["cadre", "unit_head"],
    actorUnits: "市教育和体育局",
    action: "class.leave.approved",
    entityType: "class_leave_request",
    entityId: "5",
    before: { status: "pending" },
    after: { status: "approved" },
  },
  // The Sunday before last week, late in the evening in Beijing (still that Sunday in UTC too).
  {
    at: new Date(at(lastWeek.from, "00:00:00").getTime() - 60_000),
    actorUserId: dengUser.id,
    actorName: "邓敏伟",
    actorRoles: ["cadre", "org_admin"],
    actorUnits: "市委组织部",
    action: "unit.created",
    entityType: "unit",
    entityId: "999",
  },
]);

describe("the audit trail, readable", () => {
  it("records the real actor by name, role and unit at the time", async () => {
    const res = await callRoute(
      unitEdit.action,
      makeRequest(`/units/${education.id}/edit`, {
        cookie: dengCookie,
        form: {
          intent: "update",
          code: "EDU",
          name: "示范市教育和体育局",
          kind: "department",
          parentId: String(city.id),
          headCadreId: String(head.id),
        },
      }),
      { unitId: String(education.id) },
    );
    expect(res.status).toBe(302);
    const [row] = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} = 'unit.updated' and ${auditLog.actorUserId} = ${dengUser.id}`)
      .orderBy(sql`id desc`)
      .limit(1);
    expect(row).toMatchObject({ actorName: "邓敏伟", actorUnits: "市委组织部" });
    expect(row!.actorRoles).toEqual(["org_admin", "cadre"]);
  });

  it("finds everything 邓敏伟 changed last week, by name, staff number or email, newest first", async () => {
    for (const person of ["邓敏伟", "sf2024017", "DENGMW@shifan.gov.cn"]) {
      const page = await callRoute<any>(
        auditPage.loader,
        makeRequest(`/admin/audit?person=${encodeURIComponent(person)}&from=${lastWeek.from}&to=${lastWeek.to}`, { cookie: auditor }),
      );
      expect(page.status).toBe(200);
      expect(
        page.data.rows.map((r: { action: string }) => r.action),
        person,
      ).toEqual(["cadre.updated", "unit.updated"]);
    }
  });

  it("filters by category and object, and ignores what does not fit", async () => {
    const byCategory = await callRoute<any>(auditPage.loader, makeRequest("/admin/audit?category=class", { cookie: auditor }));
    expect(byCategory.data.rows.map((r: { action: string }) => r.action)).toEqual(["class.leave.approved"]);
    const byObject = await callRoute<any>(
      auditPage.loader,
      makeRequest(`/admin/audit?entityType=cadre&entityId=${head.id}`, { cookie: auditor }),
    );
    expect(byObject.data.rows.map((r: { action: string }) => r.action)).toEqual(["cadre.updated"]);
    const nonsense = await callRoute<any>(
      auditPage.loader,
      makeRequest("/admin/audit?category=castle&from=2026-13-45&person=%00", { cookie: auditor }),
    );
    expect(nonsense.status).toBe(200);
    // The audit admin gets no links to pages they may not open; the organization department does.
    expect(byObject.data.links).toBe(false);
    expect((await callRoute<any>(auditPage.loader, makeRequest("/admin/audit", { cookie: dengCookie }))).data.links).toBe(true);
  });

  it("exports the same rows as CSV and XLSX, in words, with times in Beijing", async () => {
    const query = `person=${encodeURIComponent("邓敏伟")}&from=${lastWeek.from}&to=${lastWeek.to}`;
    const csv = await callRoute(auditExport.loader, makeRequest(`/admin/audit/export?${query}&format=csv`, { cookie: auditor }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("audit-log.csv");
    const res = await auditExport.loader({
      request: makeRequest(`/admin/audit/export?${query}&format=csv`, { cookie: auditor }),
      params: {},
      context: {},
    });
    const text = await res.text();
    const lines = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("操作人");
    expect(lines[1]).toContain("邓敏伟");
    expect(lines[1]).toContain("修改了单位信息");
    expect(lines[1]).toContain("名称: 市教育局 → 市教育和体育局");
    expect(lines[1]).toContain(`${lastWeek.from.replaceAll("-", "/")} 09:15`);
    expect(lines[2]).toContain("任职调整");

    const xlsx = await auditExport.loader({
      request: makeRequest(`/admin/audit/export?${query}&format=xlsx`, { cookie: auditor }),
      params: {},
      context: {},
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(String(sheet.getRow(3).getCell(5).value)).toBe("修改了干部信息");
  });
});

describe("every audited action a route performs records the real actor", () => {
  it("the suite's route helper catches a route that writes someone else as the actor", async () => {
    const before = auditActorViolations.length;
    const systemActs = async () => {
      await db
        .insert(auditLog)
        .values({ actorUserId: null, actorLabel: "system", action: "ranking.flag_resolved", entityType: "ranking_flag", entityId: "1" });
      return new Response(null, { status: 204 });
    };
    await expect(
      callRoute(systemActs, makeRequest("/rankings/flags", { cookie: dengCookie, form: { intent: "resolve" } })),
    ).rejects.toThrow(
      /Audit actor is not the real actor: POST \/rankings\/flags as user \d+ audited ranking\.flag_resolved \(actor system\)/,
    );
    expect(auditActorViolations.length).toBe(before + 1);
    auditActorViolations.pop();
  });
});
