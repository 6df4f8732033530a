import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, inject } from "vitest";
import { findChromium } from "./chromium";

/** Debian's Chromium (tests/setup/chromium.ts finds it, or installs it, before `npm test` runs the suites). */
export function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error("Chromium not found: install it with `sudo apt-get install -y chromium` or set CHROMIUM_PATH");
  return found;
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1366, height: 900 } };

/** One browser per test file, closed after it; pages start at the app under test. */
export function browserForSuite() {
  const baseUrl = inject("baseUrl");
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });
  return {
    baseUrl,
    async context(options: Parameters<Browser["newContext"]>[0] = DESKTOP): Promise<BrowserContext> {
      browser ??= await launchBrowser();
      return browser.newContext({ baseURL: baseUrl, locale: "zh-CN", timezoneId: "Asia/Shanghai", ...options });
    },
  };
}

export const DEMO_PASSWORD = "luoshi-demo";

export async function signIn(page: Page, identifier: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/邮箱或工号|Email or staff number/).fill(identifier);
  await page.getByLabel(/^密码$|^Password$/).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login")),
    page.getByRole("button", { name: /^登录$|^Sign in$/ }).click(),
  ]);
}
