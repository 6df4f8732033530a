/**
 * Check-in at peak: N enrolled cadres scan within moments of each other. The burst goes through the real
 * HTTP route (`node server.js` over the Remix build: origin check, session cookie, the action, one SQL
 * statement) on an embedded PostgreSQL in a temp dir; a share of the requests are sent twice (a double
 * tap, a retry). Then, in the same run and on the same database server, a bare Node http server doing
 * one INSERT per request takes the same burst: the baseline the ratio is measured against.
 *
 *   npx tsx bench/checkin.ts [cadres=4000] [concurrency=64] [retryPercent=10]
 *
 * `npm run bench:checkin` builds the app first. Prints check-ins per second, p50/p99 latency, rows lost or
 * duplicated (must be 0), the baseline and the ratio; the last line is one JSON object. Also measured in
 * the same run: the ceiling of any request through this server (GET /healthz: express, the origin
 * check, Remix and one `select 1`), and the CPU each request costs the app, PostgreSQL and the load
 * generator (from /proc), so that it is clear where the time goes.
 *
 * Both servers are warmed up first with a burst of the same shape against another session (another
 * table for the baseline), so that what is measured is a running server: its pool connected, its
 * statements prepared, its code compiled. Cold, the first quarter-second of a burst waits on all three.
 *
 * BENCH_PROBE=1 also times single requests one at a time; BENCH_CPU_PROFILE=<dir> writes a V8 CPU
 * profile of the app server.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { checkInKey, signCheckInToken, windowOf } from "~/modules/attendance/checkin/token.server";
import { createSession, generateSessionToken } from "~/modules/auth/session.server";
import { env } from "~/utils/env.server";
import { connect } from "~db/client";
import { freePort, startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";
import { classRegistrations, classSessions, classSessionVenues, classVenues } from "~db/schema";
import { type Answer, burst, type CpuSnapshot, cpuPerRequest, cpuSnapshot, startAppServer } from "./_load";

const CADRES = Number(process.argv[2] ?? 4000);
const CONCURRENCY = Number(process.argv[3] ?? 64);
const RETRY_PERCENT = Number(process.argv[4] ?? 10);
/** Check-ins of the warm-up burst (before each server's measured burst). */
const WARM_UP = Math.min(CADRES, 10 * CONCURRENCY);
const SECRET = randomBytes(32).toString("hex");
const PERIOD = 300;
const root = path.resolve(import.meta.dirname, "..");
const log = (line: string) => console.error(`[bench] ${line}`);
const round2 = (n: number) => Math.round(n * 100) / 100;

interface Shot {
  i: number;
  cookie: string;
  address: string;
}

/** A confirm's answer is the route's data (checked in, or already); the baseline's is "ok". */
const answered = (a: Answer) => a.status === 200 && (/"(checked_in|already)"/.test(a.body) || /^ok|"status":"ok"/.test(a.body));

