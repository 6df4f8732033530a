import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { demoCity } from "~db/seed/demo-city";
import { browserForSuite, signIn } from "../setup/browser";

/**
 * The built app as `npm start` runs it (production mode), probed as issue 14 did: what a server error
 * shows and logs, the headers of pages, exports and files, the Content-Security-Policy in a real
 * browser, and every page of the demo byte for byte.
 */
const app = browserForSuite();
const base = app.baseUrl;
const sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

/**
 * A session cookie for a demo account, signed in through the browser so that an account the policy
 * asks for a second factor (the org admin) enrols or answers it first, as its person would.
 */
async function cookieOf(identifier: string): Promise<string> {
  const context = await app.context();
  try {
    await signIn(await context.newPage(), identifier);
    const session = (await context.cookies()).find((c) => c.name === "luoshi_session");
    if (!session) throw new Error(`could not sign in as ${identifier}`);
    return `luoshi_session=${session.value}`;
  } finally {
    await context.close();
  }
}

const serverLog = () => readFileSync(inject("serverLogPath"), "utf8");

/** Every phone number and email address the demo city was seeded with. */
function seededPersonalData(): string[] {
  const city = demoCity();
  return [...city.cadres.flatMap((c) => [c.phone, c.email]), "admin@luoshi.local", "head@luoshi.local", "cadre@luoshi.local"];
}

describe("a server error in production", () => {
  it("shows a short page with an error id, and logs the id and the error without the row's values", async () => {
    const [cadre] = await sql<{ id: number }[]>`select id from cadres where email = 'cadre@luoshi.local'`;
    // A write that fails in the database, with personal data in its parameters.
    await sql`alter table cadres add constraint e2e_refuse_updates check (false) not valid`;
    const context = await app.context({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signIn(page, "admin@luoshi.local");
      await page.goto(`/cadres/${cadre!.id}/edit`);
      await page.locator('input[name="email"]').fill("e2e.private@example.cn");
      await page.locator('input[name="phone"]').fill("13700001234");
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.locator('form:has(input[name="intent"][value="update"]) button[type="submit"]').click(),
      ]);
      expect(response.status()).toBe(500);
      const html = await response.text();
      const id = await page.locator("[data-error-id]").getAttribute("data-error-id");
      expect(id).toMatch(/^[0-9A-F]{10}$/);
      expect(await page.locator(".error-page h1").textContent()).toBe("系统出错了");
      expect(response.headers()["x-request-id"]).toBe(id);
      for (const detail of ["e2e_refuse_updates", 'update "cadres"', "Failed query", "13700001234", "e2e.private@example.cn", "    at "]) {
        expect(html).not.toContain(detail);
      }
      const logged = serverLog()
        .split("\n")
        .filter((line) => line.includes(`[error ${id}]`));
      expect(logged.join("\n")).toMatch(/POST \/cadres\/\d+\/edit/);
      expect(serverLog()).not.toContain("13700001234");
      expect(serverLog()).not.toContain("e2e.private@example.cn");
    } finally {
      await sql`alter table cadres drop constraint e2e_refuse_updates`;
      await context.close();
    }
  });
});

