/**
 * The weekly digest at province scale: the data set of ./_province.ts (100,000 cadres, 10,000 units,
 * 2.4 million attendance rows, 500,000 frontline records) plus what a digest reads — a head with an
 * email for every unit, a coming session with some cadres not registered and leave waiting, published
 * rankings of two quarters and a draft of the next, an open shortlist round with nominations — then
 * builds and enqueues every head's digest for 2026-W47 the way the Monday job does (gather, compose,
 * render, enqueue), and runs it again to show the second run sends nothing. The baseline, in the same
 * run: a bare render() of the same template on fixed props (its PreviewProps).
 *
 *   npx tsx bench/digest.ts [cadres=100000] [units=10000]
 *
 * The last line of output is one JSON object with the figures.
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { parseIsoWeek, shanghaiInstant, weekBounds } from "~/utils/dates";
import type { Database } from "~db/client";
import { createProvince } from "./_province";

// The Monday job runs in a deployed worker, with NODE_ENV=production, which selects React's
// production build (the development build renders this template about 1.6× slower). Set before React
// is loaded, hence the dynamic imports below.
process.env.NODE_ENV ??= "production";
const { render } = await import("@react-email/render");
const { createElement } = await import("react");
const { default: WeeklyDigestEmail } = await import("~emails/weekly-digest");
const { sendWeeklyDigests } = await import("~/modules/digest/send.server");
const { env } = await import("~/utils/env.server");
const { timingTotals } = await import("~/utils/timing");

const CADRES = Number(process.argv[2] ?? 100_000);
const UNITS = Number(process.argv[3] ?? 10_000);
const WEEK = parseIsoWeek("2026-W47")!;
/** Monday 08:00 in Shanghai, when the job runs. */
const NOW = shanghaiInstant(weekBounds(WEEK).firstDay, "08:00");
const BASELINE_RENDERS = 2_000;
const TARGET_MS = 30_000;

const log = (line: string) => console.error(line);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  env(); // the environment, validated as the server and the CLI validate it
  const province = await createProvince({ cadres: CADRES, units: UNITS, log, poolSize: 4 });
  try {
    const db = province.connection.db;
    const added = performance.now();
    await addDigestData(db);
    log(`digest data added in ${((performance.now() - added) / 1000).toFixed(1)} s`);

    // The baseline: the same template, fixed props, render() alone (no data, no text part, no insert),
    // measured before and after the run: other work on a shared machine moves both alike.
    const fixed = WeeklyDigestEmail.PreviewProps;
    const bareRender = async () => {
      const t0 = performance.now();
      for (let i = 0; i < BASELINE_RENDERS / 2; i++) await render(createElement(WeeklyDigestEmail, fixed));
      return (performance.now() - t0) / (BASELINE_RENDERS / 2);
    };
    for (let i = 0; i < 100; i++) await render(createElement(WeeklyDigestEmail, fixed));
    const baselineBefore = await bareRender();
    const loadBefore = os.loadavg()[0]!;

    const { timing, totals } = timingTotals();
    let started = performance.now();
    const first = await sendWeeklyDigests(db, { week: WEEK, now: NOW, origin: "https://luoshi.example.gov.cn", timing });
    const totalMs = performance.now() - started;
    if (first.queued !== first.recipients) throw new Error(`queued ${first.queued} of ${first.recipients}`);

    const loadAfter = os.loadavg()[0]!;
    const baselineAfter = await bareRender();
    const baselineMs = (baselineBefore + baselineAfter) / 2;

    started = performance.now();
    const again = await sendWeeklyDigests(db, { week: WEEK, now: NOW, origin: "https://luoshi.example.gov.cn" });
    const againMs = performance.now() - started;
    if (again.queued !== 0 || again.existing !== first.recipients) throw new Error(`the second run queued ${again.queued}`);

    const [sizes] = await db.execute<{ outbox: number; html_kb: number }>(
      sql`select count(*)::int as outbox, (avg(length(html)) / 1024)::float8 as html_kb from email_outbox where template = 'weekly-digest'`,
    );
    const n = first.queued;
    const part = (name: string) => totals[`digest.${name}`] ?? 0;
    const gatherParts = Object.entries(totals).filter(([k]) => k.startsWith("digest.gather."));
    const result = {
      digests: n,
      week: first.week,
      totalSeconds: round(totalMs / 1000, 2),
      msPerDigest: round(totalMs / n),
      parts: {
        recipientsMs: Math.round(part("recipients")),
        gatherMs: Math.round(part("gather")),
        gather: Object.fromEntries(gatherParts.map(([k, v]) => [k.slice("digest.gather.".length), Math.round(v)])),
        composeMs: Math.round(part("compose")),
        renderMs: Math.round(part("render")),
        enqueueMs: Math.round(part("enqueue")),
      },
      gatherMsPerDigest: round(part("gather") / n),
      renderMsPerDigest: round(part("render") / n),
      baseline: { bareRenderMs: round(baselineMs), before: round(baselineBefore), after: round(baselineAfter), renders: BASELINE_RENDERS },
      ratioToBareRender: round(totalMs / n / baselineMs, 2),
      secondRun: { queued: again.queued, existing: again.existing, seconds: round(againMs / 1000, 2) },
      avgHtmlKb: round(Number(sizes!.html_kb), 1),
      targetSeconds: TARGET_MS / 1000,
      withinTarget: totalMs <= TARGET_MS,
      sizes: province.sizes,
      loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2), cpus: os.availableParallelism() },
      node: process.version,
      nodeEnv: env().NODE_ENV,
    };
    console.log(
      `digests:              ${n} for ${first.week} in ${result.totalSeconds} s (${result.msPerDigest} ms each; target ≤ ${TARGET_MS / 1000} s)`,
    );
    console.log(`  recipients:         ${result.parts.recipientsMs} ms`);
    console.log(
      `  gathering:          ${result.parts.gatherMs} ms (${result.gatherMsPerDigest} ms/digest) ${JSON.stringify(result.parts.gather)}`,
    );
    console.log(`  compose:            ${result.parts.composeMs} ms`);
    console.log(`  render + text:      ${result.parts.renderMs} ms (${result.renderMsPerDigest} ms/digest)`);
    console.log(`  enqueue (waiting):  ${result.parts.enqueueMs} ms (the rest overlaps rendering)`);
    console.log(
      `bare render():        ${result.baseline.bareRenderMs} ms/render on fixed props (before ${result.baseline.before}, after ${result.baseline.after}); ratio ${result.ratioToBareRender}`,
    );
    console.log(`load average:         ${result.loadAverage.before} → ${result.loadAverage.after} on ${result.loadAverage.cpus} cores`);
    console.log(`second run:           ${again.queued} queued, ${again.existing} already there, ${result.secondRun.seconds} s`);
    console.log(JSON.stringify(result));
  } finally {
    await province.stop();
  }
}

