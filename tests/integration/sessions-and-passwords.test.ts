import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { nightlyCleanup } from "~/modules/jobs/cleanup.server";
import * as home from "~/routes/_index";
import * as password from "~/routes/account.password";
import * as sessionsPage from "~/routes/account.sessions";
import * as accounts from "~/routes/admin.accounts._index";
import * as accountPage from "~/routes/admin.accounts.$userId";
import * as login from "~/routes/login";
import { auditLog, loginThrottles, securityEvents, sessions, settings, users } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const { db } = await testDatabase();
const unit = await createUnit(db, { name: "市委组织部" });
let seq = 0;
async function cadreAccount(
  options: { password?: string; roles?: ("org_admin" | "system_admin" | "security_admin")[]; disabled?: boolean } = {},
) {
  const n = ++seq;
  const cadre = await createCadre(db, { unitId: unit.id, staffNo: `SP${n}`, email: `sp${n}@example.cn`, name: `会${n}` });
  const user = await createUser(db, {
    cadreId: cadre.id,
    password: options.password ?? "Plain-pass-001",
    roles: options.roles,
    disabled: options.disabled,
  });
  return { user, staffNo: `SP${n}` };
}
const cookieOf = (res: { headers: Headers }) =>
  `luoshi_session=${/luoshi_session=([a-z2-7]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1]}`;
const orgAdmin = await cookieFor(db, (await cadreAccount({ roles: ["org_admin"] })).user.id);
const securityAdmin = await cookieFor(
  db,
  (await createUser(db, { email: "sec-sp@example.cn", password: "Sec-pass-0001", roles: ["security_admin"] })).id,
);

beforeEach(async () => {
  await db.delete(loginThrottles);
  await db.delete(settings).where(eq(settings.key, "security.policy"));
});

async function age(cookie: string, minutes: { lastSeen?: number; created?: number }) {
  const [{ id }] = (await db.select({ id: sessions.id }).from(sessions).orderBy(sql`created_at desc`).limit(1)) as [{ id: string }];
  void cookie;
  await db
    .update(sessions)
    .set({
      ...(minutes.lastSeen !== undefined ? { lastSeenAt: new Date(Date.now() - minutes.lastSeen * 60_000) } : {}),
      ...(minutes.created !== undefined ? { createdAt: new Date(Date.now() - minutes.created * 60_000) } : {}),
    })
    .where(eq(sessions.id, id));
}

describe("session limits per role", () => {
  it("ends an administrator's session after 30 idle minutes, and a cadre's not before 7 days", async () => {
    const admin = await cadreAccount({ roles: ["org_admin"] });
    const adminCookie = await cookieFor(db, admin.user.id);
    await age(adminCookie, { lastSeen: 31 });
    expect((await callRoute(home.loader, makeRequest("/", { cookie: adminCookie }))).location).toMatch(/^\/login/);
    const [ended] = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, admin.user.id), eq(securityEvents.kind, "session.ended")));
    expect(ended!.reason).toBe("idle_timeout");

    const cadre = await cadreAccount();
    const cadreCookie = await cookieFor(db, cadre.user.id);
    await age(cadreCookie, { lastSeen: 6 * 24 * 60 });
    expect((await callRoute(home.loader, makeRequest("/", { cookie: cadreCookie }))).status).toBe(200);
  });

  it("ends any session past the absolute limit however busy, and follows the security admin's policy", async () => {
    await db.insert(settings).values({ key: "security.policy", value: { otherSessionMaxHours: 2, adminIdleMinutes: 10 } });
    const cadre = await cadreAccount();
    const cookie = await cookieFor(db, cadre.user.id);
    await age(cookie, { created: 121, lastSeen: 0 });
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).location).toMatch(/^\/login/);
    const admin = await cadreAccount({ roles: ["org_admin"] });
    const adminCookie = await cookieFor(db, admin.user.id);
    await age(adminCookie, { lastSeen: 11 });
    expect((await callRoute(home.loader, makeRequest("/", { cookie: adminCookie }))).location).toMatch(/^\/login/);
  });
});

