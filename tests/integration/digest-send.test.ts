import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import runDigestCommand from "~/cli/commands/digest";
import type { CurrentUser } from "~/modules/auth/roles";
import { loadCurrentUser } from "~/modules/auth/service.server";
import { sendWeeklyDigests, weeklyDigestJob } from "~/modules/digest/send.server";
import { storedSchedules } from "~/modules/jobs/history.server";
import { startJobs } from "~/modules/jobs/runner.server";
import { JOB_TIME_ZONE, QUEUES, SCHEDULES } from "~/modules/jobs/schedules";
import { setUnitDigestCopies } from "~/modules/organization/unit-edits.server";
import * as unitEdit from "~/routes/units.$unitId_.edit";
import { formatIsoWeek, isoWeekOf, shiftWeek } from "~/utils/dates";
import { timingTotals } from "~/utils/timing";
import { connect } from "~db/client";
import { auditLog, emailOutbox, units } from "~db/schema";
import { addLiaison, createCadre, createUnit, createUser, makeHead } from "~db/seed/factories";
import { testDatabase } from "../setup/db";
import { callRoute, cookieFor, makeRequest } from "../setup/routes";

const conn = await testDatabase();
const db = conn.db;

const W47 = { year: 2026, week: 47 };
/** Monday 16 November 2026, 08:00 in Shanghai. */
const MONDAY = new Date("2026-11-16T00:00:00Z");

const u: Record<string, number> = {};
const c: Record<string, { id: number; email: string }> = {};
let admin: CurrentUser;
let adminCookie: string;
let headCookie: string;

async function person(key: string, unit: string, options: { email?: string | null; locale?: string } = {}) {
  const cadre = await createCadre(db, {
    unitId: u[unit]!,
    staffNo: `DS${key.toUpperCase()}`,
    name: key,
    email: options.email === undefined ? `${key}@digest.test` : options.email,
  });
  const user = await createUser(db, { cadreId: cadre.id, disabled: false, locale: options.locale ?? "zh-CN" });
  c[key] = { id: cadre.id, email: cadre.email ?? "" };
  return user.id;
}

const digests = () =>
  db
    .select({
      key: emailOutbox.idempotencyKey,
      to: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      text: emailOutbox.text,
      locale: emailOutbox.locale,
      userId: emailOutbox.userId,
    })
    .from(emailOutbox)
    .where(eq(emailOutbox.template, "weekly-digest"))
    .orderBy(emailOutbox.idempotencyKey);

beforeAll(async () => {
  for (const [key, name] of [
    ["a", "教育局"],
    ["b", "财政局"],
    ["c", "体育中心"],
    ["d", "档案馆"],
    ["e", "无负责人单位"],
  ] as const) {
    u[key] = (await createUnit(db, { code: `DS${key.toUpperCase()}`, name })).id;
  }
  const headUser = await person("heada", "a");
  await person("headb", "b", { locale: "en" });
  await person("liaisona", "a");
  await person("liaisonb", "b");
  await person("noemail", "d", { email: null });
  await makeHead(db, u.a!, c.heada!.id);
  await makeHead(db, u.b!, c.headb!.id);
  // One head for two units: one email covering both.
  await makeHead(db, u.c!, c.heada!.id);
  // A head without an email gets nothing.
  await makeHead(db, u.d!, c.noemail!.id);
  await addLiaison(db, u.a!, c.liaisona!.id);
  await addLiaison(db, u.b!, c.liaisonb!.id);
  const adminUser = await createUser(db, { roles: ["org_admin"], password: null, disabled: false });
  admin = (await loadCurrentUser(db, adminUser.id, "test"))!;
  adminCookie = await cookieFor(db, adminUser.id);
  headCookie = await cookieFor(db, headUser);
});

