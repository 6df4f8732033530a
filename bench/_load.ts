/**
 * What the HTTP benchmarks share: a burst of requests with a fixed number in flight over keep-alive
 * connections, the CPU each process spent (from /proc), and waiting for a server to come up.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { freePort } from "~db/embedded";

export interface Shot {
  i: number;
  cookie: string;
  address: string;
}

export interface Answer {
  status: number;
  body: string;
  location: string | undefined;
}

/**
 * Fires every shot with at most `concurrency` in flight over keep-alive connections; returns latencies
 * (ms) and the answers `ok` refused.
 */
export async function burst<S>(
  port: number,
  shots: S[],
  concurrency: number,
  request: (shot: S) => { path: string; headers: Record<string, string>; body: string; method?: string },
  ok: (answer: Answer) => boolean,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < shots.length) {
      const shot = shots[next++]!;
      const r = request(shot);
      const t0 = performance.now();
      const answer = await new Promise<Answer>((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port,
            method: r.method ?? "POST",
            path: r.path,
            agent,
            headers: r.body ? { ...r.headers, "Content-Length": Buffer.byteLength(r.body) } : r.headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString() || JSON.stringify(res.headers),
                location: res.headers.location,
              }),
            );
          },
        );
        req.on("error", reject);
        req.end(r.body);
      });
      latencies.push(performance.now() - t0);
      if (!ok(answer)) failures.push(`${answer.status} ${answer.location ?? ""} ${answer.body.slice(0, 200)}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { seconds, perSecond: shots.length / seconds, p50: pct(50), p99: pct(99), failures };
}

/** CPU seconds (user + system) used so far by each process that matches, from /proc. */
export async function cpuByPid(match: (pid: number) => boolean): Promise<Map<number, number>> {
  const tick = 100; // USER_HZ on Linux
  const out = new Map<number, number>();
  for (const pid of await fs.readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid) || !match(Number(pid))) continue;
    try {
      const stat = (await fs.readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
      out.set(Number(pid), (Number(stat[11]) + Number(stat[12])) / tick);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The embedded server's postmaster (first line of postmaster.pid) and its backends: not other PostgreSQL servers on the machine. */
export async function postgresPids(dataDir: string): Promise<Set<number>> {
  const master = Number((await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  const pids = new Set([master]);
  for (const pid of await fs.readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const status = await fs.readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) === master) pids.add(Number(pid));
  }
  return pids;
}

export type CpuSnapshot = Record<"app" | "postgres" | "bench", Map<number, number>>;

export async function cpuSnapshot(serverPid: number | undefined, dataDir: string): Promise<CpuSnapshot> {
  const pg = await postgresPids(dataDir);
  return {
    app: await cpuByPid((pid) => pid === serverPid),
    postgres: await cpuByPid((pid) => pg.has(pid)),
    bench: await cpuByPid((pid) => pid === process.pid),
  };
}

/** CPU ms per request between two snapshots, per process (backends that came or went in between count from zero). */
export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number) {
  const delta = (k: keyof CpuSnapshot) => {
    let seconds = 0;
    for (const [pid, s] of after[k]) seconds += s - (before[k].get(pid) ?? 0);
    return (seconds * 1000) / requests;
  };
  return { app: delta("app"), postgres: delta("postgres"), bench: delta("bench") };
}

export async function waitFor(url: string, server: ChildProcess, output: string[]) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited:\n${output.join("")}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start:\n${output.join("")}`);
}

/**
 * The app as `npm start` runs it (`node server.js` over the Remix build), in production mode against
 * the given database, with no worker and no demo data, the load generator standing where one proxy
 * would (TRUST_PROXY=1: each simulated phone's address in X-Forwarded-For);
 * BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of it. Resolves once /healthz answers.
 */
export async function startAppServer(root: string, databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const output: string[] = [];
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const server = spawn(process.execPath, [...profile, "server.js"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_ORIGIN: `http://127.0.0.1:${port}`,
      SEED_DEMO: "false",
      RUN_WORKER: "false",
      TRUST_PROXY: "1",
      RESEND_API_KEY: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d) => output.push(String(d)));
  server.stderr?.on("data", (d) => output.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, server, output);
  return { server, port, base, output };
}
