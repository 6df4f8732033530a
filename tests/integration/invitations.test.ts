import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionIdFromToken } from "~/modules/auth/session.server";
import { drainOutbox } from "~/modules/email/delivery.server";
import { inAppOutboxTransport } from "~/modules/email/transports.server";
import * as home from "~/routes/_index";
import * as invite from "~/routes/admin.accounts.invite";
import * as outboxList from "~/routes/admin.outbox._index";
import * as outboxMessage from "~/routes/admin.outbox.$messageId";
import * as forgot from "~/routes/forgot-password";
import * as acceptRoute from "~/routes/invite.$token";
import * as login from "~/routes/login";
import * as resetRoute from "~/routes/reset-password.$token";
import { resetEnvCache } from "~/utils/env.server";
import { accountTokens, auditLog, emailOutbox, loginThrottles, sessions, users } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

delete process.env.RESEND_API_KEY;
resetEnvCache();

let adminCookie: string;
let unitId: number;
beforeAll(async () => {
  const admin = await createUser(db, { password: "admin-password", roles: ["org_admin"], displayName: "组织部" });
  adminCookie = await cookieFor(db, admin.id);
  unitId = (await createUnit(db, { name: "市教育和体育局" })).id;
});
beforeEach(async () => {
  await db.delete(loginThrottles);
});

/** Stands in for the mailbox: sends what is due to the in-app outbox and reads the latest message to an address. */
async function mailbox(address: string) {
  await drainOutbox(db, { transport: inAppOutboxTransport });
  const rows = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, address)).orderBy(emailOutbox.id);
  return rows;
}

function linkIn(text: string, path: "invite" | "reset-password"): string {
  const match = new RegExp(`http://luoshi\\.test/${path}/([a-z2-7]{32})`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1]!;
}

async function newCadreAccount(values: { staffNo: string; name: string; email?: string | null; locale?: string; password?: string }) {
  const cadre = await createCadre(db, { unitId, staffNo: values.staffNo, name: values.name, email: values.email });
  const user = await createUser(db, { cadreId: cadre.id, locale: values.locale, password: values.password ?? null });
  return { cadre, user };
}