describe("sending the weekly digest", () => {
  it("copies a unit's liaisons only when the unit chose it, and says so in the audit log", async () => {
    await setUnitDigestCopies(db, admin, u.a!, { digestCopiesLiaisons: true });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "unit.updated"), eq(auditLog.entityId, String(u.a))));
    expect(audit).toMatchObject({ before: { digestCopiesLiaisons: false }, after: { digestCopiesLiaisons: true } });

    const week = shiftWeek(W47, -3);
    const result = await sendWeeklyDigests(db, { week, now: MONDAY, origin: "https://luoshi.test" });
    expect(result).toMatchObject({ week: "2026-W44", recipients: 3, queued: 3, existing: 0 });
    const rows = (await digests()).filter((r) => r.key.includes("/2026-W44"));
    expect(rows.map((r) => [r.key, r.to])).toEqual([
      [`digest/${c.heada!.id}/2026-W44`, c.heada!.email],
      [`digest/${c.heada!.id}/2026-W44/liaison/${c.liaisona!.id}`, c.liaisona!.email],
      [`digest/${c.headb!.id}/2026-W44`, c.headb!.email],
    ]);
    const headA = rows[0]!;
    expect(headA.subject).toBe("教育局等 2 个单位周报 · 2026年第44周");
    expect(headA.text).toContain("体育中心");
    const copy = rows[1]!;
    // The liaison's copy covers only the unit they liaise for.
    expect(copy.subject).toBe("（抄送）教育局周报 · 2026年第44周");
    expect(copy.text).toContain("这是发给heada同志的单位周报的抄送件");
    expect(copy.text).not.toContain("体育中心");
    // The head who chose English reads English.
    expect(rows[2]).toMatchObject({ locale: "en", subject: "财政局 weekly digest · week 44, 2026" });
    expect(rows[2]!.text).toContain("All clear: nothing needs your attention this week.");
    await setUnitDigestCopies(db, admin, u.a!, { digestCopiesLiaisons: false });
  });

  it("sends one digest per head and week however often it runs, even two runs at once on two servers", async () => {
    const week = shiftWeek(W47, -2);
    const other = [connect(conn.url, { max: 2 }), connect(conn.url, { max: 2 })];
    try {
      const parts = [timingTotals(), timingTotals()];
      const runs = await Promise.all(
        other.map((o, i) => sendWeeklyDigests(o.db, { week, now: MONDAY, origin: "https://luoshi.test", timing: parts[i]!.timing })),
      );
      expect(runs.map((r) => r.recipients)).toEqual([2, 2]);
      // Both found nothing queued yet and rendered everything: the unique key decided at insert time.
      expect(parts.map((p) => "digest.gather" in p.totals && "digest.render" in p.totals)).toEqual([true, true]);
      // Between them, each digest was queued exactly once; the other run found it there.
      expect(runs[0]!.queued + runs[1]!.queued).toBe(2);
      expect(runs[0]!.existing + runs[1]!.existing).toBe(2);
    } finally {
      await Promise.all(other.map((o) => o.close()));
    }
    const again = await sendWeeklyDigests(db, { week, now: MONDAY });
    expect(again).toMatchObject({ recipients: 2, queued: 0, existing: 2 });
    const rows = await db
      .select({ key: emailOutbox.idempotencyKey })
      .from(emailOutbox)
      .where(like(emailOutbox.idempotencyKey, "digest/%/2026-W45%"));
    expect(rows.map((r) => r.key).sort()).toEqual([`digest/${c.heada!.id}/2026-W45`, `digest/${c.headb!.id}/2026-W45`].sort());
  });

  it("refuses a week that has not begun", async () => {
    await expect(sendWeeklyDigests(db, { week: shiftWeek(W47, 1), now: MONDAY })).rejects.toMatchObject({
      label: "invalid",
      messageKey: "digest.errors.futureWeek",
    });
  });

  it("runs every Monday at 08:00 Shanghai time on the job queue", async () => {
    expect(SCHEDULES.find((s) => s.queue === QUEUES.weeklyDigest)).toMatchObject({ queue: "digest.weekly", cron: "0 8 * * 1" });
    const jobs = await startJobs({ databaseUrl: conn.url, runWorker: true });
    try {
      const stored = (await storedSchedules(db)).find((s) => s.name === "digest.weekly");
      expect(stored).toMatchObject({ cron: "0 8 * * 1", timezone: JOB_TIME_ZONE });
    } finally {
      await jobs.stop();
    }
    // The job sends the week it runs in: at 08:00 on Monday 9 November, 2026-W46.
    const monday = new Date("2026-11-09T00:00:00Z");
    const result = await weeklyDigestJob(db, monday);
    expect(result).toMatchObject({ week: "2026-W46", recipients: 2, queued: 2, existing: 0 });
    expect(await weeklyDigestJob(db, new Date(monday.getTime() + 3_600_000))).toMatchObject({ week: "2026-W46", queued: 0, existing: 2 });
  }, 30_000);
});

