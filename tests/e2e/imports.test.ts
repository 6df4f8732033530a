import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { browserForSuite, signIn } from "../setup/browser";

const app = browserForSuite();

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function csv(name: string, lines: string[]) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-e2e-import-"));
  dirs.push(dir);
  const file = path.join(dir, name);
  await fs.writeFile(file, `\uFEFF${lines.join("\r\n")}\r\n`);
  return file;
}

const HEADER = "工号,姓名,单位编码,职级,职务,邮箱,单位负责人";

describe("importing cadres in the browser", () => {
  it("lists a bad row by row and column and imports nothing; the corrected file imports once", async () => {
    const context = await app.context();
    const page = await context.newPage();
    await signIn(page, "admin@luoshi.local");

    const bad = await csv("bad.csv", [
      HEADER,
      "E2E001,陈晓,SF016,副科级,科长,e2e001@example.cn,否",
      "E2E002,林岚,SF016,局座,科员,e2e002@example.cn,否",
    ]);
    await page.goto("/admin/imports");
    await page.getByLabel("导入内容").selectOption("cadres");
    await page.setInputFiles("input[type=file]", bad);
    await Promise.all([page.waitForURL(/\/admin\/imports\/\d+$/), page.getByRole("button", { name: /预览/ }).click()]);
    const problems = page.locator("section[aria-labelledby=problems]");
    await expect.poll(() => problems.innerText()).toContain("无法识别的职级「局座」");
    expect(await problems.innerText()).toMatch(/3/);
    expect(await page.getByRole("button", { name: "确认导入" }).count()).toBe(0);

    await page.goto("/cadres?q=E2E001");
    expect(await page.locator("main").innerText()).not.toContain("E2E001");

    const good = await csv("good.csv", [
      HEADER,
      "E2E001,陈晓,SF016,副科级,科长,e2e001@example.cn,否",
      "E2E002,林岚,SF016,科员,科员,e2e002@example.cn,否",
    ]);
    await page.goto("/admin/imports");
    await page.getByLabel("导入内容").selectOption("cadres");
    await page.setInputFiles("input[type=file]", good);
    await Promise.all([page.waitForURL(/\/admin\/imports\/\d+$/), page.getByRole("button", { name: /预览/ }).click()]);
    const confirm = page.getByRole("button", { name: "确认导入" });
    await confirm.dblclick();
    await expect.poll(() => page.locator("main").innerText(), { timeout: 15_000 }).toContain("导入完成");

    await page.goto("/cadres?q=E2E00");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
    await context.close();
  });
});
