import { mkdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "~/modules/auth/password.server";
import { appCode, browserForSuite, DESKTOP, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();
const shots = process.env.LUOSHI_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });
/** Screenshots for a person to look at (LUOSHI_SCREENSHOTS=dir), at the widths people use. */
async function shoot(page: Page, name: string) {
  if (!shots) return;
  for (const [label, viewport] of [
    ["390", PHONE.viewport],
    ["1366", DESKTOP.viewport],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `${shots}/${name}-${label}.png`, fullPage: true });
    await page.screenshot({ path: `${shots}/${name}-${label}-top.png` });
  }
  await page.setViewportSize(DESKTOP.viewport);
}

const client = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
const db = drizzle({ client, casing: "snake_case" });
afterAll(() => client.end({ timeout: 5 }));

/** A new official of the organization department whose account was just opened with a known password. */
async function newOrgAdmin(): Promise<string> {
  const email = `new-admin-${Date.now()}@luoshi.local`;
  const hash = await hashPassword("Zuzhibu-2026-new");
  const [row] = await db.execute<{ id: number }>(sql`
    insert into users (email, display_name, password_hash, disabled) values (${email}, '新任组织员', ${hash}, false) returning id`);
  await db.execute(sql`insert into user_roles (user_id, role) values (${row!.id}, 'org_admin')`);
  return email;
}

async function signOut(page: Page) {
  await Promise.all([page.waitForURL(/\/login/), page.getByRole("button", { name: "退出", exact: true }).click()]);
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("邮箱或工号").fill(email);
  await page.getByLabel("密码", { exact: true }).fill("Zuzhibu-2026-new");
  await Promise.all([page.waitForURL(/\/login\/second-factor/), page.getByRole("button", { name: "登录" }).click()]);
}

describe("two-step verification for an administrator", () => {
  it("enrols at the first sign-in, then signs in with a code, and a recovery code works once", async () => {
    const email = await newOrgAdmin();
    const context = await app.context();
    const page = await context.newPage();

    // First sign-in: the password opens only the enrolment page, with a QR code.
    await page.goto("/login");
    await page.getByLabel("邮箱或工号").fill(email);
    await page.getByLabel("密码", { exact: true }).fill("Zuzhibu-2026-new");
    await Promise.all([page.waitForURL(/\/account\/second-factor/), page.getByRole("button", { name: "登录" }).click()]);
    await expect.poll(() => page.locator(".notice.warn").first().textContent()).toContain("必须开启两步验证");
    expect(await page.locator(".qr svg").count()).toBe(1);
    expect(await page.locator("nav.mainnav").count()).toBe(0);
    await shoot(page, "enrol");
    // Trying to go around it comes back here.
    await page.goto("/units");
    expect(new URL(page.url()).pathname).toBe("/account/second-factor");
    await signOut(page);

    const { recoveryCodes } = await signIn(page, email, "Zuzhibu-2026-new");
    expect(recoveryCodes).toHaveLength(10);
    expect(new URL(page.url()).pathname).toBe("/");
    await signOut(page);

    // With the code from the app.
    await passwordStep(page, email);
    await shoot(page, "second-factor");
    await page.getByLabel("6 位动态码").fill(await appCode(email));
    await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.getByRole("button", { name: "验证" }).click()]);
    await signOut(page);

    // With a recovery code, once.
    await passwordStep(page, email);
    await page.getByRole("link", { name: "改用恢复码" }).click();
    await page.getByLabel("恢复码").fill(recoveryCodes[0]!);
    await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.getByRole("button", { name: "验证" }).click()]);
    await signOut(page);
    await passwordStep(page, email);
    await page.getByRole("link", { name: "改用恢复码" }).click();
    await page.getByLabel("恢复码").fill(recoveryCodes[0]!);
    await page.getByRole("button", { name: "验证" }).click();
    await expect.poll(() => page.locator(".field-errors").textContent()).toContain("恢复码不正确或已使用过");
    expect(new URL(page.url()).pathname).toBe("/login/second-factor");
    await context.close();
  });
});

describe("the password policy", () => {
  it("refuses a weak password with every reason beside the field", async () => {
    const context = await app.context(PHONE);
    const page = await context.newPage();
    await signIn(page, "cadre@luoshi.local");
    await page.goto("/account/password");
    await page.getByLabel("当前密码").fill("luoshi-demo");
    await page.getByLabel("新密码", { exact: true }).fill("password1");
    await page.getByLabel("确认新密码").fill("password1");
    await page.getByRole("button", { name: "保存" }).click();
    const errors = page.locator(".field-errors").first();
    await expect.poll(() => errors.textContent()).toContain("至少需要 10 个字符");
    const text = await errors.innerText();
    expect(text).toContain("需包含大写字母、小写字母、数字、符号中的至少 3 类");
    expect(text).toContain("这是常见密码");
    await shoot(page, "weak-password");
    // The demo password still works: nothing was changed.
    await context.close();
  });
});

describe("the audit administrator", () => {
  it("reads and exports the logs and can change nothing", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "auditor@luoshi.local");
    await page.goto("/admin");
    const cards = await page.locator("main .card h2").allTextContents();
    expect(cards).toEqual(["审计日志", "安全日志"]);

    await page.goto("/admin/audit?category=seed");
    // In words, with the actor named: the demo seed's own entries, whatever other suites did before.
    const first = page.locator("table.audit tbody tr[data-action]").first();
    await expect.poll(() => first.textContent()).toContain("演示数据");
    expect(await page.locator("table.audit tbody").textContent()).not.toMatch(/seed\.demo_/);
    await shoot(page, "audit-log");
    await page.goto("/admin/security-events");
    await expect.poll(() => page.locator("tbody").textContent()).toContain("登录成功");
    await shoot(page, "security-log");
    const download = await page.request.get("/admin/security-events/export?format=csv");
    expect(download.status()).toBe(200);

    for (const path of ["/admin/accounts", "/admin/security", "/admin/outbox", "/units", "/rankings"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(403);
    }
    // Nor does a hand-made request change anything (same origin, with the session).
    const posted = await page.evaluate(async () => {
      const statuses: number[] = [];
      for (const [url, body] of [
        ["/admin/security", "securityLogRetentionDays=365"],
        ["/admin/accounts/1", "intent=roles&roles=audit_admin"],
        ["/admin/accounts/1", "intent=disable&reason=x"],
        ["/admin/accounts", "intent=issue-otp&userIds=1"],
      ] as const) {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
        statuses.push(res.status);
      }
      return statuses;
    });
    expect(posted).toEqual([403, 403, 403, 403]);
    await context.close();
  });
});

describe("the pages of one's own account and of the security administrator", () => {
  it("look right on a phone and a desktop", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "secadmin@luoshi.local");
    await page.goto("/account");
    await shoot(page, "account");
    await page.goto("/account/sessions");
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(0);
    await shoot(page, "sessions");
    await page.goto("/admin/security");
    expect(await page.getByLabel("安全日志保留天数（不少于 180）").inputValue()).toBe("180");
    await shoot(page, "policy");
    await page.goto("/admin/accounts?q=cadre@luoshi.local");
    await page.locator("tbody a").first().click();
    await page.waitForURL(/\/admin\/accounts\/\d+$/);
    await shoot(page, "account-security");
    await context.close();
  });
});
