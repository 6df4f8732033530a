// usage: node .shot.mjs <url> <out-prefix> [cookie]
import { chromium } from "playwright-core";
const [url, out, cookie] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run"] });
for (const [w, h] of [[390, 844], [1366, 900]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1, locale: "zh-CN" });
  if (cookie) await ctx.addCookies(cookie.split(";").map((c) => { const [n, ...v] = c.trim().split("="); return { name: n, value: v.join("="), url }; }));
  const page = await ctx.newPage();
  const res = await page.goto(url);
  await page.screenshot({ path: `${out}-${w}.png`, fullPage: true });
  console.log(w, res?.status());
  await ctx.close();
}
await browser.close();
