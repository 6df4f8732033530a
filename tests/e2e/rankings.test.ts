import { describe, expect, it } from "vitest";
import { quarterLabel, quarterPeriod } from "~/modules/rankings/quarter";
import { addDays, todayInShanghai } from "~/utils/dates";
import { demoQuarters } from "~db/seed/rankings";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();
/** The demo's latest published quarter, as the seed made it on the day the suite's server started. */
const QUARTER = demoQuarters(todayInShanghai()).at(-1)!;
const LABEL = quarterLabel(QUARTER, "zh-CN");

/**
 * The organization department computes, inspects, publishes and prints a quarter, and the meeting
 * agenda follows from it; a unit head on a phone sees the published table and their own unit's
 * breakdown, and no other unit's. Runs on the demo city (four published quarters).
 */
describe("quarterly rankings", () => {
  it("an org admin corrects, publishes and prints a quarter, then generates the meeting agenda", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "admin@luoshi.local");
    await page.goto("/rankings");
    await page.getByRole("link", { name: LABEL }).first().click();
    await page.waitForURL(new RegExp(`/rankings/${QUARTER}`));
    await expect.poll(() => page.locator("h1").textContent()).toContain(`${LABEL}排名`);
    await expect.poll(() => page.locator("table.rk-data tbody tr").count()).toBeGreaterThan(10);

    // Inspect: sort by score and search; open a unit's breakdown.
    await page.getByRole("link", { name: /^得分/ }).first().click();
    await page.waitForURL(/sort=score/);
    await page.getByPlaceholder("单位名称或编码").fill("局");
    await page.getByRole("button", { name: "搜索" }).click();
    await page.waitForURL(/q=/);
    const first = page.locator("table.rk-data tbody tr").first().locator("a").first();
    // The search's rows may render a moment after the address changes: wait for them, then read the
    // name and follow the link of one and the same element.
    await expect.poll(() => first.textContent()).toContain("局");
    const [unitName, href] = await first.evaluate((a) => [a.textContent, a.getAttribute("href")]);
    await page.locator(`table.rk-data a[href="${href}"]`).first().click();
    await page.waitForURL(new RegExp(`/rankings/${QUARTER}/units/\\d+`));
    await expect.poll(() => page.locator("h1").textContent()).toBe(unitName);
    expect(await page.locator("table.rk-breakdown tbody tr").count()).toBe(4);

    // A correction with its reason becomes a draft version 2, then is published.
    await page.goto(`/rankings/${QUARTER}`);
    await page.getByLabel("更正原因").fill("补录两名干部的平时考核");
    await page.getByRole("button", { name: "计算更正版本" }).click();
    await page.waitForURL(/version=2/);
    await expect.poll(() => page.locator(".page-head .badge").first().textContent()).toBe("草稿");
    await page.getByRole("button", { name: "发布" }).click();
    await page.waitForURL(/published=2/);
    await expect.poll(() => page.locator(".notice").first().textContent()).toContain("第 2 版已发布");
    expect(await page.getByRole("link", { name: /v1 已被更正/ }).count()).toBe(1);

    // The A4 print carries the version and the hash of the inputs.
    await page.getByRole("link", { name: "打印" }).click();
    await page.waitForURL(new RegExp(`/rankings/${QUARTER}/print`));
    await expect.poll(() => page.locator("h1").textContent()).toContain(`${LABEL}单位排名`);
    expect(await page.locator("article.rk-print > header").textContent()).toContain("SHA-256");
    expect(await page.locator("section.rk-print-group").count()).toBe(5);

    // The meeting: its agenda follows from the published ranking.
    await page.goto(`/rankings/${QUARTER}`);
    await page.getByLabel("日期").fill(addDays(quarterPeriod(QUARTER).to, 19));
    await page.getByLabel("地点").fill("市委党校报告厅");
    await page.getByRole("button", { name: "生成议程" }).click();
    await page.waitForURL(/\/rankings\/meetings\/\d+$/);
    const experience = page.locator('section[aria-labelledby="rk-experience"] tbody tr');
    const commitment = page.locator('section[aria-labelledby="rk-commitment"] tbody tr');
    await expect.poll(() => experience.count()).toBe(15);
    expect(await commitment.count()).toBe(15);
    await page.getByRole("link", { name: "打印议程" }).click();
    await page.waitForURL(/\/print$/);
    await expect.poll(() => page.locator(".rk-print-title").textContent()).toContain("会议议程");
    await context.close();
  });

  it("a unit head on a phone sees the published table and only their own unit's breakdown", async () => {
    const context = await app.context(PHONE);
    const page = await context.newPage();
    await signIn(page, "head@luoshi.local");
    await page.goto(`/rankings/${QUARTER}`);
    expect(await page.locator("table.rk-data tbody tr").count()).toBeGreaterThan(10);
    // No management, no cadre table.
    expect(await page.getByRole("heading", { name: "管理" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "干部排名" }).count()).toBe(0);
    const own = page.getByRole("link", { name: "市教育和体育局" });
    await own.click();
    await page.waitForURL(/\/units\/\d+/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("市教育和体育局");
    const other = await page.goto(`/rankings/${QUARTER}/units/1`);
    expect(other?.status()).toBe(404);
    const cadres = await page.goto(`/rankings/${QUARTER}?tab=cadres`);
    expect(cadres?.status()).toBe(403);
    await context.close();
  });
});
