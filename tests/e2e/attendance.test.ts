import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserForSuite, DESKTOP, PHONE, signIn } from "../setup/browser";

const app = browserForSuite();

/**
 * The check-in as it happens at a venue: the org admin puts the venue's screen up, a cadre scans the
 * code with a phone (not signed in yet: the scan survives the login), confirms, and the screen counts
 * them without a reload. The URL is read from the page's data attribute, not decoded from the image.
 */
let sessionVenueId: number;
let sql: postgres.Sql;
beforeAll(async () => {
  sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  // Today's demonstration session (seeded a quarter of an hour ahead), at the demo cadre's own venue.
  const [row] = await sql<{ id: number }[]>`
    select sv.id from class_session_venues sv
    join class_sessions s on s.id = sv.session_id
    join class_registrations r on r.session_id = s.id and r.venue_id = sv.venue_id
    join cadres c on c.id = r.cadre_id
    where s.code like '%-D1' and c.email = 'cadre@luoshi.local'`;
  sessionVenueId = Number(row!.id);
});
afterAll(async () => {
  await sql?.end();
});

describe("check-in at a venue", () => {
  it("the venue screen shows a code that a phone opens, signs in through, and confirms; the screen counts it", async () => {
    const desk = await app.context(DESKTOP);
    const screen = await desk.newPage();
    await signIn(screen, "admin@luoshi.local");
    await screen.goto("/attendance/venues");
    await screen.locator(`[data-session-venue="${sessionVenueId}"]`).getByRole("link", { name: "签到屏幕" }).click();
    await screen.waitForURL(`**/attendance/venue/${sessionVenueId}/display`);
    const code = screen.locator("[data-checkin-url]");
    await expect.poll(() => code.count()).toBe(1);
    expect(await code.locator("svg").count()).toBe(1);
    const url = (await code.getAttribute("data-checkin-url"))!;
    expect(url).toMatch(/\/c\/[A-Za-z0-9_-]{42}$/);
    const checkedIn = screen.getByTestId("checked-in").locator(".venue-count-value");
    const before = Number(await checkedIn.textContent());

    const phoneContext = await app.context(PHONE);
    const phone = await phoneContext.newPage();
    await phone.goto(new URL(url).pathname);
    await phone.waitForURL(/\/login\?redirectTo=%2Fc%2F/);
    await phone.getByLabel(/邮箱或工号/).fill("cadre@luoshi.local");
    await phone.getByLabel(/^密码$/).fill("luoshi-demo");
    await Promise.all([phone.waitForURL(/\/c\//), phone.getByRole("button", { name: /^登录$/ }).click()]);
    await expect.poll(() => phone.locator(".checkin-facts").innerText()).toContain("已报名本分会场");
    await phone.getByRole("button", { name: "确认签到" }).click();
    await expect.poll(() => phone.locator("[data-result]").getAttribute("data-result")).toBe("checked_in");
    expect(await phone.locator("[data-result]").innerText()).toMatch(/签到成功，\d{2}:\d{2}/);

    // Scanning again answers with the first time and changes nothing.
    await phone.reload();
    await expect.poll(() => phone.locator("[data-result]").innerText()).toMatch(/您已于 \d{2}:\d{2} 签到/);
    expect(await phone.getByRole("button", { name: "确认签到" }).count()).toBe(0);

    // The screen picks it up without a reload.
    await expect.poll(() => checkedIn.textContent().then(Number), { timeout: 15_000 }).toBe(before + 1);
    await expect.poll(() => screen.locator(".venue-latest").innerText()).toContain("出席");

    // The cadre's own page lists it.
    await phone.goto("/attendance");
    await expect.poll(() => phone.locator("[data-session$='-D1'] .badge").first().innerText()).toBe("出席");
    await phoneContext.close();
    await desk.close();
  });

  it("the code on the screen changes with the window, without a reload", { timeout: 90_000 }, async () => {
    const desk = await app.context(DESKTOP);
    const screen = await desk.newPage();
    await signIn(screen, "admin@luoshi.local");
    await screen.goto(`/attendance/venue/${sessionVenueId}/display`);
    const code = screen.locator("[data-checkin-url]");
    const first = await code.getAttribute("data-checkin-url");
    const window = Number(await code.getAttribute("data-window"));
    await expect.poll(() => code.getAttribute("data-window").then(Number), { timeout: 45_000, interval: 1000 }).toBe(window + 1);
    expect(await code.getAttribute("data-checkin-url")).not.toBe(first);
    await desk.close();
  });

  it("a confirm that the server's check-in path cannot settle reaches Remix with its form, and Remix answers it", async () => {
    const desk = await app.context(DESKTOP);
    const screen = await desk.newPage();
    await signIn(screen, "admin@luoshi.local");
    await screen.goto(`/attendance/venue/${sessionVenueId}/display`);
    const url = new URL((await screen.locator("[data-checkin-url]").getAttribute("data-checkin-url"))!);
    await desk.close();
    const token = url.pathname.split("/").pop()!;
    // A login cookie that names no session: the fast path reads the form, finds nobody and hands over.
    // Remix must still be able to read the form (else this hangs) and sends the phone to the login.
    const base = inject("baseUrl");
    const res = await fetch(`${base}/c/${token}.data`, {
      method: "POST",
      headers: {
        origin: base,
        cookie: "luoshi_session=abcdefghijklmnopqrstuvwxyz234567",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "intent=confirm",
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-remix-response")).toBe("yes");
    expect(await res.text()).toContain(`"/login?redirectTo=%2Fc%2F${token}"`);
  });
});