describe("one's own sign-ins", () => {
  it("lists them with device and address, ends one or all the others, never someone else's", async () => {
    const { user, staffNo } = await cadreAccount();
    const sign = (agent: string, address: string) => {
      const request = makeRequest("/login", { form: { identifier: staffNo, password: "Plain-pass-001" } });
      request.headers.set("user-agent", agent);
      request.headers.set("x-luoshi-client-address", address);
      return callRoute(login.action, request);
    };
    const phone = cookieOf(await sign("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0", "10.0.0.7"));
    const office = cookieOf(await sign("Mozilla/5.0 (Windows NT 10.0) Chrome/124.0 Safari/537.36", "10.0.0.8"));
    const laptop = cookieOf(await sign("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15", "10.0.0.9"));
    const list = await callRoute<any>(sessionsPage.loader, makeRequest("/account/sessions", { cookie: office }));
    expect(list.data.sessions).toHaveLength(3);
    expect(list.data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.data.sessions.map((s: { address: string }) => s.address).sort()).toEqual(["10.0.0.7", "10.0.0.8", "10.0.0.9"]);

    const phoneId = list.data.sessions.find((s: { address: string }) => s.address === "10.0.0.7").id;
    const one = await callRoute<any>(
      sessionsPage.action,
      makeRequest("/account/sessions", { cookie: office, form: { intent: "end", sessionId: phoneId } }),
    );
    expect(one.data.ended).toBe(1);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: phone }))).location).toMatch(/^\/login/);

    // Another person's session id does nothing.
    const stranger = await cadreAccount();
    const strangerCookie = await cookieFor(db, stranger.user.id);
    const [strangerSession] = await db.select().from(sessions).where(eq(sessions.userId, stranger.user.id));
    const none = await callRoute<any>(
      sessionsPage.action,
      makeRequest("/account/sessions", { cookie: office, form: { intent: "end", sessionId: strangerSession!.id } }),
    );
    expect(none.data.ended).toBe(0);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: strangerCookie }))).status).toBe(200);

    const rest = await callRoute<any>(
      sessionsPage.action,
      makeRequest("/account/sessions", { cookie: office, form: { intent: "end-others" } }),
    );
    expect(rest.data.ended).toBe(1);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: laptop }))).location).toMatch(/^\/login/);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: office }))).status).toBe(200);
    const events = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.kind, "session.ended")));
    expect(events.map((e) => e.reason)).toEqual(["signed_out_elsewhere", "signed_out_elsewhere"]);
  });

  it("the security admin ends every session of an account, with a reason, and lifts a lock", async () => {
    const { user, staffNo } = await cadreAccount();
    const victim = await cookieFor(db, user.id);
    const res = await callRoute(
      accountPage.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: securityAdmin, form: { intent: "end-sessions", reason: "疑似账号被盗用" } }),
      { userId: String(user.id) },
    );
    expect(res.status).toBe(200);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: victim }))).location).toMatch(/^\/login/);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "account.sessions_ended"), eq(auditLog.entityId, String(user.id))));
    expect(entry!.reason).toBe("疑似账号被盗用");

    for (let i = 0; i < 5; i++)
      await callRoute(login.action, makeRequest("/login", { form: { identifier: staffNo, password: `wrong-${i}` } }));
    expect(
      (await callRoute(login.action, makeRequest("/login", { form: { identifier: staffNo, password: "Plain-pass-001" } }))).status,
    ).toBe(429);
    const state = await callRoute<any>(accountPage.loader, makeRequest(`/admin/accounts/${user.id}`, { cookie: securityAdmin }), {
      userId: String(user.id),
    });
    expect(state.data.state.lockedUntil).not.toBeNull();
    const unlock = await callRoute(
      accountPage.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: securityAdmin, form: { intent: "unlock", reason: "本人来电核实" } }),
      { userId: String(user.id) },
    );
    expect(unlock.status).toBe(200);
    expect(
      (await callRoute(login.action, makeRequest("/login", { form: { identifier: staffNo, password: "Plain-pass-001" } }))).status,
    ).toBe(302);
  });
});