/** The same burst, against one INSERT per request on a bare http server with the same pool size. */
async function baseline<T>(url: string, warmUp: Shot[], shots: Shot[], before: () => Promise<unknown>, measure: () => Promise<T>) {
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  await sql`create table if not exists bench_baseline (id integer generated always as identity primary key, cadre_id integer not null unique, at timestamptz not null default now())`;
  await sql`create table if not exists bench_baseline_warm_up (id integer generated always as identity primary key, cadre_id integer not null unique, at timestamptz not null default now())`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const cadre = Number(form.get("cadre"));
      const table = sql(form.get("warm") ? "bench_baseline_warm_up" : "bench_baseline");
      sql`insert into ${table} (cadre_id) values (${cadre}) on conflict (cadre_id) do nothing`
        .then(() => res.writeHead(200, { "Content-Type": "text/plain" }).end("ok"))
        .catch((e: Error) => res.writeHead(500).end(e.message));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const request = (warm: boolean) => (shot: Shot) => ({
    path: "/",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `cadre=${shot.i}${warm ? "&warm=1" : ""}`,
  });
  await burst(port, warmUp, CONCURRENCY, request(true), answered);
  await before();
  const result = await burst(port, shots, CONCURRENCY, request(false), answered);
  const cpuAfter = await measure();
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from bench_baseline`;
  await new Promise((resolve) => server.close(resolve));
  await sql.end();
  return { ...result, rows: n, cpuAfter };
}

async function main() {
  env(); // the environment, validated as the server and the CLI validate it
  if (!existsSync(path.join(root, "build/index.js")))
    throw new Error("build/index.js is missing: run `npm run bench:checkin`, which builds first");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-checkin-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: false, log });
  let server: ChildProcess | undefined;
  try {
    await runMigrations(pg.url());
    const connection = connect(pg.url());
    const db = connection.db;

    // N cadres with accounts and login sessions, all registered at one venue of a session under way.
    log(`setting up ${CADRES} cadres`);
    await db.execute(`insert into units (code, name, kind) values ('BENCH', '基准单位', 'department')`);
    await db.execute(`
      insert into cadres (staff_no, name, unit_id, rank)
      select 'B' || lpad(g::text, 6, '0'), '干部' || g, (select id from units where code = 'BENCH'), 'deputy_section'
      from generate_series(1, ${CADRES}) g`);
    await db.execute(`insert into unit_memberships (cadre_id, unit_id) select id, unit_id from cadres`);
    await db.execute(`insert into users (cadre_id, disabled) select id, false from cadres order by id`);
    const users = (await db.execute<{ id: number; cadre_id: number }>(`select id, cadre_id from users order by cadre_id`)).map((u) => ({
      userId: Number(u.id),
      cadreId: Number(u.cadre_id),
    }));
    const tokens: string[] = [];
    await db.transaction(async (tx) => {
      for (const u of users) {
        const token = generateSessionToken();
        await createSession(tx, token, u.userId, { idleMs: 3_600_000, maxMs: 86_400_000 });
        tokens.push(token);
      }
    });
    const startsAt = new Date(Date.now() - 5 * 60_000);
    const [session] = await db
      .insert(classSessions)
      .values({
        code: "BENCH-1",
        title: "基准课程",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        registrationDeadline: new Date(startsAt.getTime() - 3_600_000),
        trainingHours: 2,
        status: "published",
        audience: { minRank: null, unitIds: [], cadreIds: [], excludeCadreIds: [] },
      })
      .returning();
    const [venue] = await db
      .insert(classVenues)
      .values({ name: "基准会场", capacity: CADRES, ranks: ["deputy_section"] })
      .returning();
    const [sv] = await db
      .insert(classSessionVenues)
      .values({ sessionId: session!.id, venueId: venue!.id, capacity: CADRES, ranks: ["deputy_section"] })
      .returning();
    for (let i = 0; i < users.length; i += 1000) {
      await db
        .insert(classRegistrations)
        .values(
          users
            .slice(i, i + 1000)
            .map((u) => ({ sessionId: session!.id, cadreId: u.cadreId, venueId: venue!.id, source: "mandatory" as const })),
        );
    }
    // The warm-up's session: the same venue, the same hour, the first WARM_UP cadres.
    const [warmSession] = await db
      .insert(classSessions)
      .values({
        code: "BENCH-0",
        title: "预热课程",
        startsAt: session!.startsAt,
        endsAt: session!.endsAt,
        registrationDeadline: session!.registrationDeadline,
        trainingHours: 2,
        status: "published",
        audience: session!.audience,
      })
      .returning();
    const [warmSv] = await db
      .insert(classSessionVenues)
      .values({ sessionId: warmSession!.id, venueId: venue!.id, capacity: CADRES, ranks: ["deputy_section"] })
      .returning();
    await db
      .insert(classRegistrations)
      .values(
        users
          .slice(0, WARM_UP)
          .map((u) => ({ sessionId: warmSession!.id, cadreId: u.cadreId, venueId: venue!.id, source: "mandatory" as const })),
      );
    // Statistics for what was just bulk-loaded, as autovacuum would have them. Not attendance_records:
    // autovacuum never analyses a table with fewer than 50 changes, and a blanket ANALYZE that records it
    // as empty makes every pooled connection plan the check-in's lookups in it as scans of an empty table
    // and keep that plan for the whole burst (docs/decisions/0010: 0.9 against 0.3 ms of PostgreSQL per
    // check-in). Production meets this only after a manual ANALYZE of an empty table, for under a minute.
    await db.execute(
      "analyze units, cadres, unit_memberships, users, sessions, class_sessions, class_venues, class_session_venues, class_registrations",
    );

    const started = await startAppServer(root, pg.url(), { CHECKIN_SECRET: SECRET });
    server = started.server;
    const { port, base } = started;

    const key = checkInKey(SECRET);
    const token = signCheckInToken(key, {
      sessionId: session!.id,
      sessionVenueId: sv!.id,
      window: windowOf(new Date(), PERIOD),
      period: PERIOD,
    });
    // What the page's fetcher sends under Remix's single fetch: the action alone, turbo-stream encoded.
    const confirm = (code: string, shot: Shot) => ({
      path: `/c/${code}.data`,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, Cookie: shot.cookie, "X-Forwarded-For": shot.address },
      body: "intent=confirm",
    });
    // Every cadre once, and RETRY_PERCENT of them a second time (a double tap or a retry), shuffled.
    const shots: Shot[] = users.map((_, i) => ({
      i,
      cookie: `luoshi_session=${tokens[i]}; luoshi_device=${`d${String(i).padStart(21, "0")}`}`,
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    }));
    const retries = shots.filter((_, i) => (i * 7919) % 100 < RETRY_PERCENT);
    const all = [...shots, ...retries];
    for (let i = all.length - 1; i > 0; i--) {
      const j = (i * 2654435761) % (i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }

    // The warm-up: the same burst's shape on the warm-up session (pool, prepared statements, JIT), then the burst.
    const warmToken = signCheckInToken(key, {
      sessionId: warmSession!.id,
      sessionVenueId: warmSv!.id,
      window: windowOf(new Date(), PERIOD),
      period: PERIOD,
    });
    log(`warm-up: ${WARM_UP} check-ins at another session`);
    const warmUp = await burst(
      port,
      all.filter((shot) => shot.i < WARM_UP),
      CONCURRENCY,
      (shot) => confirm(warmToken, shot),
      answered,
    );
    if (warmUp.failures.length) throw new Error(`warm-up failed: ${warmUp.failures.slice(0, 3).join("; ")}`);
    if (process.env.BENCH_PROBE) {
      // One at a time: the cost of a request without queueing.
      for (const probe of ["/healthz", "/login", `/c/${token}`]) {
        const t0 = performance.now();
        for (let i = 0; i < 20; i++)
          await (await fetch(`${base}${probe}`, { headers: { Cookie: all[i]!.cookie }, redirect: "manual" })).text();
        log(`GET ${probe.slice(0, 12)}: ${((performance.now() - t0) / 20).toFixed(1)} ms each`);
      }
    }
    log(`burst: ${all.length} requests (${retries.length} repeated), ${CONCURRENCY} in flight`);
    const cpuBefore = await cpuSnapshot(server.pid, pg.dataDir);
    const app = await burst(port, all, CONCURRENCY, (shot) => confirm(token, shot), answered);
    const cpuAfter = await cpuSnapshot(server.pid, pg.dataDir);
    // The ceiling of any route through this server: express, the origin check, Remix's handler and one
    // trivial query (GET /healthz: a resource route running `select 1`), with the same burst.
    log(`ceiling: GET /healthz through the same server, same burst`);
    const ceiling = await burst(port, all, CONCURRENCY, () => ({ method: "GET", path: "/healthz", headers: {}, body: "" }), answered);
    const used = cpuPerRequest(cpuBefore, cpuAfter, all.length);
    const cpu = { app_ms: used.app, postgres_ms: used.postgres, client_ms: used.bench };
    const [counts] = await db.execute<{ rows: number; cadres: number }>(
      `select count(*)::int as rows, count(distinct cadre_id)::int as cadres from attendance_records where session_id = ${session!.id}`,
    );
    const lost = CADRES - Number(counts!.cadres);
    const duplicated = Number(counts!.rows) - Number(counts!.cadres);
    await connection.close();

    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    server = undefined;

    log(`baseline: bare http + one INSERT per request, same burst`);
    let bareBefore: CpuSnapshot | undefined;
    const bare = await baseline(
      pg.url(),
      all.filter((shot) => shot.i < WARM_UP),
      all,
      async () => (bareBefore = await cpuSnapshot(undefined, pg.dataDir)),
      () => cpuSnapshot(undefined, pg.dataDir),
    );
    const bareUsed = cpuPerRequest(bareBefore!, bare.cpuAfter, all.length);
    // The bare server runs inside this process, beside the load generator.
    const bareCpu = { postgres_ms: bareUsed.postgres, server_and_client_ms: bareUsed.bench };
    const ratio = app.perSecond / bare.perSecond;
    console.log(
      `check-ins:   ${all.length} requests in ${app.seconds.toFixed(2)} s = ${app.perSecond.toFixed(0)}/s; p50 ${app.p50.toFixed(1)} ms, p99 ${app.p99.toFixed(1)} ms`,
    );
    console.log(
      `rows:        ${counts!.rows} for ${CADRES} cadres: lost ${lost}, duplicated ${duplicated}; failed responses ${app.failures.length}`,
    );
    if (app.failures.length) console.log(`  e.g. ${app.failures.slice(0, 3).join("\n  ")}`);
    console.log(
      `ceiling:     GET /healthz through the same server ${ceiling.perSecond.toFixed(0)}/s; p50 ${ceiling.p50.toFixed(1)} ms, p99 ${ceiling.p99.toFixed(1)} ms`,
    );
    console.log(
      `baseline:    ${bare.perSecond.toFixed(0)}/s; p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms (${bare.rows} rows)`,
    );
    console.log(`ratio:       ${ratio.toFixed(2)}`);
    console.log(
      `cpu/request: app server ${cpu.app_ms.toFixed(2)} ms, postgres ${cpu.postgres_ms.toFixed(2)} ms, load generator ${cpu.client_ms.toFixed(2)} ms; ` +
        `baseline: postgres ${bareCpu.postgres_ms.toFixed(2)} ms, bare server + load generator ${bareCpu.server_and_client_ms.toFixed(2)} ms`,
    );
    console.log(
      JSON.stringify({
        checkins_per_s: Math.round(app.perSecond),
        p50_ms: Number(app.p50.toFixed(1)),
        p99_ms: Number(app.p99.toFixed(1)),
        lost,
        duplicated,
        failed: app.failures.length,
        baseline_per_s: Math.round(bare.perSecond),
        remix_ceiling_per_s: Math.round(ceiling.perSecond),
        ratio: Number(ratio.toFixed(2)),
        requests: all.length,
        cadres: CADRES,
        concurrency: CONCURRENCY,
        cpu_ms_per_request: { app: round2(cpu.app_ms), postgres: round2(cpu.postgres_ms), client: round2(cpu.client_ms) },
        baseline_cpu_ms_per_request: { postgres: round2(bareCpu.postgres_ms), server_and_client: round2(bareCpu.server_and_client_ms) },
      }),
    );
  } finally {
    if (server && server.exitCode === null) server.kill("SIGKILL");
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