describe("sign-up by invitation, end to end, with the outbox standing in for the mailbox", () => {
  it("invites the selected accounts, lets the cadre set a password and signs them in", async () => {
    const li = await newCadreAccount({ staffNo: "INV001", name: "李娜", email: "li.na@example.cn" });
    const wang = await newCadreAccount({ staffNo: "INV002", name: "王强", email: "wang@example.cn", locale: "en" });
    const noEmail = await newCadreAccount({ staffNo: "INV003", name: "赵六", email: null });
    const open = await newCadreAccount({ staffNo: "INV004", name: "钱七", email: "qian@example.cn", password: "already-open" });

    const res = await callRoute<any>(
      invite.action,
      makeRequest("/admin/accounts/invite", {
        cookie: adminCookie,
        form: { userIds: [li.user.id, wang.user.id, noEmail.user.id, open.user.id, 999999].map(String) },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ ok: true, invited: 2 });
    expect(res.data.skipped).toEqual([
      { userId: noEmail.user.id, reason: "no_email" },
      { userId: open.user.id, reason: "already_active" },
      { userId: 999999, reason: "not_found" },
    ]);
    const audited = await db.select().from(auditLog).where(eq(auditLog.action, "account.invited"));
    expect(audited.map((a) => a.entityId).sort()).toEqual([String(li.user.id), String(wang.user.id)].sort());

    // The outbox viewer is the mailbox.
    const [mail] = await mailbox("li.na@example.cn");
    expect(mail).toMatchObject({ status: "sent", transport: "outbox", template: "invitation", locale: "zh-CN" });
    expect(mail!.subject).toBe("组织部邀请您开通落实平台账号");
    const list = await callRoute<any>(outboxList.loader, makeRequest("/admin/outbox?recipient=li.na", { cookie: adminCookie }));
    expect(list.data.rows.map((r: { id: number }) => r.id)).toEqual([mail!.id]);
    const shown = await callRoute<any>(outboxMessage.loader, makeRequest(`/admin/outbox/${mail!.id}`, { cookie: adminCookie }), {
      messageId: String(mail!.id),
    });
    expect(shown.data.message.text).toContain("李娜同志：您好！");
    const token = linkIn(shown.data.message.text, "invite");
    const [english] = await mailbox("wang@example.cn");
    expect(english!.subject).toBe("Organization Department invites you to Luoshi");

    // Opening the link shows whose account it opens.
    const page = await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${token}`), { token });
    expect(page.data).toMatchObject({ state: "valid", name: "李娜", unitName: "市教育和体育局" });

    // Bad input changes nothing.
    const short = await callRoute<any>(
      acceptRoute.action,
      makeRequest(`/invite/${token}`, { form: { newPassword: "short", confirmPassword: "short" } }),
      { token },
    );
    expect(short.status).toBe(400);
    expect(short.data.errors.newPassword.map((e: { key: string }) => e.key)).toEqual([
      "auth.policy.tooShort",
      "auth.policy.tooFewClasses",
      "auth.policy.common",
    ]);
    const differ = await callRoute<any>(
      acceptRoute.action,
      makeRequest(`/invite/${token}`, { form: { newPassword: "Good-passw0rd-1", confirmPassword: "another-one" } }),
      { token },
    );
    expect(differ.data.errors.confirmPassword).toEqual(["validation.passwordsDiffer"]);
    expect((await db.select().from(users).where(eq(users.id, li.user.id)))[0]!.disabled).toBe(true);

    const done = await callRoute(
      acceptRoute.action,
      makeRequest(`/invite/${token}`, { form: { newPassword: "Good-passw0rd-1", confirmPassword: "Good-passw0rd-1" } }),
      { token },
    );
    expect(done.status).toBe(302);
    expect(done.location).toBe("/");
    const cookie = /luoshi_session=[a-z2-7]+/.exec(done.headers.get("set-cookie") ?? "")![0];
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(200);

    const [account] = await db.select().from(users).where(eq(users.id, li.user.id));
    expect(account).toMatchObject({ disabled: false, mustChangePassword: false });
    const [stored] = await db
      .select()
      .from(accountTokens)
      .where(eq(accountTokens.id, sessionIdFromToken(token)));
    expect(stored!.usedAt).not.toBeNull();
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "account.invitation_accepted"), eq(auditLog.entityId, String(li.user.id)))),
    ).toHaveLength(1);

    // The staff number and the new password now sign in.
    const signIn = await callRoute(login.action, makeRequest("/login", { form: { identifier: "INV001", password: "Good-passw0rd-1" } }));
    expect(signIn.status).toBe(302);

    // The link works once.
    expect((await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${token}`), { token })).data.state).toBe("used");
    const again = await callRoute<any>(
      acceptRoute.action,
      makeRequest(`/invite/${token}`, { form: { newPassword: "Yet-another-pass1", confirmPassword: "Yet-another-pass1" } }),
      { token },
    );
    expect(again.status).toBe(400);
    expect(again.data.errors.form[0].key).toBe("email.pages.token.used");
  });

  it("says clearly when a link has expired, was replaced, or is not a link at all", async () => {
    const zhou = await newCadreAccount({ staffNo: "INV010", name: "周八", email: "zhou@example.cn" });
    const inviteZhou = () =>
      callRoute(invite.action, makeRequest("/admin/accounts/invite", { cookie: adminCookie, form: { userIds: String(zhou.user.id) } }));
    await inviteZhou();
    const first = linkIn((await mailbox("zhou@example.cn"))[0]!.text, "invite");
    await inviteZhou();
    const mails = await mailbox("zhou@example.cn");
    expect(mails).toHaveLength(2);
    const second = linkIn(mails[1]!.text, "invite");
    expect((await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${first}`), { token: first })).data.state).toBe("revoked");
    expect((await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${second}`), { token: second })).data.state).toBe("valid");

    await db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.id, sessionIdFromToken(second)));
    expect((await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${second}`), { token: second })).data.state).toBe("expired");
    const late = await callRoute<any>(
      acceptRoute.action,
      makeRequest(`/invite/${second}`, { form: { newPassword: "Good-passw0rd-1", confirmPassword: "Good-passw0rd-1" } }),
      { token: second },
    );
    expect(late.data.errors.form[0].key).toBe("email.pages.token.expired");
    expect((await db.select().from(users).where(eq(users.id, zhou.user.id)))[0]!.disabled).toBe(true);

    for (const token of ["nonsense", "a".repeat(32)]) {
      expect((await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${token}`), { token })).data.state).toBe("invalid");
    }
  });

  it("only org and system admins can invite, and an empty selection is a field error", async () => {
    const { user } = await newCadreAccount({ staffNo: "INV020", name: "吴九", email: "wu@example.cn", password: "cadre-password" });
    const cookie = await cookieFor(db, user.id);
    const refused = await callRoute(invite.action, makeRequest("/admin/accounts/invite", { cookie, form: { userIds: String(user.id) } }));
    expect(refused.status).toBe(403);
    const empty = await callRoute<any>(invite.action, makeRequest("/admin/accounts/invite", { cookie: adminCookie, form: {} }));
    expect(empty.status).toBe(400);
    expect(empty.data.errors.userIds).toEqual(["email.invite.noneSelected"]);
    const system = await createUser(db, { password: "system-password", roles: ["system_admin"] });
    const target = await newCadreAccount({ staffNo: "INV021", name: "郑十", email: "zheng@example.cn" });
    const ok = await callRoute<any>(
      invite.action,
      makeRequest("/admin/accounts/invite", { cookie: await cookieFor(db, system.id), form: { userIds: String(target.user.id) } }),
    );
    expect(ok.data.invited).toBe(1);
  });
});

