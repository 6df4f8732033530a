/**
 * `npx tsx bench/email.ts [--count N]`: renders and enqueues N (default 10,000) emails into a
 * throw-away embedded PostgreSQL, next to a bare React Email render() loop as the baseline, then
 * drains them to the in-app outbox. The last line printed is one JSON object with the figures.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { render } from "@react-email/render";
import { createElement } from "react";
import { drainOutbox } from "~/modules/email/delivery.server";
import { enqueuePrepared, type PreparedEmail, prepareEmail } from "~/modules/email/outbox.server";
import { inAppOutboxTransport } from "~/modules/email/transports.server";
import { env } from "~/utils/env.server";
import { connect } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";
import InvitationEmail, { type InvitationEmailProps } from "~emails/invitation";

const countAt = process.argv.indexOf("--count");
const COUNT = countAt > 0 ? Number(process.argv[countAt + 1]) : 10_000;
if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error("--count must be a positive integer");

const props = (i: number): InvitationEmailProps => ({
  ...InvitationEmail.PreviewProps,
  locale: i % 5 === 0 ? "en" : "zh-CN",
  name: `干部${i}`,
  staffNo: `B${String(i).padStart(6, "0")}`,
  url: `https://luoshi.example.gov.cn/invite/${String(i).padStart(32, "a")}`,
});

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  env(); // the environment, validated as the server and the CLI validate it
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-email-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
  const connection = connect(pg.url(), { max: 4 });
  try {
    await runMigrations(pg.url());
    const db = connection.db;

    // Warm up the JIT and the translator caches before timing anything.
    for (let i = 0; i < 50; i++) await render(createElement(InvitationEmail, props(i)));

    let started = performance.now();
    for (let i = 0; i < COUNT; i++) await render(createElement(InvitationEmail, props(i)));
    const baselineMs = performance.now() - started;

    // The product's path: HTML, plain text and subject per message, then inserts in transactions of 500.
    started = performance.now();
    const prepared: PreparedEmail[] = [];
    for (let i = 0; i < COUNT; i++) {
      prepared.push(
        await prepareEmail({ template: "invitation", to: `cadre${i}@bench.luoshi.local`, idempotencyKey: `bench/${i}`, props: props(i) }),
      );
    }
    const renderMs = performance.now() - started;
    started = performance.now();
    for (let i = 0; i < prepared.length; i += 500) {
      await db.transaction((tx) => enqueuePrepared(tx, prepared.slice(i, i + 500)));
    }
    const enqueueMs = performance.now() - started;

    started = performance.now();
    const drained = await drainOutbox(db, { transport: inAppOutboxTransport, budgetMs: 10 * 60_000 });
    const drainMs = performance.now() - started;
    if (drained.sent !== COUNT) throw new Error(`drained ${drained.sent} of ${COUNT}`);

    const result = {
      count: COUNT,
      baseline: { rendersPerSecond: round((COUNT / baselineMs) * 1000, 1), msPerEmail: round(baselineMs / COUNT) },
      renderWithText: { rendersPerSecond: round((COUNT / renderMs) * 1000, 1), msPerEmail: round(renderMs / COUNT) },
      enqueue: { msPerEmail: round(enqueueMs / COUNT) },
      renderAndEnqueue: {
        emailsPerSecond: round((COUNT / (renderMs + enqueueMs)) * 1000, 1),
        msPerEmail: round((renderMs + enqueueMs) / COUNT),
      },
      drainToOutbox: { emailsPerSecond: round((COUNT / drainMs) * 1000, 1), calls: drained.calls },
      overheadVsBaseline: round((renderMs + enqueueMs) / baselineMs, 2),
      node: process.version,
    };
    console.log(`bare render():         ${result.baseline.rendersPerSecond} renders/s, ${result.baseline.msPerEmail} ms/email`);
    console.log(`render + text:         ${result.renderWithText.rendersPerSecond} renders/s, ${result.renderWithText.msPerEmail} ms/email`);
    console.log(`enqueue (insert):      ${result.enqueue.msPerEmail} ms/email`);
    console.log(
      `render + enqueue:      ${result.renderAndEnqueue.emailsPerSecond} emails/s, ${result.renderAndEnqueue.msPerEmail} ms/email (${result.overheadVsBaseline}× the bare render)`,
    );
    console.log(`drain to outbox:       ${result.drainToOutbox.emailsPerSecond} emails/s in ${result.drainToOutbox.calls} batches`);
    console.log(JSON.stringify(result));
  } finally {
    await connection.close();
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
