import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres } from "~db/embedded";
import { demoCity } from "~db/seed/demo-city";

/**
 * End-to-end tests run the built app exactly as `npm start` does (`node server.js` over the Remix
 * build, in production mode), on a throw-away embedded PostgreSQL seeded with the demo city, and drive
 * it with Debian's Chromium. Everything the server writes is kept in a file the tests can read
 * (`serverLogPath`): no personal data may ever appear in it.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  if (!existsSync(path.join(root, "build/index.js"))) {
    execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: root, stdio: "inherit" });
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-e2e-pg-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
  const port = await freePort();
  const output: string[] = [];
  const logPath = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-e2e-log-")), "server.log");
  const log = createWriteStream(logPath);
  const baseUrl = `http://127.0.0.1:${port}`;
  const { VITEST: _testRunner, ...environment } = process.env;
  const server: ChildProcess = spawn(process.execPath, ["server.js"], {
    cwd: root,
    env: {
      ...environment,
      NODE_ENV: "production",
      DATABASE_URL: pg.url(),
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_ORIGIN: baseUrl,
      SEED_DEMO: "true",
      RESEND_API_KEY: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [server.stdout, server.stderr]) {
    stream?.on("data", (d) => {
      output.push(String(d));
      log.write(d);
    });
  }
  const deadline = Date.now() + 90_000;
  while (true) {
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (server.exitCode !== null || Date.now() > deadline) {
      await pg.stop();
      throw new Error(`The app did not start for the e2e tests:\n${output.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  project.provide("baseUrl", baseUrl);
  project.provide("databaseUrl", pg.url());
  project.provide("serverLogPath", logPath);
  return async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
    // No personal data in the log of the whole run (DESIGN.md), whatever the suites did.
    const everything = output.join("");
    const city = demoCity();
    const leaked = city.cadres.flatMap((c) => [c.phone, c.email]).filter((value) => everything.includes(value));
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
    log.end();
    await fs.rm(path.dirname(logPath), { recursive: true, force: true });
    if (leaked.length) throw new Error(`The server's log holds seeded personal data: ${leaked.slice(0, 5).join(", ")}`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    serverLogPath: string;
  }
}