describe("password reset", () => {
  it("answers the same whether or not the account exists, and mails only a real, open account", async () => {
    await newCadreAccount({ staffNo: "PWR001", name: "孙悦", email: "sun@example.cn", password: "old-password" });
    await newCadreAccount({ staffNo: "PWR002", name: "闭户", email: "closed@example.cn" });
    const before = await db.select().from(emailOutbox);
    const known = await callRoute<any>(forgot.action, makeRequest("/forgot-password", { form: { identifier: "pwr001" } }));
    const unknown = await callRoute<any>(forgot.action, makeRequest("/forgot-password", { form: { identifier: "nobody@example.cn" } }));
    const closed = await callRoute<any>(forgot.action, makeRequest("/forgot-password", { form: { identifier: "PWR002" } }));
    expect(known.status).toBe(200);
    expect(unknown).toEqual(known);
    expect(closed).toEqual(known);
    const after = await db.select().from(emailOutbox).orderBy(emailOutbox.id);
    expect(after.length - before.length).toBe(1);
    expect(after.at(-1)).toMatchObject({ template: "password-reset", toAddress: "sun@example.cn" });

    const empty = await callRoute<any>(forgot.action, makeRequest("/forgot-password", { form: { identifier: " " } }));
    expect(empty.data.errors.identifier).toEqual(["validation.required"]);
  });

  it("sets a new password from the link, ends every other session and signs this browser in", async () => {
    const { user } = await newCadreAccount({ staffNo: "PWR010", name: "何平", email: "he@example.cn", password: "old-password" });
    const phone = await cookieFor(db, user.id);
    const laptop = await cookieFor(db, user.id);
    await callRoute(forgot.action, makeRequest("/forgot-password", { form: { identifier: "he@example.cn" } }));
    const [mail] = await mailbox("he@example.cn");
    expect(mail!.text).toContain("何平同志：您好！");
    const token = linkIn(mail!.text, "reset-password");

    expect((await callRoute<any>(resetRoute.loader, makeRequest(`/reset-password/${token}`), { token })).data).toMatchObject({
      state: "valid",
      name: "何平",
    });
    const done = await callRoute(
      resetRoute.action,
      makeRequest(`/reset-password/${token}`, { form: { newPassword: "new-password-1", confirmPassword: "new-password-1" } }),
      { token },
    );
    expect(done.status).toBe(302);
    const cookie = /luoshi_session=[a-z2-7]+/.exec(done.headers.get("set-cookie") ?? "")![0];
    expect((await callRoute(home.loader, makeRequest("/", { cookie }))).status).toBe(200);
    for (const old of [phone, laptop]) expect((await callRoute(home.loader, makeRequest("/", { cookie: old }))).status).toBe(302);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);

    expect(
      (await callRoute(login.action, makeRequest("/login", { form: { identifier: "PWR010", password: "old-password" } }))).status,
    ).toBe(400);
    expect(
      (await callRoute(login.action, makeRequest("/login", { form: { identifier: "PWR010", password: "new-password-1" } }))).status,
    ).toBe(302);
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "account.password_reset"), eq(auditLog.entityId, String(user.id)))),
    ).toHaveLength(1);
    expect((await callRoute<any>(resetRoute.loader, makeRequest(`/reset-password/${token}`), { token })).data.state).toBe("used");
    // An invitation link is not a reset link.
    expect((await callRoute<any>(acceptRoute.loader, makeRequest(`/invite/${token}`), { token })).data.state).toBe("invalid");
  });

  it("is rate limited: quietly per account, openly per address", async () => {
    await newCadreAccount({ staffNo: "PWR020", name: "冯雪", email: "feng@example.cn", password: "old-password" });
    for (let i = 0; i < 5; i++) {
      const res = await callRoute(forgot.action, makeRequest("/forgot-password", { form: { identifier: "PWR020" } }));
      expect(res.status).toBe(200);
    }
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "feng@example.cn"));
    expect(mails).toHaveLength(3);
    // A newer link replaces the older ones.
    const links = await db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.purpose, "password_reset"), eq(accountTokens.userId, mails[0]!.userId!)));
    expect(links).toHaveLength(3);
    expect(links.filter((t) => !t.revokedAt && !t.usedAt)).toHaveLength(1);

    for (let i = 0; i < 5; i++) await callRoute(forgot.action, makeRequest("/forgot-password", { form: { identifier: `someone${i}` } }));
    const limited = await callRoute<any>(forgot.action, makeRequest("/forgot-password", { form: { identifier: "PWR020" } }));
    expect(limited.status).toBe(429);
    expect(limited.data.errors.form[0].key).toBe("auth.tooManyAttempts");
  });
});
