import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { quarterOf } from "~/modules/rankings/quarter";
import { todayInShanghai } from "~/utils/dates";
import { demoCity } from "~db/seed/demo-city";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();
const sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

/** The demo head's bureau (市教育和体育局): its own rating point carries its unit code. */
const bureau = demoCity().units.find((u) => u.name === "市教育和体育局")!;
const quarter = quarterOf(todayInShanghai());

/** The bureau's satisfaction inputs in the current quarter's draft ranking (as last computed). */
async function satisfactionInRanking() {
  const [row] = await sql<{ satisfied: number; unsatisfied: number }[]>`
    select u.satisfied, u.unsatisfied from ranking_unit_results u join rankings r on r.id = u.ranking_id
    where r.quarter = ${quarter} and r.status = 'draft' and u.code = ${bureau.code}`;
  return row!;
}

/**
 * Done means (issue 20): on a phone, someone rates the demo head's bureau 不满意 with a reason and a
 * phone number; a second rating from the same phone that day is thanked and not counted; the head
 * handles the case; the organization department closes it; the quarter's satisfaction for the unit
 * changes by exactly the one counted rating. Posters print, looked at as images.
 */
describe("public rating (扫码评议)", () => {
  it("a 不满意 from a phone goes through the head's follow-up to the department's close, and into the ranking", async () => {
    // The department's recompute of the draft before, so the comparison is of one rating only.
    const admin = await (await app.context(PHONE)).newPage();
    await signIn(admin, "admin@luoshi.local");
    // The quarter under way: its draft is computed (again) from the rankings page, as the department does.
    const recompute = async () => {
      await admin.goto("/rankings");
      await admin.getByLabel("季度", { exact: true }).fill(quarter);
      await admin.getByRole("button", { name: "计算草稿" }).click();
      await admin.waitForURL(new RegExp(`/rankings/${quarter}\\?version=`));
    };
    await recompute();
    const before = await satisfactionInRanking();

    // The citizen: no account, a phone-sized screen, no script needed.
    const citizen = await (await app.context({ ...PHONE, javaScriptEnabled: false })).newPage();
    await citizen.goto(`/r/${bureau.code}`);
    expect(await citizen.locator(".rp-unit").textContent()).toBe("市教育和体育局");
    expect(await citizen.locator("script").count()).toBe(0);
    // The large-type version and English are a link away, and remembered.
    await citizen.getByRole("link", { name: "大字版" }).click();
    expect(await citizen.locator(".rp").getAttribute("class")).toContain("rp-large");
    await citizen.getByRole("link", { name: "English" }).click();
    expect(await citizen.locator("h1").textContent()).toBe("How was the service you received?");
    await citizen.getByRole("link", { name: "中文" }).click();
    expect(await citizen.locator("h1").textContent()).toBe("请您对本次服务作出评价");
    expect(await citizen.locator(".rp").getAttribute("class")).toContain("rp-large");
    await citizen.screenshot({ path: path.join(os.tmpdir(), "luoshi-e2e-rating-large-390.png"), fullPage: true });
    await citizen.getByRole("link", { name: /不满意/ }).click();
    await citizen.getByLabel("效率").check();
    await citizen.getByLabel("具体情况（选填）").fill("开具在读证明等了一个多小时，只有一个窗口办理。");
    await citizen.getByLabel("联系电话（选填）").fill("139 0000 8888");
    await citizen.getByRole("button", { name: "提交评价" }).click();
    await citizen.waitForURL(/\/thanks\?result=counted&choice=unsatisfied/);
    const thanks = (await citizen.locator("[data-testid=thanks-line]").allTextContents()).join("\n");
    expect(thanks).toContain("市教育和体育局");
    expect(thanks).toContain("工作人员会致电您");
    await citizen.screenshot({ path: path.join(os.tmpdir(), "luoshi-e2e-rating-thanks-390.png"), fullPage: true });

    // The same phone again the same day: thanked, not counted.
    await citizen.goto(`/r/${bureau.code}`);
    await citizen.getByRole("button", { name: /满意/ }).first().click();
    await citizen.waitForURL(/\/thanks\?result=repeat/);
    expect(await citizen.locator("[data-testid=thanks-line]").first().textContent()).toContain("不重复计入");

    // The head: the new case is on the list with the phone masked, whole on the case page.
    const head = await (await app.context(PHONE)).newPage();
    await signIn(head, "head@luoshi.local");
    await head.goto("/ratings/cases?state=open");
    const item = head.locator("[data-testid=case-list] li", { hasText: "开具在读证明" });
    expect(await item.textContent()).toContain("139****8888");
    await item.getByRole("link", { name: /^#\d+$/ }).click();
    await head.waitForURL(/\/ratings\/cases\/\d+$/);
    const caseUrl = new URL(head.url()).pathname;
    expect(await head.locator("[data-testid=case-phone]").textContent()).toBe("13900008888");
    await head.getByLabel("已联系上").check();
    await head.getByLabel("通话情况").fill("已致电群众致歉，说明已增设证明办理窗口。");
    await head.getByRole("button", { name: "保存回访记录" }).click();
    await expect.poll(() => head.locator(".notice.ok").count()).toBe(1);
    await head.getByLabel("属实", { exact: true }).check();
    await head.getByLabel("核实情况").fill("查看叫号记录，当日等候时间超过一小时，情况属实。");
    await head.getByLabel("整改措施").fill("高峰时段增开一个证明办理窗口，证明材料改为线上申请。");
    await head.getByRole("button", { name: "提交组织部审核" }).click();
    await expect.poll(() => head.locator("[data-testid=case-state]").textContent()).toBe("待审核");
    await head.screenshot({ path: path.join(os.tmpdir(), "luoshi-e2e-rating-case-head-390.png"), fullPage: true });

    // The organization department closes it.
    await admin.goto(caseUrl);
    await admin.getByLabel("同意结案").check();
    await admin.getByLabel("审核说明").fill("整改措施具体，同意结案。");
    await admin.getByRole("button", { name: "提交审核意见" }).click();
    await expect.poll(() => admin.locator("[data-testid=case-state]").textContent()).toBe("已结案");
    expect(await admin.locator("[data-testid=case-outcome]").textContent()).toContain("结案");

    // The ranking: one more counted 不满意 for the bureau in the quarter, and nothing more.
    await recompute();
    expect(await satisfactionInRanking()).toEqual({ satisfied: before.satisfied, unsatisfied: before.unsatisfied + 1 });
  });

  it("posters print on A4 and A5, one page each, for every point at once", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "admin@luoshi.local");
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-posters-"));
    for (const size of ["a4", "a5"] as const) {
      await page.goto(`/ratings/posters?size=${size}`);
      const posters = await page.locator("[data-testid=poster]").count();
      expect(posters).toBeGreaterThan(100);
      expect(await page.locator("[data-testid=poster] svg").count()).toBe(posters);
      await page.emulateMedia({ media: "print" });
      await page
        .locator("[data-testid=poster]")
        .first()
        .screenshot({ path: path.join(dir, `poster-${size}.png`) });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await page.emulateMedia({ media: "screen" });
      // One page per poster (a PDF names each page object once as /Type /Page).
      expect(pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length).toBe(posters);
      await fs.writeFile(path.join(dir, `posters-${size}.pdf`), pdf);
    }
  });
});
