import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import * as home from "~/routes/_index";
import * as password from "~/routes/account.password";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import { auditLog, loginThrottles, sessions, users } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

let cadreUserId: number;
beforeAll(async () => {
  const unit = await createUnit(db, { name: "测试局" });
  const cadre = await createCadre(db, { unitId: unit.id, staffNo: "A1001", email: "li@example.cn" });
  cadreUserId = (await createUser(db, { cadreId: cadre.id, password: "correct horse" })).id;
});

function tokenFrom(setCookie: string | null) {
  return /luoshi_session=([a-z2-7]+)/.exec(setCookie ?? "")?.[1];
}

describe("sign-in", () => {
  it("accepts the cadre's email or staff number, stores only the token's hash, and sets a safe cookie", async () => {
    for (const identifier of ["li@example.cn", "LI@EXAMPLE.CN", "a1001"]) {
      const res = await callRoute(login.action, makeRequest("/login", { form: { identifier, password: "correct horse" } }));
      expect(res.status).toBe(302);
      const cookie = res.headers.get("set-cookie")!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/); // plain http in tests
      const token = tokenFrom(cookie)!;
      expect(token.length).toBeGreaterThanOrEqual(32); // 160 bits in base32
      const stored = await db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(token)));
      expect(stored).toHaveLength(1);
      const raw = await db.select().from(sessions).where(eq(sessions.id, token));
      expect(raw).toHaveLength(0);
    }
  });

  it("says the same thing for a wrong password and an unknown account", async () => {
    const wrong = await callRoute(login.action, makeRequest("/login", { form: { identifier: "li@example.cn", password: "nope" } }));
    const unknown = await callRoute(login.action, makeRequest("/login", { form: { identifier: "ghost@example.cn", password: "nope" } }));
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.data).toEqual(unknown.data);
  });

  it("limits failures per account in the database, whether or not the account exists", async () => {
    for (const identifier of ["A1001", "nobody-here"]) {
      for (let i = 0; i < 5; i++) {
        await callRoute(login.action, makeRequest("/login", { form: { identifier, password: `bad${i}` } }));
      }
      const res = await callRoute(login.action, makeRequest("/login", { form: { identifier, password: "correct horse" } }));
      expect(res.status).toBe(429);
    }
    const [row] = await db
      .select()
      .from(loginThrottles)
      .where(eq(loginThrottles.key, `user:${cadreUserId}`));
    expect(row!.failures).toBeGreaterThanOrEqual(5);
    expect(row!.lockedUntil).not.toBeNull();
    await db.delete(loginThrottles);
  });

  it("refuses a disabled account and tells only someone who knows the password", async () => {
    const unit = await createUnit(db);
    const cadre = await createCadre(db, { unitId: unit.id, staffNo: "D1" });
    await createUser(db, { cadreId: cadre.id, password: "secret-pass", disabled: true });
    const res = await callRoute<any>(login.action, makeRequest("/login", { form: { identifier: "D1", password: "secret-pass" } }));
    expect(res.status).toBe(400);
    expect(res.data.errors.form[0].key).toBe("auth.accountDisabled");
  });

  it("shows field errors for empty input and changes nothing", async () => {
    const before = await db.select().from(sessions);
    const res = await callRoute<any>(login.action, makeRequest("/login", { form: { identifier: "", password: "" } }));
    expect(res.status).toBe(400);
    expect(res.data.errors.identifier).toEqual(["validation.required"]);
    expect(res.data.errors.password).toEqual(["validation.required"]);
    expect(await db.select().from(sessions)).toHaveLength(before.length);
  });

  it("only redirects to paths on this site after login", async () => {
    const res = await callRoute(
      login.action,
      makeRequest("/login", { form: { identifier: "A1001", password: "correct horse", redirectTo: "//evil.example/" } }),
    );
    expect(res.location).toBe("/");
  });
});

