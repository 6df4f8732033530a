import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as home from "~/routes/_index";
import * as secondFactorPage from "~/routes/account.second-factor";
import * as accountPage from "~/routes/admin.accounts.$userId";
import * as login from "~/routes/login";
import * as verifyPage from "~/routes/login_.second-factor";
import * as unitsPage from "~/routes/units._index";
import { emailOutbox, loginThrottles, recoveryCodes, securityEvents, sessions, users } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";
import { codeForManualKey, currentCode } from "../setup/totp";

const { db } = await testDatabase();
const unit = await createUnit(db, { name: "市委组织部" });

let seq = 0;
async function account(roles: ("org_admin" | "security_admin")[] = []) {
  const n = ++seq;
  const cadre = await createCadre(db, { unitId: unit.id, staffNo: `TF${n}`, email: `tf${n}@example.cn`, name: `双${n}` });
  const user = await createUser(db, { cadreId: cadre.id, password: "Org-admin-pass-1", roles });
  return { user, staffNo: `TF${n}`, email: `tf${n}@example.cn` };
}

const sessionCookie = (res: { headers: Headers }) =>
  `luoshi_session=${/luoshi_session=([a-z2-7]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1]}`;
const deviceToken = (res: { headers: Headers }) => /luoshi_known_device=([a-z2-7]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];

async function signIn(identifier: string, extra: { cookie?: string; redirectTo?: string } = {}) {
  return callRoute<any>(
    login.action,
    makeRequest("/login", { form: { identifier, password: "Org-admin-pass-1", redirectTo: extra.redirectTo ?? "" }, cookie: extra.cookie }),
  );
}

/** Enrols through the pages as a person would: open the page, read the key, type the app's code. */
async function enrol(cookie: string) {
  const page = await callRoute<any>(secondFactorPage.loader, makeRequest("/account/second-factor", { cookie }));
  expect(page.status).toBe(200);
  const { pending, manualKey, qrSvg } = page.data.enrolment;
  expect(qrSvg).toContain("<svg");
  const done = await callRoute<any>(
    secondFactorPage.action,
    makeRequest("/account/second-factor", { cookie, form: { intent: "enrol", pending, code: codeForManualKey(manualKey) } }),
  );
  expect(done.status).toBe(200);
  return done.data.recoveryCodes as string[];
}

beforeEach(async () => {
  await db.delete(loginThrottles);
});