describe("headers", () => {
  it("pages carry a nonce CSP; every response nosniff; signed-in pages and exports no-store; compression; robots.txt", async () => {
    const cookie = await cookieOf("admin@luoshi.local");
    const page = await fetch(`${base}/classes`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page.text();
    // Every script of the page carries the nonce; no inline handler attributes.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/\son(click|load|error|submit)=/i);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    // Served over http here: no HSTS (a unit test covers https).
    expect(page.headers.get("strict-transport-security")).toBeNull();

    const exported = await fetch(`${base}/attendance/reports/export?format=csv&table=units`, { headers: { cookie } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("cache-control")).toMatch(/no-store/);
    expect(exported.headers.get("x-content-type-options")).toBe("nosniff");

    for (const encoding of ["br", "gzip"]) {
      const compressed = await fetch(`${base}/classes`, { headers: { cookie, "accept-encoding": encoding } });
      expect(compressed.headers.get("content-encoding")).toBe(encoding);
    }

    const robots = await fetch(`${base}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await robots.text()).toMatch(/User-agent: \*\s+Disallow: \//);
    for (const path of ["/robots.txt", "/favicon.svg", "/healthz"]) {
      expect((await fetch(`${base}${path}`)).headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("refuses a post with an opaque origin (Origin: null) with a 403 and a message, not a 500", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { origin: "null", "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
      body: "identifier=a&password=b",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("请求来源无效");
  });
});

describe("the Content-Security-Policy in the browser", () => {
  it("holds on the pages of every role with no violation, and the pages still hydrate", async () => {
    const visits: [string, string[]][] = [
      [
        "admin@luoshi.local",
        ["/", "/classes", "/classes/admin", "/attendance", "/attendance/venues", "/units", "/rankings", "/shortlists", "/admin/outbox"],
      ],
      ["head@luoshi.local", ["/", "/frontline", "/rankings", "/classes/unit"]],
      ["cadre@luoshi.local", ["/", "/classes", "/attendance", "/frontline/new"]],
    ];
    for (const [account, paths] of visits) {
      const context = await app.context();
      const page = await context.newPage();
      const violations: string[] = [];
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          (window as unknown as { __csp: string[] }).__csp ??= [];
          (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
      });
      await signIn(page, account);
      for (const path of paths) {
        await page.goto(path);
        await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
        await page.waitForLoadState("networkidle");
        const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
        violations.push(...seen.map((v) => `${path}: ${v}`));
      }
      // An outbox message shows the email in a frame of its own route.
      if (account === "admin@luoshi.local") {
        await page.goto("/admin/outbox");
        await page.locator("table a[href^='/admin/outbox/']").first().click();
        await page.waitForURL(/\/admin\/outbox\/\d+/);
        await expect.poll(() => page.frames().length).toBeGreaterThan(1);
        violations.push(...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])));
      }
      expect({ account, violations }).toEqual({ account, violations: [] });
      await context.close();
    }
  });
});

describe("every page of the demo is byte-clean UTF-8", () => {
  /** Crawls from "/" by the links of each page, one URL per route shape, as the account sees them. */
  async function crawl(account: string) {
    const cookie = await cookieOf(account);
    const queue = ["/"];
    const shapes = new Set<string>();
    const problems: string[] = [];
    let pages = 0;
    while (queue.length && pages < 150) {
      const path = queue.shift()!;
      const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
      if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) continue;
      pages++;
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status >= 500) problems.push(`${path}: ${res.status}`);
      if (bytes.includes(0)) problems.push(`${path}: ${bytes.filter((b) => b === 0).length} NUL bytes`);
      let text = "";
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        problems.push(`${path}: not valid UTF-8`);
      }
      if (text.includes("\uFFFD")) problems.push(`${path}: U+FFFD`);
      for (const [, href] of text.matchAll(/href="(\/[^"#]*)"/g)) {
        const link = href!.replace(/&amp;/g, "&");
        if (/^\/(build|logout)|\.(css|svg|ics|csv|xlsx)\b|\/export|\/print|\/calendar|\.html$|\/c\//.test(link)) continue;
        const shape = link.split("?")[0]!.replace(/\d+/g, "N") + (link.includes("?") ? "?" : "");
        if (shapes.has(shape)) continue;
        shapes.add(shape);
        queue.push(link);
      }
    }
    return { pages, problems };
  }

  it.each(["admin@luoshi.local", "head@luoshi.local", "cadre@luoshi.local"])("as %s: no NUL, no U+FFFD, valid UTF-8", async (account) => {
    const { pages, problems } = await crawl(account);
    expect(problems).toEqual([]);
    expect(pages).toBeGreaterThan(account === "admin@luoshi.local" ? 40 : 8);
  });
});

describe("Chinese text through a form without JavaScript", () => {
  it("comes back exactly as typed, saved twice", async () => {
    const context = await app.context({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, "cadre@luoshi.local");
    // Three texts of a few hundred characters (1.5 kB each in UTF-8): React 18's Node renderer wrote a
    // string of that size padded with NUL bytes wherever it did not fit the rest of its 2 kB chunk, which
    // a textarea shows as U+FFFD and a second save stored.
    const texts = {
      summary: "深入基层一线，调研督导，推动解决群众急难愁盼问题；".repeat(22),
      outcome: "协调解决道路硬化、饮水安全等实际困难共计十二件，群众满意度明显提升。".repeat(16),
      evidence: "现场照片、会议纪要、群众签字确认单各一份，存档备查。".repeat(20),
    };
    const fields = Object.keys(texts) as (keyof typeof texts)[];
    await page.goto("/frontline/new");
    await page.locator('select[name="category"]').selectOption({ index: 1 });
    await page.locator('input[name="place"]').fill("兰州新区秦川园区");
    await page.locator('input[name="startDate"]').fill("2026-03-02");
    await page.locator('input[name="endDate"]').fill("2026-03-04");
    for (const field of fields) await page.locator(`textarea[name="${field}"]`).fill(texts[field]);
    await Promise.all([page.waitForURL(/\/frontline\/\d+/), page.locator('button[name="intent"][value="save"]').click()]);
    const id = Number(/\/frontline\/(\d+)/.exec(page.url())![1]);
    const stored = async () => (await sql<(typeof texts)[]>`select summary, outcome, evidence from frontline_records where id = ${id}`)[0]!;
    expect(await stored()).toEqual(texts);
    // The edit page shows them in textareas as the server rendered them; saving again changes nothing.
    await page.goto(`/frontline/${id}/edit`);
    for (const field of fields) expect(await page.locator(`textarea[name="${field}"]`).inputValue()).toBe(texts[field]);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.endsWith("/edit")),
      page.locator('button[name="intent"][value="save"]').click(),
    ]);
    expect(await stored()).toEqual(texts);
    await context.close();
  });
});

describe("the server's log", () => {
  it("holds none of the seeded phone numbers and email addresses", () => {
    const log = serverLog();
    expect(log.length).toBeGreaterThan(0);
    const leaked = seededPersonalData().filter((value) => log.includes(value));
    expect(leaked).toEqual([]);
  });
});
