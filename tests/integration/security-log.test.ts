import { execFileSync } from "node:child_process";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sealLog, verifyLog } from "~/modules/audit/chain.server";
import { audit } from "~/modules/audit/service.server";
import { setAccountRoles } from "~/modules/auth/accounts.server";
import { recordSecurityEvent } from "~/modules/security/events.server";
import { separationOfDutiesConflicts, startupSecurityChecks } from "~/modules/security/startup.server";
import * as eventsPage from "~/routes/admin.security-events";
import * as eventsExport from "~/routes/admin.security-events_.export";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import { auditLog, securityEvents, userRoles } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const { db } = conn;
const unit = await createUnit(db, { name: "市委组织部" });
const auditor = await cookieFor(
  db,
  (await createUser(db, { email: "auditor-sl@example.cn", password: "Audit-pass-001", roles: ["audit_admin"] })).id,
);

/** Changes a row behind the app's back, as someone with the database's superuser rights could. */
async function tamper(statement: ReturnType<typeof sql>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe("the security log", () => {
  it("records sign-ins, failures with the reason, address and browser, and sign-outs", async () => {
    const cadre = await createCadre(db, { unitId: unit.id, staffNo: "SE1" });
    const user = await createUser(db, { cadreId: cadre.id, password: "Event-pass-001" });
    const request = (password: string) => {
      const r = makeRequest("/login", { form: { identifier: "se1", password } });
      r.headers.set("user-agent", "Mozilla/5.0 (Windows NT 10.0) Chrome/124.0");
      r.headers.set("x-luoshi-client-address", "203.0.113.5");
      return r;
    };
    await callRoute(login.action, request("wrong-one"));
    const ok = await callRoute(login.action, request("Event-pass-001"));
    const cookie = `luoshi_session=${/luoshi_session=([a-z2-7]+)/.exec(ok.headers.get("set-cookie") ?? "")?.[1]}`;
    await callRoute(logout.action, makeRequest("/logout", { cookie, method: "POST" }));
    const events = await db.select().from(securityEvents).where(eq(securityEvents.userId, user.id)).orderBy(securityEvents.id);
    expect(events.map((e) => [e.kind, e.reason])).toEqual([
      ["sign_in.failed", "wrong_password"],
      ["sign_in.succeeded", "password"],
      ["sign_out", null],
    ]);
    expect(events[0]).toMatchObject({ address: "203.0.113.5", identifier: "se1", userAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/124.0" });
  });

  it("records role grants and revocations", async () => {
    const target = await createUser(db, { email: "roles-sl@example.cn" });
    const admin = await createUser(db, { email: "sec-sl@example.cn", roles: ["security_admin"] });
    await setAccountRoles(db, { userId: admin.id }, target.id, ["venue_staff"]);
    await setAccountRoles(db, { userId: admin.id }, target.id, ["org_admin"]);
    const events = await db.select().from(securityEvents).where(eq(securityEvents.userId, target.id)).orderBy(securityEvents.id);
    expect(events.map((e) => [e.kind, (e.details as { role: string }).role, e.actorUserId])).toEqual([
      ["role.granted", "venue_staff", admin.id],
      ["role.granted", "org_admin", admin.id],
      ["role.revoked", "venue_staff", admin.id],
    ]);
  });

  it("is append-only: no update, no delete, no truncate, even for the database owner", async () => {
    await recordSecurityEvent(db, { kind: "sign_out", userId: 1 });
    await expect(db.execute(sql`update security_events set reason = 'x'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from security_events`)).rejects.toThrow();
    await expect(db.execute(sql`truncate security_events`)).rejects.toThrow();
    // Not even a prune of recent rows: the table itself keeps 180 days.
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`set local luoshi.log_prune = 'on'`);
        await tx.execute(sql`delete from security_events`);
      }),
    ).rejects.toThrow();
  });

  it("is read, filtered and exported by the audit admin", async () => {
    const page = await callRoute<any>(eventsPage.loader, makeRequest("/admin/security-events?kind=sign_in.failed", { cookie: auditor }));
    expect(page.status).toBe(200);
    expect(page.data.rows.length).toBeGreaterThan(0);
    expect(page.data.rows.every((r: { kind: string }) => r.kind === "sign_in.failed")).toBe(true);
    const file = await callRoute(
      eventsExport.loader,
      makeRequest("/admin/security-events/export?format=csv&outcome=failures", { cookie: auditor }),
    );
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("text/csv");
  });
});

