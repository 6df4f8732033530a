import { describe, expect, it } from "vitest";
import { browserForSuite, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

describe("the unit tree and cadre pages", () => {
  it("a unit head on a phone sees only their unit and its sub-units, and opens a sub-unit", async () => {
    const context = await app.context(PHONE);
    const page = await context.newPage();
    await signIn(page, "head@luoshi.local");
    await page.goto("/units");
    const tree = page.locator("main");
    await expect.poll(() => tree.getByRole("link", { name: "市教育和体育局" }).count()).toBe(1);
    expect(await tree.getByRole("link", { name: "市公安局" }).count()).toBe(0);
    await tree.getByText("市第一中学").first().click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("市第一中学");
    await context.close();
  });

  it("an org admin sees the whole tree, and an edit with an empty name is refused beside the field", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "admin@luoshi.local");
    await page.goto("/units");
    for (const name of ["市公安局", "东城街道", "经济技术开发区", "城市建设投资集团"]) {
      expect(await page.getByRole("link", { name }).count()).toBeGreaterThan(0);
    }
    await page.getByRole("link", { name: "市公安局" }).click();
    await page.waitForURL(/\/units\/\d+$/);
    const unitUrl = page.url();
    await page.goto(`${unitUrl}/edit`);
    const name = page.getByLabel("单位名称");
    await name.fill("");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect.poll(() => page.locator(".field-errors").first().textContent()).toContain("此项必填");
    await page.goto(unitUrl);
    expect(await page.locator("h1").textContent()).toContain("市公安局");
    await context.close();
  });

  it("a search by staff number puts that cadre first", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "admin@luoshi.local");
    await page.goto("/cadres?q=SF00001");
    await expect.poll(() => page.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("tbody tr").first().innerText()).toContain("SF00001");
    await context.close();
  });
});