/**
 * What the province data set lacks for a digest, added set-based: heads with an email (one in ten
 * reads English), session 22 (25 November) with a real mandatory audience, some cancelled
 * registrations and pending leave, rankings for 2026Q2 and 2026Q3 (published) and 2026Q4 (draft) with
 * places by hashed score, and an open shortlist round. Last week (W46) holds the closed session 21.
 */
async function addDigestData(db: Database) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      update units u set head_cadre_id = h.id
      from (select distinct on (unit_id) id, unit_id from cadres where status = 'active' order by unit_id, rank desc, id) h
      where h.unit_id = u.id`);
    await tx.execute(sql`update cadres set email = 'c' || id || '@bench.luoshi.local' where id in (select head_cadre_id from units)`);
    await tx.execute(sql`
      insert into users (cadre_id, locale, disabled)
      select head_cadre_id, case when id % 10 = 0 then 'en' else 'zh-CN' end, true from units where head_cadre_id is not null`);
    await tx.execute(sql`
      update class_sessions set audience = '{"minRank":"deputy_section","unitIds":[],"cadreIds":[],"excludeCadreIds":[]}'
      where code = '2026-22'`);
    await tx.execute(sql`
      update class_registrations r set status = 'cancelled', cancelled_at = timestamptz '2026-11-12 02:00Z'
      from class_sessions s where s.id = r.session_id and s.code = '2026-22' and r.cadre_id % 37 = 0`);
    await tx.execute(sql`
      insert into class_leave_requests (session_id, cadre_id, reason, status)
      select s.id, r.cadre_id, '当晚有接访任务', 'pending'
      from class_sessions s join class_registrations r on r.session_id = s.id and r.status = 'registered'
      where s.code = '2026-22' and r.cadre_id % 23 = 0`);
    const [model] = await tx.execute<{ id: number }>(sql`
      insert into ranking_models (year, version, cadre_weights, unit_weights, params)
      values (2026, 1, '{}', '{}', '{}') returning id`);
    for (const [quarter, status, salt] of [
      ["2026Q2", "published", 11],
      ["2026Q3", "published", 13],
      ["2026Q4", "draft", 17],
    ] as const) {
      const [ranking] = await tx.execute<{ id: number }>(sql`
        insert into rankings (quarter, version, status, model_id, inputs_hash, unit_count, computed_at, published_at)
        values (${quarter}, 1, ${status}, ${model!.id}, ${status === "published" ? "bench" : null}, ${UNITS}, now(),
          ${status === "published" ? sql`now()` : sql`null`})
        returning id`);
      await tx.execute(sql`
        insert into ranking_unit_results (ranking_id, unit_id, code, name, peer_group, score, rank, members, members_section_up)
        select ${ranking!.id}, id, code, name, kind, s, row_number() over (partition by kind order by s desc, code), 10, 7
        from (select id, code, name, kind, 50 + (abs(hashint4(id * ${salt})) % 5000) / 100.0 as s from units) x`);
    }
    const [round] = await tx.execute<{ id: number }>(sql`
      insert into shortlist_rounds (name, quota, deadline, status)
      values ('2026 换届 敢担当善作为', 106, timestamptz '2026-11-30 10:00Z', 'open') returning id`);
    await tx.execute(sql`
      insert into shortlist_nominations (round_id, cadre_id, unit_id, recommendation, eligible, eligibility)
      select ${round!.id}, id, unit_id, '敢于担当，善于作为', true, '{}'::jsonb
      from cadres where status = 'active' and rank >= 'section' and id % 41 = 0`);
  });
  await db.execute(sql`vacuum analyze`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
