import { spawn } from "node:child_process";
import { eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DrainOptions, drainOutbox, LEASE_MS } from "~/modules/email/delivery.server";
import { enqueueEmail, enqueuePrepared, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { createRateLimiter } from "~/modules/email/rate-limiter";
import { inAppOutboxTransport, resendTransport } from "~/modules/email/transports.server";
import { connect } from "~db/client";
import { emailOutbox, emailSuppressions } from "~db/schema";
import { testDatabase } from "../setup/db";
import { type ResendStandIn, standInErrors, startResendStandIn } from "../setup/resend-standin";

const conn = await testDatabase();
const db = conn.db;

let standIn: ResendStandIn;
beforeAll(async () => {
  standIn = await startResendStandIn();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(async () => {
  standIn.reset();
  await db.delete(emailOutbox);
  await db.delete(emailSuppressions);
});

/** The real SDK against the stand-in, with a fast limiter and a fresh 429 pause per call. */
function options(extra: Partial<DrainOptions> = {}): DrainOptions {
  return {
    transport: resendTransport({ RESEND_API_KEY: standIn.apiKey, RESEND_BASE_URL: standIn.url }),
    limiter: createRateLimiter(1000),
    maxAttempts: 5,
    state: { pausedUntil: 0 },
    random: () => 0.5,
    ...extra,
  };
}

const props = {
  locale: "zh-CN" as const,
  organizationName: "测试市委组织部",
  name: "张三",
  url: "http://luoshi.test/reset-password/abcdefghijklmnopqrstuvwxyz234567",
  expiresAt: "2026-05-01T11:00:00.000Z",
  validMinutes: 60,
};

let template: PreparedEmail | undefined;
/** n messages rendered once and addressed apart (rendering each would only slow the tests). */
async function messages(n: number, prefix: string, to: (i: number) => string = (i) => `user${i}@example.cn`) {
  template ??= await prepareEmail({ template: "password-reset", to: "x@example.cn", idempotencyKey: "x", props });
  return Array.from({ length: n }, (_, i) => ({ ...template!, to: to(i), idempotencyKey: `${prefix}/${i}` }));
}

const later = (ms: number) => () => new Date(Date.now() + ms);

describe("the outbox", () => {
  it("sends nothing for a transaction that rolled back", async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, { template: "password-reset", to: "li@example.cn", idempotencyKey: "rollback/1", props });
        throw new Error("the action failed after queuing its email");
      }),
    ).rejects.toThrow("the action failed");
    const report = await drainOutbox(db, options());
    expect(report.calls).toBe(0);
    expect(standIn.requests).toHaveLength(0);
    expect(await db.select().from(emailOutbox)).toHaveLength(0);
  });

  it("sends a logical message once however often it is queued", async () => {
    expect(await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "twice/1", props })).toBe(true);
    expect(await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "twice/1", props })).toBe(false);
    await drainOutbox(db, options());
    expect(await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "twice/1", props })).toBe(false);
    await drainOutbox(db, options());
    expect(standIn.deliveries).toHaveLength(1);
    const [row] = await db.select().from(emailOutbox);
    expect(row).toMatchObject({ status: "sent", transport: "resend", providerMessageId: standIn.deliveries[0]!.id, attempts: 1 });
  });

  it("sends HTML and plain text, one message alone under its own idempotency key", async () => {
    await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "single/1", props });
    await drainOutbox(db, options());
    expect(standIn.requests).toMatchObject([{ path: "/emails", idempotencyKey: "single/1", status: 200 }]);
    const [delivery] = standIn.deliveries;
    expect(delivery!.from).toBe("落实 <noreply@luoshi.local>");
    expect(delivery!.html).toContain("<html");
    expect(delivery!.text).toContain("http://luoshi.test/reset-password/");
    expect(delivery!.text).not.toContain("<");
  });

  it("sends in batches of at most 100, each call with an idempotency key", async () => {
    await enqueuePrepared(db, await messages(250, "bulk"));
    const report = await drainOutbox(db, options());
    expect(report).toMatchObject({ calls: 3, sent: 250, failed: 0 });
    expect(standIn.requests.map((r) => r.messages)).toEqual([100, 100, 50]);
    expect(standIn.requests.every((r) => r.path === "/emails/batch" && r.idempotencyKey?.startsWith("batch/"))).toBe(true);
    expect(new Set(standIn.deliveries.map((d) => d.to)).size).toBe(250);
  });

  it("keeps within the configured request rate", async () => {
    await enqueuePrepared(db, await messages(3, "rate", (i) => `rate${i}@example.cn`));
    // Three separate calls: each message alone, at 4 requests per second.
    for (let i = 0; i < 3; i++) {
      await db
        .update(emailOutbox)
        .set({ batchKey: `rate/${i}` })
        .where(eq(emailOutbox.idempotencyKey, `rate/${i}`));
    }
    // The limiter runs on a clock of its own, so the spacing is read from its waits, not from when a
    // busy machine happened to deliver each request.
    const events: string[] = [];
    let now = 0;
    const limiter = createRateLimiter(4, {
      now: () => now,
      sleep: async (ms) => {
        events.push(`wait ${ms}`);
        now += ms;
      },
    });
    const take = async () => {
      await limiter.take();
      events.push(`send after ${standIn.requests.length}`);
    };
    await drainOutbox(db, options({ limiter: { take } }));
    expect(standIn.requests).toHaveLength(3);
    expect(events).toEqual(["send after 0", "wait 250", "send after 1", "wait 250", "send after 2"]);
  });

  it("in a batch with one invalid address, delivers the others and fails that one with the reason", async () => {
    await enqueuePrepared(db, await messages(3, "mixed", (i) => (i === 1 ? "not-an-address" : `ok${i}@example.cn`)));
    const report = await drainOutbox(db, options());
    expect(report).toMatchObject({ calls: 1, sent: 2, failed: 1 });
    expect(standIn.deliveries.map((d) => d.to).sort()).toEqual(["ok0@example.cn", "ok2@example.cn"]);
    const rows = await db.select().from(emailOutbox).orderBy(emailOutbox.id);
    expect(rows.map((r) => r.status)).toEqual(["sent", "failed", "sent"]);
    expect(rows[1]!.lastError).toMatch(/not-an-address/);
    expect(rows[0]!.providerMessageId).toBe(standIn.deliveries.find((d) => d.to === "ok0@example.cn")!.id);
  });

  it("honours Retry-After on 429: nothing is tried again before it has passed", async () => {
    await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "429/1", props });
    standIn.script(standInErrors.rateLimited(30));
    const state = { pausedUntil: 0 };
    const start = Date.now();
    const first = await drainOutbox(db, options({ state }));
    expect(first).toMatchObject({ calls: 1, retried: 1, paused: true });
    const [row] = await db.select().from(emailOutbox);
    expect(row!.status).toBe("queued");
    expect(row!.lastError).toMatch(/429 rate_limit_exceeded/);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(start + 30_000);

    expect((await drainOutbox(db, options({ state, now: later(29_000) }))).calls).toBe(0);
    expect(standIn.requests).toHaveLength(1);

    const again = await drainOutbox(db, options({ state, now: later(45_000) }));
    expect(again).toMatchObject({ calls: 1, sent: 1 });
    expect(standIn.deliveries).toHaveLength(1);
    // The retry is the same request: same idempotency key.
    expect(standIn.requests.map((r) => r.idempotencyKey)).toEqual(["429/1", "429/1"]);
  });

  it("backs off on 5xx and marks the message failed with its error after the attempt cap", async () => {
    await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "cap/1", props });
    standIn.script(standInErrors.serverError(), standInErrors.serverError(), standInErrors.serverError());
    const hours = (h: number) => later(h * 3_600_000);
    await drainOutbox(db, options({ maxAttempts: 3 }));
    let [row] = await db.select().from(emailOutbox);
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    // Not due yet: the backoff holds it.
    expect((await drainOutbox(db, options({ maxAttempts: 3 }))).calls).toBe(0);
    await drainOutbox(db, options({ maxAttempts: 3, now: hours(2) }));
    await drainOutbox(db, options({ maxAttempts: 3, now: hours(4) }));
    [row] = await db.select().from(emailOutbox);
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    expect(row!.lastError).toMatch(/500 internal_server_error.*after 3 attempts/);
    expect(standIn.requests).toHaveLength(3);
    expect(await drainOutbox(db, options({ maxAttempts: 3, now: hours(10) }))).toMatchObject({ calls: 0 });
    expect(standIn.deliveries).toHaveLength(0);
  });

  it("fails at once on an error that will not go away (bad key)", async () => {
    await enqueueEmail(db, { template: "password-reset", to: "li@example.cn", idempotencyKey: "badkey/1", props });
    await drainOutbox(db, options({ transport: resendTransport({ RESEND_API_KEY: "re_wrong", RESEND_BASE_URL: standIn.url }) }));
    const [row] = await db.select().from(emailOutbox);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row!.lastError).toMatch(/401 invalid_api_key/);
  });

  it("two workers draining at once never send a message twice", async () => {
    await enqueuePrepared(db, await messages(420, "race"));
    const second = connect(conn.url, { max: 3 });
    try {
      const reports = await Promise.all([drainOutbox(db, options()), drainOutbox(second.db, options())]);
      expect(reports[0].calls).toBeGreaterThan(0);
      expect(reports[1].calls).toBeGreaterThan(0);
      expect(reports[0].sent + reports[1].sent).toBe(420);
    } finally {
      await second.close();
    }
    expect(standIn.deliveries).toHaveLength(420);
    expect(new Set(standIn.deliveries.map((d) => d.to)).size).toBe(420);
    const rows = await db.select({ status: emailOutbox.status }).from(emailOutbox).where(like(emailOutbox.idempotencyKey, "race/%"));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  });

  it("a worker killed between the provider call and the status update causes no duplicate", async () => {
    await enqueuePrepared(db, await messages(5, "crash"));
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/luoshi.ts", "worker", "--drain-once"], {
      env: {
        ...process.env,
        DATABASE_URL: conn.url,
        RESEND_API_KEY: standIn.apiKey,
        RESEND_BASE_URL: standIn.url,
        EMAIL_RATE_PER_SECOND: "50",
        // Whatever the worker's sender setting, a retry repeats the stored request exactly.
        EMAIL_FROM: "Someone Else <other@luoshi.test>",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // The provider has accepted the batch; the worker dies before it hears the answer.
    const killed = new Promise<void>((resolve) =>
      standIn.onNextDelivery(async () => {
        child.kill("SIGKILL");
        await exited;
        resolve();
      }),
    );
    await Promise.race([killed, exited.then(() => Promise.reject(new Error(`worker exited early:\n${output}`)))]);
    expect(await exited).toBe("SIGKILL");
    expect(standIn.deliveries).toHaveLength(5);

    const stuck = await db.select().from(emailOutbox).where(like(emailOutbox.idempotencyKey, "crash/%"));
    expect(stuck.every((r) => r.status === "sending")).toBe(true);
    const batchKey = stuck[0]!.batchKey;
    expect(new Set(stuck.map((r) => r.batchKey))).toEqual(new Set([batchKey]));

    // Before the lease lapses, nobody touches the rows; after it, a worker repeats the same request.
    expect((await drainOutbox(db, options())).calls).toBe(0);
    const report = await drainOutbox(db, options({ now: later(LEASE_MS + 1000) }));
    expect(report).toMatchObject({ calls: 1, sent: 5 });
    expect(standIn.requests.map((r) => r.idempotencyKey)).toEqual([batchKey, batchKey]);
    expect(standIn.deliveries).toHaveLength(5);
    const done = await db
      .select()
      .from(emailOutbox)
      .where(
        inArray(
          emailOutbox.id,
          stuck.map((r) => r.id),
        ),
      );
    expect(done.every((r) => r.status === "sent" && r.attempts === 2)).toBe(true);
    expect(done.map((r) => r.providerMessageId).sort()).toEqual(standIn.deliveries.map((d) => d.id).sort());
  }, 60_000);

  it("gives up visibly on a batch whose worker died mid-call as often as the cap allows", async () => {
    await enqueuePrepared(db, await messages(2, "poison"));
    await db
      .update(emailOutbox)
      .set({ status: "sending", attempts: 5, batchKey: "batch/poison", nextAttemptAt: new Date(Date.now() - 1000) });
    const report = await drainOutbox(db, options({ maxAttempts: 5 }));
    expect(report).toMatchObject({ calls: 0, failed: 2 });
    const rows = await db.select().from(emailOutbox);
    expect(rows.every((r) => r.status === "failed" && r.lastError === "the worker stopped while sending (after 5 attempts)")).toBe(true);
  });

  it("sends a message with an attachment in a call of its own, the others batched", async () => {
    const ics = Buffer.from("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").toString("base64");
    const plain = await messages(2, "plain");
    const withFile = {
      ...(await messages(1, "ics"))[0]!,
      to: "ics@example.cn",
      attachments: [{ filename: "2026-07.ics", contentType: "text/calendar", content: ics }],
    };
    await enqueuePrepared(db, [plain[0]!, withFile, plain[1]!]);
    const report = await drainOutbox(db, options());
    expect(report).toMatchObject({ calls: 2, sent: 3 });
    expect(standIn.requests.map((r) => r.messages).sort()).toEqual([1, 2]);
    const single = standIn.deliveries.find((d) => d.to === "ics@example.cn")!;
    expect(single.attachments).toHaveLength(1);
    expect(single.attachments[0]).toMatchObject({ filename: "2026-07.ics", content: ics });
    expect(standIn.deliveries.filter((d) => d.attachments.length === 0)).toHaveLength(2);
  });

  it("skips addresses that bounced, saying why", async () => {
    await db.insert(emailSuppressions).values({ address: "gone@example.cn", reason: "bounced", detail: "Permanent / General" });
    await enqueuePrepared(db, await messages(2, "suppress", (i) => (i === 0 ? "Gone@Example.cn" : "here@example.cn")));
    const report = await drainOutbox(db, options());
    expect(report).toMatchObject({ suppressed: 1, sent: 1 });
    const rows = await db.select().from(emailOutbox).orderBy(emailOutbox.id);
    expect(rows[0]).toMatchObject({ status: "suppressed", lastError: "bounced: Permanent / General" });
    expect(standIn.deliveries.map((d) => d.to)).toEqual(["here@example.cn"]);
  });

  it("without a provider key, delivers to the in-app outbox and calls nobody", async () => {
    await enqueuePrepared(db, await messages(3, "offline"));
    const report = await drainOutbox(db, options({ transport: inAppOutboxTransport }));
    expect(report).toMatchObject({ sent: 3 });
    expect(standIn.requests).toHaveLength(0);
    const rows = await db.select().from(emailOutbox);
    expect(rows.every((r) => r.status === "sent" && r.transport === "outbox" && r.sentAt)).toBe(true);
  });
});
