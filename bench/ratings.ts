/**
 * Public ratings at peak: DEVICES phones rate POINTS rating points (each device one point, a share of
 * them twice: a double tap, a second try the same day), through the real HTTP route — server.ts over the
 * Remix build: the page's plain form POST to /r/<code>, its signed device cookie, the origin check, one
 * SQL statement, the 303 to the thank-you page — on an embedded PostgreSQL in a temp dir, durable
 * (fsync and synchronous_commit on, the defaults). Then, in the same run and on the same database
 * server, a bare Node http server doing one INSERT per request takes the same burst: the baseline the
 * ratio is measured against.
 *
 *   npx tsx bench/ratings.ts [devices=20000] [points=3200] [repeatPercent=10] [concurrency=64]
 *
 * Needs the build (`npx remix build`). Prints ratings per second, p50/p99 latency, ratings lost and
 * repeats counted (both must be 0), the baseline and the ratio; the last line is one JSON object.
 * Both servers are warmed up first with a burst of the same shape on other points (pool, prepared
 * plans, JIT), as in bench/checkin.ts. docs/decisions/0016 says what the path does and why.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { RATINGS_SECRET_KEY, signDeviceId } from "~/modules/ratings/device.server";
import { connect } from "~db/client";
import { freePort, startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";
import { type Answer, burst, type CpuSnapshot, cpuPerRequest, cpuSnapshot, startAppServer } from "./_load";

const DEVICES = Number(process.argv[2] ?? 20_000);
const POINTS = Number(process.argv[3] ?? 3_200);
const REPEAT_PERCENT = Number(process.argv[4] ?? 10);
const CONCURRENCY = Number(process.argv[5] ?? 64);
/** Ratings of the warm-up burst, on points of their own. */
const WARM_UP = Math.min(DEVICES, 10 * CONCURRENCY);
const WARM_POINTS = Math.max(1, Math.round(POINTS / 10));
const root = path.resolve(import.meta.dirname, "..");
const log = (line: string) => console.error(`[bench] ${line}`);
const round2 = (n: number) => Math.round(n * 100) / 100;

interface Shot {
  device: number;
  point: string;
  cookie: string;
  address: string;
  body: string;
}

/** A rating's answer is the route's redirect to the thank-you page: counted, or a repeat. */
const thanked = (a: Answer) => a.status === 303 && /\/thanks\?result=(counted|repeat)/.test(a.location ?? "");
const inserted = (a: Answer) => a.status === 200 && a.body === "ok";

