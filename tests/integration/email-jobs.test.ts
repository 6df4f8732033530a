import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import runJobsCommand from "~/cli/commands/jobs";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueueEmail } from "~/modules/email/outbox.server";
import { nightlyCleanup } from "~/modules/jobs/cleanup.server";
import { recentJobRuns, storedSchedules } from "~/modules/jobs/history.server";
import { startJobs } from "~/modules/jobs/runner.server";
import { QUEUES, SCHEDULES } from "~/modules/jobs/schedules";
import { resetEnvCache } from "~/utils/env.server";
import { accountTokens, emailOutbox, importBatches, loginThrottles, sessions } from "~db/schema";
import { createUser } from "~db/seed/factories";
import { testDatabase } from "../setup/db";

const conn = await testDatabase();
const db = conn.db;

beforeAll(() => {
  delete process.env.RESEND_API_KEY;
  process.env.EMAIL_DRAIN_INTERVAL_SECONDS = "1";
  resetEnvCache();
});
afterAll(() => {
  delete process.env.EMAIL_DRAIN_INTERVAL_SECONDS;
  resetEnvCache();
});

const props = {
  locale: "zh-CN" as const,
  organizationName: "测试市委组织部",
  name: "张三",
  url: "http://luoshi.test/reset-password/x",
  expiresAt: "2026-05-01T11:00:00.000Z",
  validMinutes: 60,
};

async function until<T>(probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

describe("the job queue", () => {
  it("with the worker on, sends queued email soon after the nudge and records the run", async () => {
    const lines: string[] = [];
    const jobs = await startJobs({ databaseUrl: conn.url, log: (l) => lines.push(l), runWorker: true });
    try {
      await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "jobs/1", props });
      nudgeOutbox();
      const sent = await until(async () => {
        const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "jobs/1"));
        return row?.status === "sent" ? row : null;
      });
      expect(sent.transport).toBe("outbox");

      // A message that becomes due later is found by the worker's tick, without a nudge.
      await enqueueEmail(db, { template: "password-reset", to: "zhao@example.cn", idempotencyKey: "jobs/2", props });
      await until(async () => {
        const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "jobs/2"));
        return row?.status === "sent";
      });

      const schedules = await storedSchedules(db);
      // Every schedule in SCHEDULES is stored, each in Shanghai time (capabilities add their own).
      expect(schedules.map((s) => s.name).sort()).toEqual(SCHEDULES.map((s) => s.queue).sort());
      expect(schedules.map((s) => s.timezone)).toEqual(schedules.map(() => "Asia/Shanghai"));
      expect(schedules.map((s) => s.name)).toEqual(expect.arrayContaining([QUEUES.emailDrain, QUEUES.nightlyCleanup]));
      const runs = await until(async () => {
        const r = await recentJobRuns(db);
        return r.some((run) => run.queue === QUEUES.emailDrain && run.state === "completed") ? r : null;
      });
      expect(runs.find((r) => r.state === "completed")!.output).toMatchObject({ sent: expect.any(Number) });
      expect(lines.join("\n")).toMatch(/worker running; email via the in-app outbox/);
    } finally {
      await jobs.stop();
    }
  }, 40_000);

  it("`luoshi jobs` lists the schedules and recent runs", async () => {
    const out: string[] = [];
    const code = await runJobsCommand([], { db, out: (l) => out.push(l), err: () => {} });
    expect(code).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("Schedules (Asia/Shanghai):");
    expect(text).toMatch(/30 3 \* \* \*\s+maintenance\.nightly .*\[active\]/);
    expect(text).toMatch(/email\.drain\s+completed/);
    expect(await runJobsCommand(["--limit", "x"], { db, out: () => {}, err: () => {} })).toBe(2);
  });

  it("with the worker off, only queues jobs for workers elsewhere", async () => {
    const jobs = await startJobs({ databaseUrl: conn.url, runWorker: false });
    try {
      await db.execute(sql`delete from pgboss.job where name = ${QUEUES.emailDrain}`);
      await enqueueEmail(db, { template: "password-reset", to: "wang@example.cn", idempotencyKey: "jobs/3", props });
      await nudgeOutbox();
      const waiting = await db.execute<{ state: string }>(sql`select state::text from pgboss.job where name = ${QUEUES.emailDrain}`);
      expect(waiting.map((r) => r.state)).toEqual(["created"]);
      // A burst of nudges collapses into the one waiting job (each nudge settles once the queue has it).
      await Promise.all(Array.from({ length: 5 }, () => nudgeOutbox()));
      expect(await db.execute(sql`select 1 from pgboss.job where name = ${QUEUES.emailDrain}`)).toHaveLength(1);
      const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "jobs/3"));
      expect(row!.status).toBe("queued");
    } finally {
      await jobs.stop();
    }
  }, 30_000);
});

describe("nightly clean-up", () => {
  it("removes expired sessions, spent sign-in counters, spent links and old finished import batches only", async () => {
    const user = await createUser(db, { password: "some-password" });
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
    await db.insert(sessions).values([
      { id: "expired", userId: user.id, idleExpiresAt: ago(1), expiresAt: ago(1) },
      { id: "live", userId: user.id, idleExpiresAt: ago(-1), expiresAt: ago(-10) },
    ]);
    await db.insert(loginThrottles).values([
      { scope: "account", key: "old", failures: 3, windowStartedAt: ago(2) },
      { scope: "account", key: "recent", failures: 3, windowStartedAt: ago(0) },
    ]);
    await db.insert(accountTokens).values([
      { id: "spent-old", userId: user.id, purpose: "invitation", expiresAt: ago(20), createdAt: ago(40), usedAt: ago(35) },
      { id: "expired-old", userId: user.id, purpose: "password_reset", expiresAt: ago(39), createdAt: ago(40) },
      { id: "spent-recent", userId: user.id, purpose: "invitation", expiresAt: ago(-5), createdAt: ago(2), usedAt: ago(1) },
    ]);
    const batch = { kind: "cadres", fileName: "x.csv", fileHash: "h", rows: [], summary: {} };
    await db.insert(importBatches).values([
      { ...batch, status: "applied", createdAt: ago(60) },
      { ...batch, status: "discarded", createdAt: ago(45) },
      { ...batch, status: "previewed", createdAt: ago(60) },
      { ...batch, status: "applied", createdAt: ago(3) },
    ]);

    expect(await nightlyCleanup(db, now)).toEqual({ linkTokens: 2, importBatches: 2, securityEvents: 0 });
    expect((await db.select().from(sessions)).map((s) => s.id)).toEqual(["live"]);
    expect((await db.select().from(loginThrottles)).map((f) => f.key)).toEqual(["recent"]);
    expect((await db.select().from(accountTokens)).map((t) => t.id)).toEqual(["spent-recent"]);
    expect((await db.select().from(importBatches)).map((b) => b.status).sort()).toEqual(["applied", "previewed"]);
    // Running it again changes nothing.
    expect(await nightlyCleanup(db, now)).toEqual({ linkTokens: 0, importBatches: 0, securityEvents: 0 });
  });
});