describe("`luoshi digest`", () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDigestCommand(args, { db, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("checks its arguments before doing anything: usage and exit code 2", async () => {
    const before = (await digests()).length;
    for (const args of [
      [],
      ["send"],
      ["send", "--week"],
      ["frobnicate", "--week", "2026-W47"],
      ["preview", "--week", "2026-W47"],
      ["send", "--week", "2026-W47", "--unit", "DSA"],
      ["send", "2026-W47"],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain("Usage: npm run luoshi -- digest send --week 2026-W47");
    }
    for (const week of ["2026-W54", "2027-W53", "47", "2026-47"]) {
      const r = await run("send", "--week", week);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`“${week}”不是有效的 ISO 周（例如 2026-W47）`);
    }
    const future = await run("send", "--week", formatIsoWeek(shiftWeek(isoWeekOf(new Date()), 1)));
    expect(future.code).toBe(2);
    expect(future.err).toContain("还没有到");
    expect((await digests()).length).toBe(before);
  });

  it("sends a week by hand and says how many were queued and how many already existed", async () => {
    const week = formatIsoWeek(isoWeekOf(new Date()));
    const first = await run("send", "--week", week);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toBe(`${week}：新加入发件箱 2 封周报，已存在 0 封（收件人 2 个）`);
    const second = await run("send", "--week", week);
    expect(second.out).toBe(`${week}：新加入发件箱 0 封周报，已存在 2 封（收件人 2 个）`);
  });

  it("previews a unit head's digest as text", async () => {
    const r = await run("preview", "--week", "2026-W47", "--unit", "DSB");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`To: ${c.headb!.email}`);
    expect(r.out).toContain("Subject: 财政局 weekly digest · week 47, 2026");
    expect((await run("preview", "--week", "2026-W47", "--unit", "NOPE")).code).toBe(1);
    const headless = await run("preview", "--week", "2026-W47", "--unit", "DSE");
    expect(headless).toMatchObject({ code: 1, err: "单位 DSE 没有负责人，或负责人没有登记邮箱，不发周报" });
  });
});

describe("the unit's choice to copy its liaisons", () => {
  it("only an org admin may change it; the edit page shows it", async () => {
    const form = { intent: "digestCopies", digestCopiesLiaisons: "on" };
    const denied = await callRoute(unitEdit.action, makeRequest(`/units/${u.b}/edit`, { cookie: headCookie, form }), {
      unitId: String(u.b),
    });
    expect(denied.status).toBe(403);
    const anonymous = await callRoute(unitEdit.action, makeRequest(`/units/${u.b}/edit`, { form }), { unitId: String(u.b) });
    expect(anonymous.status).toBe(302);
    const [unchanged] = await db.select({ v: units.digestCopiesLiaisons }).from(units).where(eq(units.id, u.b!));
    expect(unchanged!.v).toBe(false);

    const ok = await callRoute<{ ok: boolean; message: string }>(
      unitEdit.action,
      makeRequest(`/units/${u.b}/edit`, { cookie: adminCookie, form }),
      { unitId: String(u.b) },
    );
    expect(ok.data).toEqual({ ok: true, message: "organization.units.digestCopiesSaved" });
    const page = await callRoute<{ digestCopiesLiaisons: boolean }>(
      unitEdit.loader,
      makeRequest(`/units/${u.b}/edit`, { cookie: adminCookie }),
      { unitId: String(u.b) },
    );
    expect(page.data!.digestCopiesLiaisons).toBe(true);
    // Unticked: the box sends nothing.
    await callRoute(unitEdit.action, makeRequest(`/units/${u.b}/edit`, { cookie: adminCookie, form: { intent: "digestCopies" } }), {
      unitId: String(u.b),
    });
    const [after] = await db.select({ v: units.digestCopiesLiaisons }).from(units).where(eq(units.id, u.b!));
    expect(after!.v).toBe(false);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "unit.updated"), eq(auditLog.entityId, String(u.b))));
    expect(audits.map((a) => a.after)).toEqual([{ digestCopiesLiaisons: true }, { digestCopiesLiaisons: false }]);
  });
});
