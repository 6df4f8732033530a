import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import * as schema from "~db/schema";
import { findChromium } from "./chromium";
import { codeForManualKey, currentCode } from "./totp";

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

/**
 * Signs in through the pages as a person would, second factor included: an administrative demo account
 * enrols at its first sign-in (the helper reads the key shown for manual entry, as one would type it
 * into an app) and later gives the code its app would show (read from the database the suite's app
 * uses). The recovery codes shown at enrolment are returned for tests that need them.
 */
export async function signIn(page: Page, identifier: string, password = DEMO_PASSWORD): Promise<{ recoveryCodes: string[] }> {
  await page.goto("/login");
  await page.getByLabel(/邮箱或工号|Email or staff number/).fill(identifier);
  await page.getByLabel(/^密码$|^Password$/).fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== "/login"), page.getByRole("button", { name: /^登录$|^Sign in$/ }).click()]);
  let recoveryCodes: string[] = [];
  if (new URL(page.url()).pathname === "/account/second-factor") {
    const key = (await page.getByTestId("totp-manual-key").textContent()) ?? "";
    await page.getByLabel(/6 位动态码|6-digit code/).fill(codeForManualKey(key));
    await page.getByRole("button", { name: /开启两步验证|Turn on two-step verification/ }).click();
    await page.getByTestId("recovery-codes").waitFor();
    recoveryCodes = (await page.getByTestId("recovery-codes").locator("code").allTextContents()).map((c) => c.trim());
    await Promise.all([
      page.waitForURL((url) => url.pathname !== "/account/second-factor"),
      page.getByRole("link", { name: /我已保存，继续|I have saved them, continue/ }).click(),
    ]);
  } else if (new URL(page.url()).pathname === "/login/second-factor") {
    await page.getByLabel(/6 位动态码|6-digit code/).fill(await appCode(identifier));
    await Promise.all([
      page.waitForURL((url) => url.pathname !== "/login/second-factor"),
      page.getByRole("button", { name: /^验证$|^Verify$/ }).click(),
    ]);
  }
  return { recoveryCodes };
}

/** The code the account's authenticator app would show now (one not used yet). */
export async function appCode(identifier: string): Promise<string> {
  const client = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  try {
    const { db } = { db: drizzle({ client, schema, casing: "snake_case" }) };
    const [row] = await db.execute<{ id: number }>(sql`
      select u.id from users u left join cadres c on c.id = u.cadre_id
      where lower(u.email) = lower(${identifier}) or lower(c.email) = lower(${identifier}) or lower(c.staff_no) = lower(${identifier})`);
    if (!row) throw new Error(`no account ${identifier}`);
    return await currentCode(db, row.id);
  } finally {
    await client.end({ timeout: 5 });
  }
}