/** The same burst, against one INSERT per request on a bare http server with the same pool size. */
async function baseline(url: string, warmUp: Shot[], shots: Shot[], before: () => Promise<unknown>, measure: () => Promise<CpuSnapshot>) {
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  for (const table of ["bench_baseline", "bench_baseline_warm_up"]) {
    await sql`create table if not exists ${sql(table)} (id bigint generated always as identity primary key, point text not null,
      device text not null, satisfied boolean not null, at timestamptz not null default now(), unique (point, device))`;
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const table = sql(form.get("warm") ? "bench_baseline_warm_up" : "bench_baseline");
      sql`insert into ${table} (point, device, satisfied) values (${req.url!.slice(3)}, ${String(req.headers.cookie)}, ${form.get("choice") === "satisfied"})
        on conflict (point, device) do nothing`
        .then(() => res.writeHead(200, { "Content-Type": "text/plain" }).end("ok"))
        .catch((e: Error) => res.writeHead(500).end(e.message));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const request = (warm: boolean) => (shot: Shot) => ({
    path: `/r/${shot.point}`,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: shot.cookie },
    body: warm ? `${shot.body}&warm=1` : shot.body,
  });
  await burst(port, warmUp, CONCURRENCY, request(true), inserted);
  await before();
  const result = await burst(port, shots, CONCURRENCY, request(false), inserted);
  const cpuAfter = await measure();
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from bench_baseline`;
  await new Promise((resolve) => server.close(resolve));
  await sql.end();
  return { ...result, rows: n, cpuAfter };
}

/** Every device once at its point, REPEAT_PERCENT of them twice, shuffled; 15 % of ratings 不满意. */
function shotsFor(key: Buffer, devices: number, points: number, offset: number, prefix: string): Shot[] {
  const shots: Shot[] = [];
  for (let d = 0; d < devices; d++) {
    const id = `d${String(offset + d).padStart(21, "0")}`;
    const unhappy = (d * 2654435761) % 100 < 15;
    shots.push({
      device: offset + d,
      point: `${prefix}${String(d % points).padStart(5, "0")}`,
      cookie: `luoshi_rater=${signDeviceId(key, id)}`,
      // A few phones share a hall's Wi-Fi: four devices an address.
      address: `10.${((offset + d) >> 18) & 255}.${((offset + d) >> 10) & 255}.${((offset + d) >> 2) & 255}`,
      body: unhappy
        ? "choice=unsatisfied&reasons=efficiency&reasons=attitude&comment=%E7%AD%89%E5%BE%85%E6%97%B6%E9%97%B4%E9%95%BF&phone=13800138000"
        : "choice=satisfied",
    });
  }
  const repeats = shots.filter((s) => (s.device * 7919) % 100 < REPEAT_PERCENT);
  const all = [...shots, ...repeats];
  for (let i = all.length - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

async function main() {
  if (!existsSync(path.join(root, "build/index.js")))
    throw new Error("build/index.js is missing: run `npm run bench:ratings`, which builds first");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-ratings-"));
  await fs.chmod(dir, 0o755);
  // persistent: the embedded server then runs with fsync on (throw-away servers turn it off); the directory is removed at the end.
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: true, log });
  let server: ChildProcess | undefined;
  try {
    await runMigrations(pg.url());
    const connection = connect(pg.url());
    const db = connection.db;
    const [durability] = await db.execute<{ fsync: string; synchronous_commit: string }>(
      "select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit",
    );
    if (durability!.fsync !== "on" || durability!.synchronous_commit !== "on")
      throw new Error(`PostgreSQL is not durable: ${JSON.stringify(durability)}`);

    log(`setting up ${POINTS} units with their rating points (+${WARM_POINTS} for the warm-up)`);
    await db.execute(`
      insert into units (code, name, kind)
      select 'BR' || lpad(g::text, 5, '0'), '基准单位' || g, 'department'::unit_kind from generate_series(0, ${POINTS - 1}) g
      union all
      select 'BW' || lpad(g::text, 5, '0'), '预热单位' || g, 'department'::unit_kind from generate_series(0, ${WARM_POINTS - 1}) g`);
    await db.execute(`insert into rating_points (unit_id, code, is_unit_point) select id, code, true from units`);
    const secret = randomBytes(32).toString("hex");
    await db.execute(`insert into settings (key, value) values ('${RATINGS_SECRET_KEY}', '"${secret}"'::jsonb)`);
    await db.execute("analyze units, rating_points, settings");
    const key = Buffer.from(secret, "hex");

    const started = await startAppServer(root, pg.url());
    server = started.server;
    const { port, base, output } = started;

    // What the page's form sends: a urlencoded POST from our own origin, with the device cookie.
    const rate = (shot: Shot) => ({
      path: `/r/${shot.point}`,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, Cookie: shot.cookie, "X-Forwarded-For": shot.address },
      body: shot.body,
    });
    const all = shotsFor(key, DEVICES, POINTS, 0, "BR");
    const warm = shotsFor(key, WARM_UP, WARM_POINTS, DEVICES, "BW");
    log(`warm-up: ${warm.length} ratings at other points`);
    const warmUp = await burst(port, warm, CONCURRENCY, rate, thanked);
    if (warmUp.failures.length)
      throw new Error(`warm-up failed: ${warmUp.failures.slice(0, 3).join("; ")}\n${output.join("").slice(-2000)}`);
    // The warm-up's rows in the statistics, as autovacuum would have them after a while in service.
    await db.execute("analyze public_ratings, rating_cases");

    const repeats = all.length - DEVICES;
    log(`burst: ${all.length} ratings (${repeats} repeated) from ${DEVICES} devices at ${POINTS} points, ${CONCURRENCY} in flight`);
    const cpuBefore = await cpuSnapshot(server.pid, pg.dataDir);
    const app = await burst(port, all, CONCURRENCY, rate, thanked);
    const cpuAfter = await cpuSnapshot(server.pid, pg.dataDir);
    const used = cpuPerRequest(cpuBefore, cpuAfter, all.length);
    const [counts] = await db.execute<{ counted: number; devices: number; repeats: number; cases: number; unhappy: number }>(`
      select count(*) filter (where counted)::int as counted,
        count(distinct device_id) filter (where counted)::int as devices,
        count(*) filter (where not_counted = 'repeat')::int as repeats,
        (select count(*)::int from rating_cases c join public_ratings r on r.id = c.rating_id where r.point_id in (select id from rating_points where code like 'BR%')) as cases,
        count(*) filter (where counted and not satisfied)::int as unhappy
      from public_ratings where point_id in (select id from rating_points where code like 'BR%')`);
    const lost = DEVICES - Number(counts!.devices);
    const repeatsCounted = Number(counts!.counted) - Number(counts!.devices);
    const repeatsKept = Number(counts!.repeats);
    await connection.close();

    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    server = undefined;

    log("baseline: bare http + one INSERT per request, same burst");
    let bareBefore: CpuSnapshot | undefined;
    const bare = await baseline(
      pg.url(),
      warm,
      all,
      async () => (bareBefore = await cpuSnapshot(undefined, pg.dataDir)),
      () => cpuSnapshot(undefined, pg.dataDir),
    );
    const bareUsed = cpuPerRequest(bareBefore!, bare.cpuAfter, all.length);
    const ratio = app.perSecond / bare.perSecond;
    console.log(
      `ratings:     ${all.length} requests in ${app.seconds.toFixed(2)} s = ${app.perSecond.toFixed(0)}/s; p50 ${app.p50.toFixed(1)} ms, p99 ${app.p99.toFixed(1)} ms`,
    );
    console.log(
      `rows:        ${counts!.counted} counted for ${DEVICES} devices: lost ${lost}, repeats counted ${repeatsCounted}, repeats kept uncounted ${repeatsKept}/${repeats}; cases ${counts!.cases} for ${counts!.unhappy} counted 不满意; failed responses ${app.failures.length}`,
    );
    if (app.failures.length) console.log(`  e.g. ${app.failures.slice(0, 3).join("\n  ")}`);
    console.log(
      `baseline:    ${bare.perSecond.toFixed(0)}/s; p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms (${bare.rows} rows)`,
    );
    console.log(`ratio:       ${ratio.toFixed(2)}`);
    console.log(
      `cpu/request: app server ${used.app.toFixed(2)} ms, postgres ${used.postgres.toFixed(2)} ms, load generator ${used.bench.toFixed(2)} ms; ` +
        `baseline: postgres ${bareUsed.postgres.toFixed(2)} ms, bare server + load generator ${bareUsed.bench.toFixed(2)} ms`,
    );
    console.log(
      JSON.stringify({
        ratings_per_s: Math.round(app.perSecond),
        p50_ms: Number(app.p50.toFixed(1)),
        p99_ms: Number(app.p99.toFixed(1)),
        lost,
        repeats_counted: repeatsCounted,
        repeats_kept: repeatsKept,
        failed: app.failures.length,
        baseline_per_s: Math.round(bare.perSecond),
        ratio: Number(ratio.toFixed(2)),
        requests: all.length,
        devices: DEVICES,
        points: POINTS,
        concurrency: CONCURRENCY,
        fsync: durability!.fsync,
        synchronous_commit: durability!.synchronous_commit,
        cpu_ms_per_request: { app: round2(used.app), postgres: round2(used.postgres), client: round2(used.bench) },
        baseline_cpu_ms_per_request: { postgres: round2(bareUsed.postgres), server_and_client: round2(bareUsed.bench) },
      }),
    );
  } finally {
    if (server && server.exitCode === null) server.kill("SIGKILL");
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
