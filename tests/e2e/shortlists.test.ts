import { describe, expect, it } from "vitest";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

/**
 * A round from start to published list in the browser: the organization department opens it, the demo
 * head nominates one of the education bureau's eligible cadres on a phone, the department decides and
 * publishes, and both see the frozen list; a plain cadre cannot reach it.
 */
describe("promotion shortlists", () => {
  it("open → nominate (head) → decide → publish (org admin)", async () => {
    const admin = await app.context();
    const adminPage = await admin.newPage();
    await signIn(adminPage, "admin@luoshi.local");
    await adminPage.goto("/shortlists");
    // The demo's published round is listed.
    await expect.poll(() => adminPage.getByRole("link", { name: "2026 换届 敢担当善作为" }).count()).toBe(1);
    await adminPage.getByRole("link", { name: "发起新一轮" }).click();
    await adminPage.waitForURL(/\/shortlists\/new$/);
    await adminPage.getByLabel("名称").fill("浏览器测试轮次");
    await adminPage.getByLabel("名额").fill("2");
    await adminPage.getByLabel("推荐截止时间").fill("2099-12-31T18:00");
    await adminPage.getByLabel("最低职级").check();
    await adminPage.getByLabel("职级不低于").selectOption("deputy_section");
    await adminPage.getByLabel("无问责记录").check();
    await adminPage.getByRole("button", { name: "发起", exact: true }).click();
    await adminPage.waitForURL(/\/shortlists\/\d+$/);
    const roundUrl = new URL(adminPage.url()).pathname;
    await expect.poll(() => adminPage.locator("h1").textContent()).toBe("浏览器测试轮次");
    expect(await adminPage.locator(".sl-meta").textContent()).toContain("名额：2 人");
    expect(await adminPage.locator("table.sl-table tbody tr").count()).toBe(50);

    // The head, on a phone: only the education bureau and its sub-units; nominates an eligible cadre.
    const head = await app.context(PHONE);
    const headPage = await head.newPage();
    await signIn(headPage, "head@luoshi.local");
    await headPage.goto(roundUrl);
    const units = await headPage.locator("table.sl-table tbody tr td:nth-child(3)").allTextContents();
    expect(units.length).toBeGreaterThan(3);
    expect(new Set(units)).toEqual(
      new Set(units.filter((u) => ["市教育和体育局", "市第一中学", "市实验小学", "市职业教育中心"].includes(u))),
    );
    await headPage.getByLabel("只看符合条件的").check();
    await headPage.getByRole("button", { name: "筛选" }).click();
    await headPage.waitForURL(/eligible=1/);
    const row = headPage.locator("table.sl-table tbody tr").first();
    const nominee = (await row.locator("td:nth-child(2)").textContent())!;
    await row.getByRole("link", { name: "推荐", exact: true }).click();
    await headPage.waitForURL(/\/cadres\/\d+$/);
    await expect.poll(() => headPage.locator("h1").textContent()).toContain(nominee);
    expect(await headPage.locator(".sl-evidence > li").count()).toBe(2);
    await headPage.getByLabel("推荐意见").fill("该同志牵头推进校园安全整治，敢于担当，成效明显。");
    await headPage.getByRole("button", { name: "提交推荐" }).click();
    await headPage.waitForURL(/nominated=1/);
    await expect.poll(() => headPage.locator(".notice").first().textContent()).toBe("推荐已提交。");
    expect(await headPage.locator(".sl-quote").textContent()).toContain("校园安全整治");
    // Heads do not decide.
    expect(await headPage.getByRole("button", { name: "保存决定" }).count()).toBe(0);

    // The organization department decides with a reason and publishes.
    await adminPage.goto(`${roundUrl}?tab=nominations`);
    const card = adminPage.locator(".sl-nomination", { hasText: nominee });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toContain("校园安全整治");
    // Saved with nothing chosen: the messages come back beside the fields, in Chinese, not as the browser's bubble.
    await card.getByRole("button", { name: "保存决定" }).click();
    await expect.poll(() => card.locator(".field-errors").allTextContents()).toEqual(["请选择决定", "此项必填"]);
    await card.getByLabel("列入名单").check();
    await card.getByLabel("理由").fill("条件均符合，推荐材料翔实，经部务会研究列入。");
    await card.getByRole("button", { name: "保存决定" }).click();
    await expect.poll(() => card.locator(".badge.ok", { hasText: "列入名单" }).count()).toBe(1);
    expect(await adminPage.locator(".sl-quota strong").textContent()).toBe("已列入 1 / 2 人");
    // The deadline is weeks away: the list cannot be published until nominations are closed, early and with a reason.
    expect(await adminPage.getByRole("button", { name: "发布名单" }).count()).toBe(0);
    await adminPage.getByLabel("提前截止原因").fill("市委常委会提前研究，经部务会同意提前截止推荐。");
    await adminPage.getByRole("button", { name: "提前截止推荐" }).click();
    await adminPage.waitForURL(/closed=1/);
    await adminPage.getByRole("button", { name: "发布名单" }).click();
    await adminPage.waitForURL(/confirm=publish/);
    // The confirmation says what publishing does before the button that does it.
    const confirmation = adminPage.getByTestId("shortlist-publish-confirmation");
    await expect.poll(() => confirmation.textContent()).toContain("冻结名单第 1 版");
    await adminPage.getByRole("button", { name: "确认发布第 1 版" }).click();
    await adminPage.waitForURL(/tab=list&published=1/);
    await expect.poll(() => adminPage.locator(".notice").first().textContent()).toContain("名单第 1 版已发布");
    const listed = adminPage.locator("table.sl-table tbody tr");
    expect(await listed.count()).toBe(1);
    expect(await listed.first().textContent()).toContain(nominee);
    expect(await listed.first().textContent()).toContain("列入名单");
    expect(await adminPage.locator(".sl-hash").textContent()).toMatch(/^[0-9a-f]{64}$/);

    // The A4 print of the same version.
    await adminPage.getByRole("link", { name: "打印" }).click();
    await adminPage.waitForURL(/\/print\?version=1$/);
    await expect.poll(() => adminPage.locator("h1").textContent()).toBe("浏览器测试轮次名单");
    expect(await adminPage.locator("table.sl-table tbody tr").count()).toBe(1);

    // The head sees the published outcome of their cadre.
    await headPage.goto(roundUrl);
    await expect.poll(() => headPage.locator("table.sl-table tbody tr").first().textContent()).toContain("列入名单");

    // A plain cadre reaches no round.
    const cadre = await app.context(PHONE);
    const cadrePage = await cadre.newPage();
    await signIn(cadrePage, "cadre@luoshi.local");
    expect((await cadrePage.goto("/shortlists"))?.status()).toBe(403);
    expect((await cadrePage.goto(roundUrl))?.status()).toBe(403);
    expect(await cadrePage.getByRole("link", { name: "提拔名单" }).count()).toBe(0);
    await Promise.all([admin.close(), head.close(), cadre.close()]);
  });
});
