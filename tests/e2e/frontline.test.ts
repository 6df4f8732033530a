import { describe, expect, it } from "vitest";
import { addMonths, monthOf } from "~/modules/frontline/days";
import { todayInShanghai } from "~/utils/dates";
import { demoCadreRecords } from "~db/seed/frontline";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

/**
 * The story on two phones: the demo cadre records a week at the petition office that overlaps
 * a record of theirs; the head of their unit sees the overlap and returns it; the cadre fixes the dates
 * and resubmits; the head verifies it; the days show in the month and in the eligibility figure.
 */
describe("frontline work: submit → return → resubmit → verify", () => {
  it("runs from a cadre's phone to the head's and back", async () => {
    const month = addMonths(monthOf(todayInShanghai()), -1);
    const existing = demoCadreRecords(todayInShanghai())[0]!;
    expect(existing.startDate).toBe(`${month}-10`);
    const place = "市信访局接待大厅（接访周）";

    const cadre = await (await app.context(PHONE)).newPage();
    await signIn(cadre, "cadre@luoshi.local");
    await cadre.goto("/frontline");
    const eligibility = cadre.getByTestId("frontline-eligibility").locator("strong");
    const daysBefore = Number(await eligibility.textContent());
    const monthBar = (days: number) => cadre.locator("svg title", { hasText: `${month}: ${days} 天` });
    expect(await monthBar(3).count()).toBe(1);

    // A week at the petition office, from the 11th: two days overlap the record of the 10th–12th.
    await Promise.all([cadre.waitForURL("**/frontline/new"), cadre.getByRole("link", { name: "记录一线经历" }).first().click()]);
    await cadre.getByLabel("类别", { exact: true }).selectOption({ label: "信访" });
    await cadre.getByLabel("地点或项目").fill(place);
    await cadre.getByLabel("开始日期").fill(`${month}-11`);
    await cadre.getByLabel("结束日期").fill(`${month}-17`);
    await cadre.getByLabel("工作内容").fill("在市信访局接待来访群众，登记诉求并转办。");
    await cadre.getByLabel("解决的问题").fill("现场化解诉求 9 件。");
    await Promise.all([cadre.waitForURL(/\/frontline\/\d+\?done=submitted$/), cadre.getByRole("button", { name: "提交核实" }).click()]);
    const recordPath = new URL(cadre.url()).pathname;
    await expect.poll(() => cadre.locator(".badge", { hasText: "待核实" }).count()).toBeGreaterThan(0);

    // The head sees it in the queue with the overlap, opens it and returns it.
    const head = await (await app.context(PHONE)).newPage();
    await signIn(head, "head@luoshi.local");
    await head.goto("/frontline/verify");
    const item = head.getByTestId("frontline-queue-item").filter({ hasText: place });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getByTestId("frontline-queue-overlap").textContent()).toContain(existing.place);
    // Overlapping records are not ticked for the bulk verification.
    expect(await item.locator('input[type="checkbox"]').count()).toBe(0);
    await item.getByRole("link", { name: place }).click();
    await head.waitForURL(`**${recordPath}`);
    await expect.poll(() => head.getByTestId("frontline-overlaps").textContent()).toContain("2 天");
    await head.getByLabel("退回意见").fill("与 10 日至 12 日的接访记录重叠，请核对日期后重新提交。");
    await Promise.all([head.waitForURL(/done=returned/), head.getByRole("button", { name: "退回", exact: true }).click()]);
    await expect.poll(() => head.locator(".badge", { hasText: "已退回" }).count()).toBeGreaterThan(0);

    // The cadre sees why, fixes the dates (the 13th to the 19th) and resubmits.
    await cadre.goto(recordPath);
    expect(await cadre.getByTestId("frontline-return-comment").textContent()).toContain("请核对日期");
    await Promise.all([cadre.waitForURL("**/edit"), cadre.getByRole("link", { name: "编辑" }).click()]);
    await cadre.getByLabel("开始日期").fill(`${month}-13`);
    await cadre.getByLabel("结束日期").fill(`${month}-19`);
    await Promise.all([cadre.waitForURL(/done=submitted/), cadre.getByRole("button", { name: "提交核实" }).click()]);
    await expect.poll(() => cadre.locator(".badge", { hasText: "待核实" }).count()).toBeGreaterThan(0);
    expect(await cadre.getByTestId("frontline-overlaps").count()).toBe(0);

    // The head verifies it.
    await head.goto(recordPath);
    expect(await head.getByTestId("frontline-overlaps").count()).toBe(0);
    expect(await head.getByTestId("frontline-return-comment").textContent()).toContain("请核对日期");
    await Promise.all([head.waitForURL(/done=verified/), head.getByRole("button", { name: "核实通过" }).click()]);
    await expect.poll(() => head.locator(".badge", { hasText: "已核实" }).count()).toBeGreaterThan(0);

    // The week counts: 10 days that month (10th–19th, overlaps once) and 7 more towards eligibility.
    await cadre.goto("/frontline");
    expect(Number(await eligibility.textContent())).toBe(daysBefore + 7);
    expect(await monthBar(10).count()).toBe(1);
    const record = cadre.getByTestId("frontline-record").filter({ hasText: place });
    expect(await record.textContent()).toContain("已核实");

    // And on the head's unit page, in the cadre's row.
    const name = ((await cadre.locator(".user-name").textContent()) ?? "").trim();
    await head.goto("/frontline");
    await head.getByRole("link", { name: /市教育和体育局一线天数与定额/ }).click();
    await head.waitForURL(/\/frontline\/units\/\d+/);
    const row = head.locator("tr").filter({ has: head.getByRole("link", { name, exact: true }) });
    await expect.poll(() => row.count()).toBeGreaterThan(0);
    const cells = await row.first().locator("td").allTextContents();
    const header = await head.locator("table", { has: row.first() }).locator("th").allTextContents();
    expect(cells[header.indexOf(month)]).toBe("10");
  });
});
