import { describe, expect, it } from "vitest";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

describe("sign-up by invitation, with the outbox standing in for the mailbox", () => {
  it("an org admin invites a closed account; the cadre follows the emailed link on a phone and is signed in", async () => {
    const admin = await app.context();
    const page = await admin.newPage();
    await signIn(page, "admin@luoshi.local");

    // SF00300 is a demo cadre whose account is closed, as after an import.
    await page.goto("/admin/accounts?q=SF00300");
    const row = page.locator("tbody tr").filter({ hasText: "SF00300" });
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "发送邀请邮件" }).click();
    await expect.poll(() => page.getByTestId("invite-result").textContent()).toContain("已向 1 个账号发送邀请");

    await page.goto("/admin/outbox?recipient=sf00300");
    await page.locator("tbody a").first().click();
    await page.waitForURL(/\/admin\/outbox\/\d+$/);
    const text = await page.locator("pre").first().innerText();
    const link = /https?:\/\/\S+\/invite\/[a-z2-7]+/.exec(text)?.[0];
    expect(link).toBeTruthy();
    await admin.close();

    const phone = await app.context(PHONE);
    const cadre = await phone.newPage();
    await cadre.goto(new URL(link!).pathname);
    await cadre.getByLabel("新密码", { exact: true }).fill("my-own-password-1");
    await cadre.getByLabel("确认新密码").fill("my-own-password-1");
    await Promise.all([
      cadre.waitForURL((u) => !u.pathname.startsWith("/invite")),
      cadre.getByRole("button").filter({ hasText: "设置密码" }).click(),
    ]);
    await expect.poll(() => cadre.locator("h2#me").textContent()).toBe("我的档案");

    // The link works once.
    await cadre.goto(new URL(link!).pathname);
    expect(await cadre.locator("main").innerText()).not.toContain("设置密码并登录");
    await phone.close();
  });
});