describe("the password policy on every change", () => {
  const change = (cookie: string, currentPassword: string, newPassword: string) =>
    callRoute<any>(
      password.action,
      makeRequest("/account/password", { cookie, form: { currentPassword, newPassword, confirmPassword: newPassword } }),
    );

  it("refuses a weak password with every reason beside the field, and logs the refusal", async () => {
    const { user, staffNo } = await cadreAccount();
    const cookie = await cookieFor(db, user.id);
    const res = await change(cookie, "Plain-pass-001", `${staffNo.toLowerCase()}password`);
    expect(res.status).toBe(400);
    expect(res.data.errors.newPassword.map((e: { key: string }) => e.key)).toEqual([
      "auth.policy.tooFewClasses",
      "auth.policy.contains.staffNo",
      "auth.policy.contains.email",
    ]);
    const [event] = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.kind, "password.refused")));
    expect(event!.reason).toBe("policy");
  });

  it("refuses any of the last five passwords", async () => {
    const { user } = await cadreAccount({ password: "History-pass-0" });
    const cookie = await cookieFor(db, user.id);
    let current = "History-pass-0";
    for (let i = 1; i <= 5; i++) {
      expect((await change(cookie, current, `History-pass-${i}`)).status).toBe(200);
      current = `History-pass-${i}`;
    }
    for (const old of ["History-pass-1", "History-pass-2", "History-pass-4"]) {
      const res = await change(cookie, current, old);
      expect(res.data.errors.newPassword[0].key, old).toBe("auth.policy.reused");
    }
    // Six changes ago is allowed again.
    expect((await change(cookie, current, "History-pass-0")).status).toBe(200);
  });

  it("expires an administrator's password after 90 days and sends them to change it; the demo password is exempt", async () => {
    const admin = await cadreAccount({ roles: ["org_admin"] });
    const cookie = await cookieFor(db, admin.user.id);
    await db
      .update(users)
      .set({ passwordChangedAt: new Date(Date.now() - 91 * 86_400_000) })
      .where(eq(users.id, admin.user.id));
    expect((await callRoute(home.loader, makeRequest("/units", { cookie }))).location).toBe(
      `/account/password?redirectTo=${encodeURIComponent("/units")}`,
    );
    const page = await callRoute<any>(password.loader, makeRequest("/account/password", { cookie }));
    expect(page.data.expired).toBe(true);
    expect((await change(cookie, "Plain-pass-001", "Renewed-pass-91")).status).toBe(200);
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(200);

    const cadre = await cadreAccount();
    await db
      .update(users)
      .set({ passwordChangedAt: new Date(Date.now() - 400 * 86_400_000) })
      .where(eq(users.id, cadre.user.id));
    expect((await callRoute(home.loader, makeRequest("/", { cookie: await cookieFor(db, cadre.user.id) }))).status).toBe(200);

    const demo = await cadreAccount({ roles: ["org_admin"] });
    await db
      .update(users)
      .set({ demoPassword: true, passwordChangedAt: new Date(Date.now() - 400 * 86_400_000) })
      .where(eq(users.id, demo.user.id));
    expect((await callRoute(home.loader, makeRequest("/", { cookie: await cookieFor(db, demo.user.id) }))).status).toBe(200);
  });
});

describe("one-time passwords", () => {
  it("expire after 72 hours by default", async () => {
    const closed = await createCadre(db, { unitId: unit.id, staffNo: "OTP1" });
    const { id } = await createUser(db, { cadreId: closed.id });
    const res = await callRoute<any>(
      accounts.action,
      makeRequest("/admin/accounts", { cookie: orgAdmin, form: { intent: "issue-otp", userIds: String(id) } }),
    );
    const [issued] = res.data.issued;
    expect(new Date(issued.expiresAt).getTime() - Date.now()).toBeGreaterThan(71.9 * 3_600_000);
    expect(new Date(issued.expiresAt).getTime() - Date.now()).toBeLessThan(72.1 * 3_600_000);
    await db
      .update(users)
      .set({ oneTimePasswordExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(users.id, id));
    const late = await callRoute<any>(login.action, makeRequest("/login", { form: { identifier: "OTP1", password: issued.password } }));
    expect(late.status).toBe(400);
    expect(late.data.errors.form[0].key).toBe("auth.oneTimePasswordExpired");
  });

  it("no longer reopen a disabled account; enabling it is its own audited act", async () => {
    const { user, staffNo } = await cadreAccount();
    await callRoute(
      accountPage.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: orgAdmin, form: { intent: "disable", reason: "离职" } }),
      {
        userId: String(user.id),
      },
    );
    const res = await callRoute<any>(
      accountPage.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: orgAdmin, form: { intent: "issue-otp" } }),
      {
        userId: String(user.id),
      },
    );
    expect(res.data.issued[0].stillDisabled).toBe(true);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.disabled).toBe(true);
    const refused = await callRoute<any>(
      login.action,
      makeRequest("/login", { form: { identifier: staffNo, password: res.data.issued[0].password } }),
    );
    expect(refused.data.errors.form[0].key).toBe("auth.accountDisabled");

    await callRoute(
      accountPage.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie: orgAdmin, form: { intent: "enable", reason: "返聘" } }),
      {
        userId: String(user.id),
      },
    );
    const [enabled] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "account.enabled"), eq(auditLog.entityId, String(user.id))));
    expect(enabled!.reason).toBe("返聘");
    expect(
      (await callRoute(login.action, makeRequest("/login", { form: { identifier: staffNo, password: res.data.issued[0].password } })))
        .status,
    ).toBe(302);
  });
});

describe("the nightly clean-up", () => {
  it("keeps sign-in counters only while they count; the security log keeps the history", async () => {
    await db
      .insert(loginThrottles)
      .values({ scope: "account", key: "user:old", failures: 5, windowStartedAt: new Date(Date.now() - 3 * 86_400_000) });
    await nightlyCleanup(db);
    expect(await db.select().from(loginThrottles).where(eq(loginThrottles.key, "user:old"))).toHaveLength(0);
  });
});
