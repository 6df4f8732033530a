/**
 * The zip bomb of the security review: an .xlsx of about a megabyte whose one sheet unpacks to 228 MB
 * of XML. Uploaded, it froze the app for 10–15 s and took it from 0.4 to 3 GB. Now the reader counts
 * what it inflates and stops at its limit (128 MB unpacked). Measured here: the time to refuse it and
 * the memory that took, once and twice at once, against the same run's baseline of reading a real
 * 20,000-row roster workbook of the same columns.
 *
 *   npx tsx bench/import-bomb.ts
 *
 * Then, when the app is built (`npx remix build`), the same through the running app as the review
 * did it: an org admin uploads the bomb to /admin/imports (once, and twice at once) while /healthz is
 * asked every 50 ms; the answer's time, the slowest health check and the server's peak RSS are printed,
 * against uploading the real workbook. PostgreSQL is durable (fsync on).
 *
 * The last line of output is one JSON object with the figures.
 */

import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { createSession, generateSessionToken } from "~/modules/auth/session.server";
import { CADRE_COLUMNS } from "~/modules/imports/cadres";
import { openSheet } from "~/modules/imports/reader/open.server";
import { connect } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";
import { createUser } from "~db/seed/factories";
import { startAppServer } from "./_load";
import { writeZipBomb } from "./_zip-bomb";

const root = path.resolve(import.meta.dirname, "..");

/** The server's resident memory, from /proc (Linux), in MB. */
async function serverRssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Uploads through the running app: how long each answer took, its status and message, the slowest
 * health check while they ran, and the server's peak RSS.
 */
