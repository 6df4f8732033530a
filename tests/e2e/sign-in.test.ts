import { describe, expect, it } from "vitest";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

describe("signing in as each demo role", () => {
  it("org admin sees the city overview and the admin navigation", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "admin@luoshi.local");
    await expect.poll(() => page.locator("h2#city").textContent()).toBe("全市概况");
    const nav = await page.locator("nav.mainnav").innerText();
    for (const item of ["夜课堂", "一线经历", "单位", "干部", "管理"]) expect(nav).toContain(item);
    await context.close();
  });

  it("unit head sees the units they lead and no admin pages", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "head@luoshi.local");
    expect(await page.locator("h2#led").textContent()).toBe("我负责的单位");
    expect(await page.getByText("市教育和体育局").first().isVisible()).toBe(true);
    expect(await page.locator("nav.mainnav").innerText()).not.toContain("审计日志");
    const res = await page.goto("/admin/audit");
    expect(res?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("无权访问");
    await context.close();
  });

  it("a cadre on a phone signs in by email, sees their record, and can switch to English", async () => {
    const context = await app.context(PHONE);
    const page = await context.newPage();
    await signIn(page, "cadre@luoshi.local");
    expect(await page.locator("h2#me").textContent()).toBe("我的档案");
    // Tab titles follow the language too: Chinese by default, English once switched.
    await page.goto("/classes");
    expect(await page.title()).toBe("夜课堂 · 落实");
    await page.getByTestId("switch-locale").click();
    await expect.poll(() => page.title()).toBe("Night classes · Luoshi");
    await page.goto("/");
    await expect.poll(() => page.locator("h2#me").textContent()).toBe("My record");
    expect(await page.title()).toBe("Home · Luoshi");
    const res = await page.goto("/units");
    expect(res?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Access denied");
    // The choice is saved on the account: switch back so later tests see the default language.
    await page.goto("/");
    await page.getByTestId("switch-locale").click();
    await expect.poll(() => page.locator("h2#me").textContent()).toBe("我的档案");
    await context.close();
  });

  it("a wrong password shows the message beside the form and no session", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("邮箱或工号").fill("admin@luoshi.local");
    await page.getByLabel("密码", { exact: true }).fill("wrong-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect.poll(() => page.locator(".form-errors").textContent()).toContain("账号或密码不正确");
    expect((await context.cookies()).some((c) => c.name === "luoshi_session")).toBe(false);
    await context.close();
  });

  it("a cross-site POST is refused", async () => {
    const res = await fetch(`${app.baseUrl}/login`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "identifier=admin@luoshi.local&password=luoshi-demo",
      redirect: "manual",
    });
    expect(res.status).toBe(403);
  });

  it("healthz reports the database", async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });
});
