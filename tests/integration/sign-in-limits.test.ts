import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import { emailOutbox, loginThrottles, securityEvents, settings } from "~db/schema";
import { createCadre, createUnit, createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, makeRequest } from "../setup/routes";

const { db } = await testDatabase();

const unit = await createUnit(db, { name: "市财政局" });
let seq = 0;
async function person(password = "Right-horse-77") {
  const n = ++seq;
  const cadre = await createCadre(db, { unitId: unit.id, staffNo: `SL${n}`, email: `sl${n}@example.cn`, name: `试${n}` });
  const user = await createUser(db, { cadreId: cadre.id, password });
  return { user, staffNo: `SL${n}`, email: `sl${n}@example.cn` };
}

function attempt(identifier: string, password: string, options: { address?: string; cookie?: string } = {}) {
  const request = makeRequest("/login", { form: { identifier, password }, cookie: options.cookie });
  request.headers.set("x-luoshi-client-address", options.address ?? "10.0.0.1");
  return callRoute<any>(login.action, request);
}

const deviceOf = (res: { headers: Headers }) => /luoshi_known_device=([a-z2-7]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
const reasons = async (userId: number) =>
  (
    await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, userId), eq(securityEvents.kind, "sign_in.failed")))
  ).map((e) => e.reason);

beforeEach(async () => {
  await db.delete(loginThrottles);
  await db.delete(settings).where(eq(settings.key, "security.policy"));
});

describe("sign-in limits", () => {
  it("12 wrong passwords at once against a limit of 5: only 5 are ever checked, the rest refused unchecked", async () => {
    const { user, staffNo } = await person();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(staffNo, `wrong-${i}`)));
    expect(results.filter((r) => r.status === 400)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
    const logged = await reasons(user.id);
    expect(logged.filter((r) => r === "wrong_password")).toHaveLength(5);
    expect(logged.filter((r) => r === "locked")).toHaveLength(7);
    // Even the right password now waits for the lock to end.
    expect((await attempt(staffNo, "Right-horse-77")).status).toBe(429);
  });

  it("counts the account, not the identifier: the staff number and the email share one counter", async () => {
    const { staffNo, email } = await person();
    for (let i = 0; i < 3; i++) expect((await attempt(staffNo, `wrong-${i}`)).status).toBe(400);
    for (let i = 0; i < 2; i++) expect((await attempt(email.toUpperCase(), `wrong-${i}`)).status).toBe(400);
    expect((await attempt(email, "Right-horse-77")).status).toBe(429);
    expect((await attempt(staffNo, "Right-horse-77")).status).toBe(429);
  });

  it("tells the owner by email, once, when the account is locked", async () => {
    const { user, staffNo, email } = await person();
    for (let i = 0; i < 7; i++) await attempt(staffNo, `wrong-${i}`, { address: "203.0.113.9" });
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.userId, user.id), eq(emailOutbox.template, "security-notice")));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe(email);
    expect(mails[0]!.text).toContain("203.0.113.9");
    expect(mails[0]!.subject).toBe("您的落实平台账号已被临时锁定");
    const locked = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.kind, "account.locked")));
    expect(locked).toHaveLength(1);
  });

  it("limits an unknown name exactly like a real one (nothing tells which accounts exist)", async () => {
    for (let i = 0; i < 5; i++) expect((await attempt("no-such-person", `wrong-${i}`)).status).toBe(400);
    expect((await attempt("no-such-person", "anything")).status).toBe(429);
  });

  it("a bureau behind one NAT keeps signing in while one client there sprays guesses", async () => {
    const nat = "198.51.100.20";
    const colleagues = await Promise.all([person(), person(), person()]);
    // Each colleague signed in from their own browser before: it carries a device cookie.
    const devices = [];
    for (const c of colleagues) {
      const first = await attempt(c.staffNo, "Right-horse-77", { address: nat });
      expect(first.status).toBe(302);
      devices.push(deviceOf(first)!);
    }
    // The sprayer tries many accounts, a few guesses each (under each account's limit), from the same address.
    const targets = await Promise.all(Array.from({ length: 10 }, () => person()));
    for (const target of targets) for (let i = 0; i < 3; i++) await attempt(target.staffNo, `guess-${i}`, { address: nat });
    // The address is now held back for clients without a device cookie, the sprayer included…
    expect((await attempt(targets[0]!.staffNo, "guess-x", { address: nat })).status).toBe(429);
    const address = await db
      .select()
      .from(loginThrottles)
      .where(and(eq(loginThrottles.scope, "address"), eq(loginThrottles.key, nat)));
    expect(address[0]!.failures).toBe(30);
    expect(address[0]!.lockedUntil).not.toBeNull();
    // …but the colleagues sign in as usual from their browsers.
    for (const [i, c] of colleagues.entries()) {
      const again = await attempt(c.staffNo, "Right-horse-77", { address: nat, cookie: `luoshi_known_device=${devices[i]}` });
      expect(again.status).toBe(302);
    }
    // A device cookie of someone else's account does not help.
    expect(
      (await attempt(targets[1]!.staffNo, "Right-horse-77", { address: nat, cookie: `luoshi_known_device=${devices[0]}` })).status,
    ).toBe(429);
  });

  it("a lock someone else caused does not keep the owner out of the browser they use", async () => {
    const { staffNo } = await person();
    const first = await attempt(staffNo, "Right-horse-77", { address: "10.1.1.1" });
    const device = deviceOf(first)!;
    for (let i = 0; i < 6; i++) await attempt(staffNo, `wrong-${i}`, { address: "192.0.2.66" });
    expect((await attempt(staffNo, "Right-horse-77", { address: "192.0.2.66" })).status).toBe(429);
    expect((await attempt(staffNo, "Right-horse-77", { address: "10.1.1.1", cookie: `luoshi_known_device=${device}` })).status).toBe(302);
  });

  it("a correct password clears the account's count, not the address's", async () => {
    const { user, staffNo } = await person();
    for (let i = 0; i < 4; i++) await attempt(staffNo, `wrong-${i}`, { address: "10.9.9.9" });
    expect((await attempt(staffNo, "Right-horse-77", { address: "10.9.9.9" })).status).toBe(302);
    expect(
      await db
        .select()
        .from(loginThrottles)
        .where(eq(loginThrottles.key, `user:${user.id}`)),
    ).toHaveLength(0);
    const [address] = await db.select().from(loginThrottles).where(eq(loginThrottles.key, "10.9.9.9"));
    expect(address!.failures).toBe(4);
  });

  it("follows the limit the security admin set", async () => {
    await db.insert(settings).values({ key: "security.policy", value: { maxFailuresPerAccount: 3 } });
    const { staffNo } = await person();
    for (let i = 0; i < 3; i++) expect((await attempt(staffNo, `wrong-${i}`)).status).toBe(400);
    expect((await attempt(staffNo, "Right-horse-77")).status).toBe(429);
  });
});