describe("sessions", () => {
  it("logout ends the session on the server", async () => {
    const cookie = await cookieFor(db, cadreUserId);
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(200);
    await callRoute(logout.action, makeRequest("/logout", { cookie, method: "POST" }));
    const after = await callRoute(home.loader, makeRequest("/", { cookie }));
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
  });

  it("an expired session is refused and removed", async () => {
    const cookie = await cookieFor(db, cadreUserId);
    const token = cookie.split("=")[1]!;
    await db
      .update(sessions)
      .set({ idleExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, sessionIdFromToken(token)));
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(302);
    expect(
      await db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(token))),
    ).toHaveLength(0);
  });

  it("a forged token is not a session", async () => {
    const res = await callRoute(home.loader, makeRequest("/", { cookie: "luoshi_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }));
    expect(res.status).toBe(302);
  });
});

describe("password change", () => {
  it("needs the current password, signs out other devices, keeps this one, and is audited", async () => {
    const unit = await createUnit(db);
    const cadre = await createCadre(db, { unitId: unit.id });
    const user = await createUser(db, { cadreId: cadre.id, password: "old-password-1", mustChangePassword: true });
    const here = await cookieFor(db, user.id);
    const elsewhere = await cookieFor(db, user.id);

    // A one-time password sends every page to the change form.
    const gated = await callRoute(home.loader, makeRequest("/", { cookie: here }));
    expect(gated.location).toBe("/account/password");
    // Deeper pages come back to where they were going (and only to this site).
    const deep = await callRoute(home.loader, makeRequest("/classes?tab=mine", { cookie: here }));
    expect(deep.location).toBe(`/account/password?redirectTo=${encodeURIComponent("/classes?tab=mine")}`);
    const offered = await callRoute<any>(password.loader, makeRequest("/account/password?redirectTo=//evil.example", { cookie: here }));
    expect(offered.data.redirectTo).toBeNull();

    const wrong = await callRoute<any>(
      password.action,
      makeRequest("/account/password", {
        cookie: here,
        form: { currentPassword: "nope", newPassword: "new-password-2", confirmPassword: "new-password-2" },
      }),
    );
    expect(wrong.data.errors.currentPassword[0].key).toBe("auth.currentPasswordWrong");

    const short = await callRoute<any>(
      password.action,
      makeRequest("/account/password", {
        cookie: here,
        form: { currentPassword: "old-password-1", newPassword: "xq7", confirmPassword: "xq7" },
      }),
    );
    expect(short.data.errors.newPassword).toEqual([
      { key: "auth.policy.tooShort", params: { min: 10 } },
      { key: "auth.policy.tooFewClasses", params: { min: 3 } },
    ]);

    const ok = await callRoute(
      password.action,
      makeRequest("/account/password", {
        cookie: here,
        form: { currentPassword: "old-password-1", newPassword: "new-password-2", confirmPassword: "new-password-2" },
      }),
    );
    expect(ok.status).toBe(200);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: here }))).status).toBe(200);

    // After a forced change with somewhere to go, the form carries on there; never off-site.
    await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
    const onward = await callRoute(
      password.action,
      makeRequest("/account/password", {
        cookie: here,
        form: {
          currentPassword: "new-password-2",
          newPassword: "new-password-3",
          confirmPassword: "new-password-3",
          redirectTo: "/classes?tab=mine",
        },
      }),
    );
    expect(onward.location).toBe("/classes?tab=mine");
    await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
    const offsite = await callRoute(
      password.action,
      makeRequest("/account/password", {
        cookie: here,
        form: {
          currentPassword: "new-password-3",
          newPassword: "new-password-4",
          confirmPassword: "new-password-4",
          redirectTo: "https://evil.example/",
        },
      }),
    );
    expect(offsite.status).toBe(200);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: elsewhere }))).status).toBe(302);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.mustChangePassword).toBe(false);
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "account.password_changed"));
    expect(audits.some((a) => a.entityId === String(user.id))).toBe(true);
  });
});
