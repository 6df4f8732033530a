import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as accounts from "~/routes/admin.accounts._index";
import * as account from "~/routes/admin.accounts.$userId";
import * as newAccount from "~/routes/admin.accounts.new";
import * as auditPage from "~/routes/admin.audit";
import * as login from "~/routes/login";
import { auditLog, sessions, userRoles, users } from "~db/schema";
import { createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const { db } = await testDatabase();

let orgAdmin: string;
let sysAdmin: string;
let secAdmin: string;
let auditor: string;
let head: string;
let plain: string;
let closedUserId: number;

beforeAll(async () => {
  const unit = await createUnit(db, { name: "组织部" });
  const adminCadre = await createCadre(db, { unitId: unit.id });
  orgAdmin = await cookieFor(db, (await createUser(db, { cadreId: adminCadre.id, password: "pw-admin-1", roles: ["org_admin"] })).id);
  sysAdmin = await cookieFor(db, (await createUser(db, { email: "it@example.cn", password: "pw-it-0001", roles: ["system_admin"] })).id);
  secAdmin = await cookieFor(
    db,
    (await createUser(db, { email: "sec@example.cn", password: "pw-sec-0001", roles: ["security_admin"] })).id,
  );
  auditor = await cookieFor(db, (await createUser(db, { email: "audit@example.cn", password: "pw-aud-0001", roles: ["audit_admin"] })).id);
  const other = await createUnit(db, { name: "发改局" });
  const headCadre = await createCadre(db, { unitId: other.id });
  await makeHead(db, other.id, headCadre.id);
  head = await cookieFor(db, (await createUser(db, { cadreId: headCadre.id, password: "pw-head-1" })).id);
  const plainCadre = await createCadre(db, { unitId: other.id });
  plain = await cookieFor(db, (await createUser(db, { cadreId: plainCadre.id, password: "pw-plain-1" })).id);
  const closedCadre = await createCadre(db, { unitId: other.id, staffNo: "NEW001" });
  closedUserId = (await createUser(db, { cadreId: closedCadre.id })).id;
});

describe("who may manage accounts", () => {
  // 三员分立: accounts for the organization department and the system and security administrators; the
  // audit trail for the organization department and the audit administrator, never the other two.
  it.each([
    ["org admin", () => orgAdmin, 200, 200],
    ["system admin", () => sysAdmin, 200, 403],
    ["security admin", () => secAdmin, 200, 403],
    ["audit admin", () => auditor, 403, 200],
    ["unit head", () => head, 403, 403],
    ["cadre", () => plain, 403, 403],
  ])("%s → %s on the list and detail pages, %s on the audit page", async (_, cookie, status, auditStatus) => {
    expect((await callRoute(accounts.loader, makeRequest("/admin/accounts", { cookie: cookie() }))).status).toBe(status);
    expect(
      (
        await callRoute(account.loader, makeRequest(`/admin/accounts/${closedUserId}`, { cookie: cookie() }), {
          userId: String(closedUserId),
        })
      ).status,
    ).toBe(status);
    expect((await callRoute(auditPage.loader, makeRequest("/admin/audit", { cookie: cookie() }))).status).toBe(auditStatus);
  });

  it("refuses the bulk action to a unit head and changes nothing", async () => {
    const res = await callRoute(
      accounts.action,
      makeRequest("/admin/accounts", { cookie: head, form: { intent: "issue-otp", userIds: [String(closedUserId)] } }),
    );
    expect(res.status).toBe(403);
    const [row] = await db.select().from(users).where(eq(users.id, closedUserId));
    expect(row!.passwordHash).toBeNull();
  });

  it("only the security admin changes roles; only the system admin creates non-cadre accounts", async () => {
    for (const cookie of [orgAdmin, sysAdmin, auditor]) {
      const refused = await callRoute(
        account.action,
        makeRequest(`/admin/accounts/${closedUserId}`, { cookie, form: { intent: "roles", roles: "org_admin" } }),
        { userId: String(closedUserId) },
      );
      expect(refused.status).toBe(403);
    }
    expect(await db.select().from(userRoles).where(eq(userRoles.userId, closedUserId))).toHaveLength(0);
    expect((await callRoute(newAccount.loader, makeRequest("/admin/accounts/new", { cookie: orgAdmin }))).status).toBe(403);
    expect((await callRoute(newAccount.loader, makeRequest("/admin/accounts/new", { cookie: secAdmin }))).status).toBe(403);

    const bySecAdmin = await callRoute(
      account.action,
      makeRequest(`/admin/accounts/${closedUserId}`, { cookie: secAdmin, form: { intent: "roles", roles: "venue_staff" } }),
      { userId: String(closedUserId) },
    );
    expect(bySecAdmin.status).toBe(200);
    expect((await db.select().from(userRoles).where(eq(userRoles.userId, closedUserId))).map((r) => r.role)).toEqual(["venue_staff"]);
  });

  it("a non-numeric or unknown account id is 404", async () => {
    expect((await callRoute(account.loader, makeRequest("/admin/accounts/abc", { cookie: orgAdmin }), { userId: "abc" })).status).toBe(404);
    expect(
      (await callRoute(account.loader, makeRequest("/admin/accounts/999999", { cookie: orgAdmin }), { userId: "999999" })).status,
    ).toBe(404);
  });
});

describe("one-time passwords", () => {
  it("open a closed account, must be changed at first sign-in, and are audited without the password", async () => {
    const res = await callRoute<any>(
      accounts.action,
      makeRequest("/admin/accounts", { cookie: orgAdmin, form: { intent: "issue-otp", userIds: [String(closedUserId)] } }),
    );
    expect(res.status).toBe(200);
    const [issued] = res.data.issued;
    expect(issued.staffNo).toBe("NEW001");
    const signIn = await callRoute(login.action, makeRequest("/login", { form: { identifier: "NEW001", password: issued.password } }));
    expect(signIn.status).toBe(302);
    const [row] = await db.select().from(users).where(eq(users.id, closedUserId));
    expect(row!.mustChangePassword).toBe(true);
    expect(row!.disabled).toBe(false);
    const entries = await db.select().from(auditLog).where(eq(auditLog.action, "account.one_time_password_issued"));
    expect(JSON.stringify(entries)).not.toContain(issued.password);
  });

  it("asks for a selection", async () => {
    const res = await callRoute<any>(accounts.action, makeRequest("/admin/accounts", { cookie: orgAdmin, form: { intent: "issue-otp" } }));
    expect(res.status).toBe(400);
    expect(res.data.errors.userIds).toEqual(["admin.accounts.noneSelected"]);
  });
});

describe("disabling an account", () => {
  it("needs a reason, ends its sessions at once, and is audited with the reason", async () => {
    const unit = await createUnit(db);
    const cadre = await createCadre(db, { unitId: unit.id });
    const user = await createUser(db, { cadreId: cadre.id, password: "pw-victim-1" });
    const victim = await cookieFor(db, user.id);
    const noReason = await callRoute<any>(
      account.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: orgAdmin, form: { intent: "disable", reason: "" } }),
      { userId: String(user.id) },
    );
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toEqual(["validation.reasonRequired"]);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);

    const ok = await callRoute(
      account.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: orgAdmin, form: { intent: "disable", reason: "调离本市" } }),
      { userId: String(user.id) },
    );
    expect(ok.status).toBe(200);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    const home = await callRoute((await import("~/routes/_index")).loader, makeRequest("/", { cookie: victim }));
    expect(home.status).toBe(302);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "account.disabled"));
    expect(entry!.reason).toBe("调离本市");
    expect(entry!.entityId).toBe(String(user.id));
  });
});

describe("non-cadre accounts", () => {
  it("refuses an email already in use, beside the field", async () => {
    const res = await callRoute<any>(
      newAccount.action,
      makeRequest("/admin/accounts/new", { cookie: sysAdmin, form: { email: "IT@example.cn", displayName: "重复" } }),
    );
    expect(res.status).toBe(409);
    expect(res.data.errors.email[0].key).toBe("admin.accounts.emailTaken");
  });
});

describe("the audit log", () => {
  it("cannot be changed or deleted, even by the database owner", async () => {
    await expect(db.execute(sql`update audit_log set reason = 'x'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
  });

  it("filters by action for an org admin", async () => {
    const res = await callRoute<any>(auditPage.loader, makeRequest("/admin/audit?action=account.disabled", { cookie: orgAdmin }));
    expect(res.data.rows.length).toBeGreaterThan(0);
    expect(res.data.rows.every((r: { action: string }) => r.action.includes("account.disabled"))).toBe(true);
  });
});
