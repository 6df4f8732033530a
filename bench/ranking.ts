/**
 * How long a quarter's ranking takes at province scale (the data set of ./_province.ts: 100,000 cadres,
 * 10,000 units, 2.4 million attendance rows, 500,000 frontline records). The quarter is computed the
 * way the app does it (freeze the inputs and score, cadres then units), five times after a warm-up
 * run, and, in the same run, a hand-written single query of the attendance indicator alone, as the
 * baseline. The SHA-256 of the inputs, taken when a version is published, is timed apart.
 *
 *   npx tsx bench/ranking.ts [cadres=100000] [units=10000]
 *
 * The last line of output is one JSON object with the figures.
 */
import { sql } from "drizzle-orm";
import { computeRanking } from "~/modules/rankings/compute.server";
import { quarterBounds } from "~/modules/rankings/inputs.server";
import { inputsHash } from "~/modules/rankings/score.server";
import { env } from "~/utils/env.server";
import { timingTotals } from "~/utils/timing";
import { createProvince, PROVINCE_QUARTER } from "./_province";

const CADRES = Number(process.argv[2] ?? 100_000);
const UNITS = Number(process.argv[3] ?? 10_000);
const QUARTER = PROVINCE_QUARTER;
const TODAY = "2026-11-21";
const RUNS = 5;
const actor = { userId: null, label: "bench" };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (line: string) => console.error(line);

async function main() {
  env(); // the environment, validated as the server and the CLI validate it
  const province = await createProvince({ cadres: CADRES, units: UNITS, log });
  try {
    const db2 = province.connection.db;
    const sizes = province.sizes;
    const b = quarterBounds(QUARTER);
    const baseline = async () => {
      const started = performance.now();
      await db2.execute(sql`
        select count(*), sum(v) from (
          select a.cadre_id,
            ((count(*) filter (where a.status = 'present')) + 0.5 * (count(*) filter (where a.status = 'late')))::numeric
              / nullif(count(*) - count(*) filter (where a.status = 'excused'), 0) as v
          from attendance_records a join class_sessions s on s.id = a.session_id
          where s.status = 'closed' and s.starts_at >= ${b.fromInstant}::timestamptz and s.starts_at < ${b.toInstant}::timestamptz
          group by a.cadre_id) x`);
      return performance.now() - started;
    };

    const runs: { sharedMs: number; cadresMs: number; unitsMs: number; totalMs: number }[] = [];
    // computeRanking's parts through its timing hook; the total from outside, around the whole call.
    const measured = async () => {
      const { timing, totals } = timingTotals();
      const started = performance.now();
      const result = await computeRanking(db2, actor, QUARTER, { today: TODAY, timing });
      const timings = {
        sharedMs: totals["ranking.shared"]!,
        cadresMs: totals["ranking.cadres"]!,
        unitsMs: totals["ranking.units"]!,
        totalMs: performance.now() - started,
      };
      return { outcome: result, timings };
    };
    const baselines: number[] = [];
    const hashes: number[] = [];
    let outcome: Awaited<ReturnType<typeof computeRanking>> | undefined;
    // One run first that is not counted: the server was just restarted, and its first computation reads
    // the tables from the operating system's cache into shared buffers (about 1.5 s more here).
    const cold = await measured();
    log(`warm-up run (not counted): total ${cold.timings.totalMs.toFixed(0)} ms`);
    for (let i = 0; i < RUNS; i++) {
      // What the previous run left behind (the draft it replaced) is vacuumed and analyzed first, as
      // autovacuum would have done long before anyone computes a quarter again; otherwise autovacuum
      // wakes up for it during the next run, on one of the two cores the run is measured on.
      await db2.execute(sql`vacuum analyze ranking_cadre_results, ranking_unit_results, rankings`);
      baselines.push(await baseline());
      const run = await measured();
      outcome = run.outcome;
      runs.push(run.timings);
      const hashStarted = performance.now();
      await inputsHash(db2, outcome.rankingId);
      hashes.push(performance.now() - hashStarted);
      log(
        `run ${i + 1}: shared ${run.timings.sharedMs.toFixed(0)} ms, cadres ${run.timings.cadresMs.toFixed(0)} ms, ` +
          `units ${run.timings.unitsMs.toFixed(0)} ms, total ${run.timings.totalMs.toFixed(0)} ms; ` +
          `baseline ${baselines[i]!.toFixed(0)} ms; publication hash ${hashes[i]!.toFixed(0)} ms`,
      );
    }
    const figures = {
      cadres: sizes!.cadres,
      units: sizes!.units,
      attendance_rows: sizes!.attendance,
      frontline_records: sizes!.frontline,
      ranked_cadres: outcome!.cadres,
      ranked_units: outcome!.units,
      shared_ms: Math.round(median(runs.map((r) => r.sharedMs))),
      cadres_ms: Math.round(median(runs.map((r) => r.cadresMs))),
      units_ms: Math.round(median(runs.map((r) => r.unitsMs))),
      publish_hash_ms: Math.round(median(hashes)),
      total_ms: Math.round(median(runs.map((r) => r.totalMs))),
      baseline_ms: Math.round(median(baselines)),
      ratio: 0,
    };
    figures.ratio = Number((figures.total_ms / figures.baseline_ms).toFixed(2));
    console.log(
      `Quarter ${QUARTER} (median of ${RUNS}): shared aggregations ${figures.shared_ms} ms + cadres ${figures.cadres_ms} ms + units ${figures.units_ms} ms ` +
        `= ${figures.total_ms} ms in all; attendance-only single query ${figures.baseline_ms} ms; ratio ${figures.ratio}; ` +
        `the hash taken on publication ${figures.publish_hash_ms} ms`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    await province.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