describe("an administrative account's first sign-in", () => {
  it("must enrol a second factor before anything else, and cannot skip it", async () => {
    const { staffNo } = await account(["org_admin"]);
    const res = await signIn(staffNo, { redirectTo: "/units" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/account/second-factor?redirectTo=${encodeURIComponent("/units")}`);
    const cookie = sessionCookie(res);
    // Every other page sends them back to enrol; the way on is kept.
    for (const [fn, path] of [
      [home.loader, "/"],
      [unitsPage.loader, "/units"],
    ] as const) {
      const blocked = await callRoute(fn, makeRequest(path, { cookie }));
      expect(blocked.status).toBe(302);
      expect(blocked.location).toMatch(/^\/account\/second-factor/);
    }
    // Nor does the code step let them around it.
    const verify = await callRoute(verifyPage.loader, makeRequest("/login/second-factor", { cookie }));
    expect(verify.location).toMatch(/^\/account\/second-factor/);
  });

  it("enrols with a first code, gets ten recovery codes stored only hashed, and goes on", async () => {
    const { user, staffNo } = await account(["org_admin"]);
    const cookie = sessionCookie(await signIn(staffNo));
    const page = await callRoute<any>(secondFactorPage.loader, makeRequest("/account/second-factor", { cookie }));
    const { pending, manualKey } = page.data.enrolment;

    const wrong = await callRoute<any>(
      secondFactorPage.action,
      makeRequest("/account/second-factor", { cookie, form: { intent: "enrol", pending, code: "000000" } }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data.errors.code[0].key).toBe("auth.secondFactor.wrongCode");
    // The same QR code stays on screen after a mistyped code.
    expect(wrong.data.enrolment.manualKey).toBe(manualKey);
    const [notYet] = await db.select().from(users).where(eq(users.id, user.id));
    expect(notYet!.totpKey).toBeNull();

    const done = await callRoute<any>(
      secondFactorPage.action,
      makeRequest("/account/second-factor", { cookie, form: { intent: "enrol", pending, code: codeForManualKey(manualKey) } }),
    );
    expect(done.status).toBe(200);
    const codes: string[] = done.data.recoveryCodes;
    expect(codes).toHaveLength(10);
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(codes[0]!.replace("-", ""));
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.totpKey).toMatch(/^v1\./);
    expect(row!.totpKey).not.toContain(manualKey.replace(/\s/g, ""));
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(200);
  });

  it("a key sealed for one account does not open for another", async () => {
    const a = await account(["org_admin"]);
    const b = await account(["org_admin"]);
    const cookieA = sessionCookie(await signIn(a.staffNo));
    const cookieB = sessionCookie(await signIn(b.staffNo));
    const pageA = await callRoute<any>(secondFactorPage.loader, makeRequest("/account/second-factor", { cookie: cookieA }));
    const stolen = await callRoute<any>(
      secondFactorPage.action,
      makeRequest("/account/second-factor", {
        cookie: cookieB,
        form: { intent: "enrol", pending: pageA.data.enrolment.pending, code: codeForManualKey(pageA.data.enrolment.manualKey) },
      }),
    );
    expect(stolen.status).toBe(400);
    expect(stolen.data.errors.code[0].key).toBe("auth.secondFactor.enrolmentExpired");
  });
});

describe("signing in with the second factor", () => {
  it("asks for the code after the password; a code works once; a recovery code works once", async () => {
    const { user, staffNo } = await account(["org_admin"]);
    const codes = await enrol(sessionCookie(await signIn(staffNo)));

    const second = await signIn(staffNo, { redirectTo: "/units" });
    expect(second.location).toBe(`/login/second-factor?redirectTo=${encodeURIComponent("/units")}`);
    const cookie = sessionCookie(second);
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).location).toMatch(/^\/login\/second-factor/);
    const code = await currentCode(db, user.id);
    const ok = await callRoute(
      verifyPage.action,
      makeRequest("/login/second-factor", { cookie, form: { intent: "code", code, redirectTo: "/units" } }),
    );
    expect(ok.location).toBe("/units");
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(200);

    // The same code on another sign-in is refused: seen once, it is spent.
    const third = sessionCookie(await signIn(staffNo));
    const replay = await callRoute<any>(
      verifyPage.action,
      makeRequest("/login/second-factor", { cookie: third, form: { intent: "code", code } }),
    );
    expect(replay.status).toBe(400);
    expect(replay.data.errors.code[0].key).toBe("auth.secondFactor.wrongCode");

    const recovery = await callRoute(
      verifyPage.action,
      makeRequest("/login/second-factor", { cookie: third, form: { intent: "recovery", recoveryCode: codes[3]!.toUpperCase() } }),
    );
    expect(recovery.status).toBe(302);
    const fourth = sessionCookie(await signIn(staffNo));
    const again = await callRoute<any>(
      verifyPage.action,
      makeRequest("/login/second-factor", { cookie: fourth, form: { intent: "recovery", recoveryCode: codes[3]! } }),
    );
    expect(again.status).toBe(400);
    expect(again.data.errors.recoveryCode[0].key).toBe("auth.secondFactor.wrongRecoveryCode");
    const used = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.kind, "second_factor.recovery_code_used")));
    expect(used[0]!.details).toMatchObject({ recoveryCodesLeft: 9 });
  });

  it("remembers the device only when asked, and only for that device", async () => {
    const { user, staffNo } = await account(["org_admin"]);
    await enrol(sessionCookie(await signIn(staffNo)));
    const first = await signIn(staffNo);
    const verified = await callRoute(
      verifyPage.action,
      makeRequest("/login/second-factor", { cookie: sessionCookie(first), form: { intent: "code", code: await currentCode(db, user.id) } }),
    );
    // Not ticked: the next sign-in on this browser still asks.
    const device = deviceToken(verified)!;
    expect((await signIn(staffNo, { cookie: `luoshi_known_device=${device}` })).location).toMatch(/^\/login\/second-factor/);

    const asked = await signIn(staffNo, { cookie: `luoshi_known_device=${device}` });
    const remembered = await callRoute(
      verifyPage.action,
      makeRequest("/login/second-factor", {
        cookie: `${sessionCookie(asked)}; luoshi_known_device=${device}`,
        form: { intent: "code", code: await currentCode(db, user.id), remember: "on" },
      }),
    );
    const kept = deviceToken(remembered)!;
    expect((await signIn(staffNo, { cookie: `luoshi_known_device=${kept}` })).location).toBe("/");
    // Another browser is asked.
    expect((await signIn(staffNo)).location).toMatch(/^\/login\/second-factor/);
  });

  it("locks after the policy's wrong codes, ends the half-open session and emails the owner", async () => {
    const { user, staffNo } = await account(["org_admin"]);
    await enrol(sessionCookie(await signIn(staffNo)));
    const cookie = sessionCookie(await signIn(staffNo));
    for (let i = 0; i < 5; i++) {
      const res = await callRoute(
        verifyPage.action,
        makeRequest("/login/second-factor", { cookie, form: { intent: "code", code: "000000" } }),
      );
      expect(res.status).toBe(400);
    }
    const locked = await callRoute(
      verifyPage.action,
      makeRequest("/login/second-factor", { cookie, form: { intent: "code", code: await currentCode(db, user.id) } }),
    );
    expect(locked.status).toBe(429);
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).location).toMatch(/^\/login/);
    const mail = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.userId, user.id), eq(emailOutbox.template, "security-notice")));
    expect(mail).toHaveLength(1);
  });

  it("is optional for everyone else: a cadre signs in with the password alone, or turns it on", async () => {
    const { user, staffNo } = await account();
    const res = await signIn(staffNo);
    expect(res.location).toBe("/");
    const cookie = sessionCookie(res);
    await enrol(cookie);
    expect((await signIn(staffNo)).location).toMatch(/^\/login\/second-factor/);
    // And may turn it off again with a code, which an administrator may not.
    const off = await callRoute(
      secondFactorPage.action,
      makeRequest("/account/second-factor", { cookie, form: { intent: "disable", code: await currentCode(db, user.id) } }),
    );
    expect(off.status).toBe(200);
    expect((await signIn(staffNo)).location).toBe("/");
  });
});

describe("a security admin resets a second factor", () => {
  it("with a reason: key, codes and sessions gone, audited, on the security log, the owner emailed", async () => {
    const { user, staffNo } = await account(["org_admin"]);
    await enrol(sessionCookie(await signIn(staffNo)));
    const ownerSession = await cookieFor(db, user.id);
    const securityAdmin = await createUser(db, {
      email: "sec-tf@example.cn",
      displayName: "吴海燕",
      password: "Sec-admin-pass-1",
      roles: ["security_admin"],
    });
    const cookie = await cookieFor(db, securityAdmin.id);
    const res = await callRoute(
      accountPage.action,
      makeRequest(`/admin/accounts/${user.id}`, { cookie, form: { intent: "reset-second-factor", reason: "手机遗失，本人来电核实" } }),
      { userId: String(user.id) },
    );
    expect(res.status).toBe(200);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.totpKey).toBeNull();
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect((await callRoute(home.loader, makeRequest("/", { cookie: ownerSession }))).location).toMatch(/^\/login/);
    const [mail] = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.userId, user.id), eq(emailOutbox.template, "security-notice")));
    expect(mail!.text).toContain("吴海燕");
    expect(mail!.text).toContain("手机遗失");
    const [event] = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.kind, "second_factor.reset")));
    expect(event!.actorUserId).toBe(securityAdmin.id);
    // At the next sign-in, the administrator enrols again.
    expect((await signIn(staffNo)).location).toMatch(/^\/account\/second-factor/);
  });
});