describe("the hash chains", () => {
  it("verify, and report the first broken link after a row is edited through SQL", async () => {
    const actor = { userId: null, label: "cli" };
    for (let i = 0; i < 5; i++) {
      await audit(db, actor, {
        action: "unit.updated",
        entityType: "unit",
        entityId: i,
        before: { name: `旧${i}` },
        after: { name: `新${i}` },
      });
    }
    expect((await verifyLog(db, "audit_log")).broken).toBeNull();
    const rows = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, "unit.updated")).orderBy(auditLog.id);
    const victim = rows[2]!.id;
    await tamper(sql`update audit_log set after = '{"name":"篡改"}' where id = ${victim}`);
    const report = await verifyLog(db, "audit_log");
    expect(report.broken).toMatchObject({ id: victim, problem: "content_changed" });
    await tamper(sql`update audit_log set after = '{"name":"新2"}' where id = ${victim}`);
    expect((await verifyLog(db, "audit_log")).broken).toBeNull();
  });

  it("report a deleted row", async () => {
    await recordSecurityEvent(db, [
      { kind: "sign_out", userId: 7001 },
      { kind: "sign_out", userId: 7002 },
      { kind: "sign_out", userId: 7003 },
    ]);
    await sealLog(db, "security_events");
    const [middle] = await db.select().from(securityEvents).where(eq(securityEvents.userId, 7002));
    await tamper(sql`delete from security_events where id = ${middle!.id}`);
    const report = await verifyLog(db, "security_events");
    expect(report.broken?.problem).toBe("rows_missing");
    const [next] = await db.select().from(securityEvents).where(eq(securityEvents.userId, 7003));
    expect(report.broken?.id).toBe(next!.id);
  });

  it("`npm run luoshi -- audit verify` names the first broken link and exits 1", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const run = () => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, ["--import", "tsx", "app/cli/luoshi.ts", "audit", "verify", "--log", "audit_log"], {
            cwd: root,
            env: { ...process.env, DATABASE_URL: conn.url },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
          }),
        };
      } catch (error) {
        const e = error as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const good = run();
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/audit_log: OK, \d+ rows; head at position \d+: [0-9a-f]{64}/);
    const [row] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.action, "unit.updated"))
      .orderBy(auditLog.id)
      .limit(1);
    await tamper(sql`update audit_log set reason = '事后补写' where id = ${row!.id}`);
    const bad = run();
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`audit_log: BROKEN at row id ${row!.id}`);
    expect(bad.out).toContain("no longer matches its hash");
  }, 60_000);
});

describe("separation of duties (三员分立)", () => {
  it("the database refuses the audit role beside the system or security role", async () => {
    const user = await createUser(db, { email: "both-sl@example.cn", roles: ["system_admin"] });
    await expect(db.insert(userRoles).values({ userId: user.id, role: "audit_admin" })).rejects.toThrow();
    await expect(setAccountRoles(db, { userId: null, label: "cli" }, user.id, ["system_admin", "audit_admin"])).rejects.toMatchObject({
      messageKey: "admin.accounts.dutiesConflict",
    });
    expect((await db.select().from(userRoles).where(eq(userRoles.userId, user.id))).map((r) => r.role)).toEqual(["system_admin"]);
  });

  it("start-up finds accounts that break it in data written around the app, names them and refuses to start", async () => {
    const user = await createUser(db, { email: "old-both@example.cn", displayName: "旧数据", roles: ["security_admin"] });
    await tamper(sql`insert into user_roles (user_id, role) values (${user.id}, 'audit_admin')`);
    expect(await separationOfDutiesConflicts(db)).toEqual([{ userId: user.id, name: "旧数据", roles: ["security_admin", "audit_admin"] }]);
    await expect(startupSecurityChecks(db, { external: false, log: () => {} })).rejects.toThrow(/三员分立[\s\S]*旧数据/);
    await db.delete(userRoles).where(and(eq(userRoles.userId, user.id), eq(userRoles.role, "audit_admin")));
    await expect(startupSecurityChecks(db, { external: false, log: () => {} })).resolves.toBeUndefined();
  });
});