async function throughTheApp(files: { real: string; liar: string }) {
  if (!existsSync(path.join(root, "build/index.js"))) {
    console.error("[bench] build/index.js is missing: run `npx remix build` for the figures through the app");
    return null;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-bomb-pg-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: true, log: () => {} });
  let server: Awaited<ReturnType<typeof startAppServer>>["server"] | undefined;
  try {
    await runMigrations(pg.url());
    const connection = connect(pg.url());
    const admin = await createUser(connection.db, { roles: ["org_admin"], password: "bench-password-1" });
    const token = generateSessionToken();
    await createSession(connection.db, token, admin.id, { idleMs: 3_600_000, maxMs: 86_400_000 }, new Date(), {
      secondFactorAt: new Date(),
    });
    await connection.close();
    const started = await startAppServer(root, pg.url());
    server = started.server;
    const pid = server.pid!;
    const { base } = started;
    const upload = async (file: string, name: string) => {
      const form = new FormData();
      form.append("kind", "cadres");
      form.append("file", new File([await fs.readFile(file)], name));
      const t0 = performance.now();
      const res = await fetch(`${base}/admin/imports`, {
        method: "POST",
        body: form,
        redirect: "manual",
        headers: { Cookie: `luoshi_session=${token}`, Origin: base, Accept: "text/html" },
      });
      const text = await res.text();
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, status: res.status, said: /解压后超过|unpacked/.test(text) };
    };
    const watched = async <T>(fn: () => Promise<T>) => {
      let slowest = 0;
      let peakRss = await serverRssMb(pid);
      let running = true;
      const health = (async () => {
        while (running) {
          const t0 = performance.now();
          await fetch(`${base}/healthz`).catch(() => {});
          slowest = Math.max(slowest, performance.now() - t0);
          peakRss = Math.max(peakRss, await serverRssMb(pid));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      try {
        return { result: await fn(), slowestHealthMs: () => Math.round(slowest), peakRss: () => peakRss };
      } finally {
        running = false;
        await health;
      }
    };
    const rssBefore = await serverRssMb(pid);
    const real = await watched(() => upload(files.real, "real.xlsx"));
    const one = await watched(() => upload(files.liar, "bomb.xlsx"));
    const two = await watched(() => Promise.all([upload(files.liar, "bomb1.xlsx"), upload(files.liar, "bomb2.xlsx")]));
    const refused = [one.result, ...two.result].every((r) => r.status === 400 && r.said);
    if (!refused) throw new Error(`the app did not refuse the bomb: ${JSON.stringify({ one: one.result, two: two.result })}`);
    if (real.result.status !== 302) throw new Error(`the real workbook was not previewed: ${JSON.stringify(real.result)}`);
    return {
      appRssBeforeMb: rssBefore,
      appRealSeconds: Math.round(real.result.seconds * 1000) / 1000,
      appRealPeakRssMb: real.peakRss(),
      appBombSeconds: Math.round(one.result.seconds * 1000) / 1000,
      appBombPeakRssMb: one.peakRss(),
      appBombSlowestHealthMs: one.slowestHealthMs(),
      appTwoBombsSeconds: Math.round(Math.max(...two.result.map((r) => r.seconds)) * 1000) / 1000,
      appTwoBombsPeakRssMb: two.peakRss(),
      appTwoBombsSlowestHealthMs: two.slowestHealthMs(),
    };
  } finally {
    server?.kill("SIGTERM");
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function refuse(file: string) {
  const started = performance.now();
  const opened = await openSheet({ path: file, fileName: "bomb.xlsx", columns: CADRE_COLUMNS, keyField: "staffNo" });
  let rows = 0;
  let refusal: string | undefined;
  if (opened.ok) {
    try {
      for await (const _ of opened.rows) rows++;
    } catch (error) {
      refusal = (error as { messageKey?: string }).messageKey;
    } finally {
      await opened.close();
    }
  } else refusal = opened.problems[0]?.messageKey;
  return { seconds: (performance.now() - started) / 1000, refusal, rows };
}

async function peak<T>(fn: () => Promise<T>): Promise<[T, number]> {
  let max = process.memoryUsage().rss;
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage().rss);
  }, 5);
  try {
    return [await fn(), Math.round(max / 1048576)];
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-bomb-"));
  try {
    const bomb = await writeZipBomb(path.join(dir, "bomb.xlsx"), 228 * 1024 * 1024);
    // The same bomb saying its sheet is 1 MB: refused by counting, not by the header.
    const liar = await writeZipBomb(path.join(dir, "liar.xlsx"), 228 * 1024 * 1024, { declaredSize: 1024 * 1024 });
    const bombBytes = (await fs.stat(bomb)).size;

    // Baseline: a real workbook of 20,000 rows, read through.
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("花名册");
    sheet.addRow(["工号", "姓名", "单位编码", "职级", "职务", "邮箱", "出生年月"]);
    for (let i = 0; i < 20_000; i++) sheet.addRow([`B${i}`, `干部${i}`, `U${i % 100}`, "科员", "科员", `b${i}@x.cn`, "1980.05"]);
    const real = path.join(dir, "real.xlsx");
    await wb.xlsx.writeFile(real);
    global.gc?.();
    const rssBefore = Math.round(process.memoryUsage().rss / 1048576);
    const [baseline, baselineRss] = await peak(async () => {
      const started = performance.now();
      const opened = await openSheet({ path: real, fileName: "real.xlsx", columns: CADRE_COLUMNS, keyField: "staffNo" });
      let rows = 0;
      if (opened.ok) {
        for await (const _ of opened.rows) rows++;
        await opened.close();
      }
      return { seconds: (performance.now() - started) / 1000, rows };
    });
    const [one, oneRss] = await peak(() => refuse(bomb));
    const [lying, lyingRss] = await peak(() => refuse(liar));
    const [two, twoRss] = await peak(() => Promise.all([refuse(liar), refuse(liar)]));
    if ([one, lying, ...two].some((t) => t.refusal !== "imports.errors.unpackedTooLarge")) {
      throw new Error(`the bomb was not refused: ${JSON.stringify({ one, lying, two })}`);
    }
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const figures = {
      bench: "import-bomb",
      bombBytes,
      unpackedBytes: 228 * 1024 * 1024,
      refuseSeconds: round(one.seconds),
      lyingRefuseSeconds: round(lying.seconds),
      twoLyingAtOnceSeconds: round(Math.max(...two.map((t) => t.seconds))),
      rssBeforeMb: rssBefore,
      peakRssOneMb: oneRss,
      peakRssLyingMb: lyingRss,
      peakRssTwoLyingMb: twoRss,
      baselineRows: baseline.rows,
      baselineSeconds: round(baseline.seconds),
      baselinePeakRssMb: baselineRss,
    };
    console.log(
      `bomb: ${(bombBytes / 1048576).toFixed(2)} MB file, 228 MB unpacked: refused in ${figures.refuseSeconds} s from its declared size`,
    );
    console.log(
      `the same bomb lying about its size: refused in ${figures.lyingRefuseSeconds} s by counting what it inflates; two at once ${figures.twoLyingAtOnceSeconds} s`,
    );
    console.log(
      `memory: RSS ${rssBefore} MB before, peak ${oneRss} MB (declared), ${lyingRss} MB (lying), ${twoRss} MB (two lying at once)`,
    );
    console.log(`baseline: a real 20,000-row workbook read through in ${figures.baselineSeconds} s, peak RSS ${baselineRss} MB`);
    const app = await throughTheApp({ real, liar });
    if (app) {
      console.log(
        `through the app: the lying bomb refused in ${app.appBombSeconds} s (two at once ${app.appTwoBombsSeconds} s); slowest /healthz meanwhile ${app.appBombSlowestHealthMs} ms (${app.appTwoBombsSlowestHealthMs} ms)`,
      );
      console.log(
        `app server RSS: ${app.appRssBeforeMb} MB before, peak ${app.appBombPeakRssMb} MB (one bomb), ${app.appTwoBombsPeakRssMb} MB (two); previewing the real 20,000-row workbook ${app.appRealSeconds} s, peak ${app.appRealPeakRssMb} MB`,
      );
    }
    console.log(JSON.stringify({ ...figures, ...app }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
