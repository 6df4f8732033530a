/**
 * A province's roster imported: 100,000 cadres with every roster field, as CSV, previewed (read, check,
 * compare) and applied (write, terms, accounts, audit), then the same file again, which must change
 * nothing. Baseline in the same run: a bare COPY of the same file into a staging table, which is as fast
 * as PostgreSQL takes rows. PostgreSQL is durable (fsync and synchronous_commit on). Memory is sampled
 * throughout: the file is streamed, never held whole, so the heap should not grow with the roster.
 *
 *   npx tsx bench/import.ts [cadres=100000]
 *
 * The last line of output is one JSON object with the figures.
 */
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { applyImport, type ImportFile, previewImport } from "~/modules/imports/service.server";
import { env } from "~/utils/env.server";
import { connect } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";

const CADRES = Number(process.argv[2] ?? 100_000);
const UNITS = 1_000;
const actor = { userId: null, label: "bench" };

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宇浩然欣怡子轩梓涵一诺晨阳思远嘉怡雨";
const RANKS = ["科员", "副科级", "正科级", "副县级", "正县级"];
const KINDS = ["部门", "镇街", "园区", "国企", "其他"];
const ETHNIC = ["汉族", "汉族", "汉族", "汉族", "回族", "满族", "蒙古族"];
const POLITICAL = ["中共党员", "中共党员", "中共党员", "中共预备党员", "共青团员", "群众", "民盟盟员"];
const EDUCATION = ["研究生", "大学本科", "大学本科", "大学专科", "中专"];
const DEGREE = ["硕士", "学士", "学士", "无", "无"];
const PLACES = ["山东青岛", "河北保定", "河南南阳", "江苏徐州", "四川绵阳", "湖北襄阳"];

function pick<T>(list: ArrayLike<T>, i: number): T {
  return list[i % list.length]!;
}

function unitsCsv(): string {
  const lines = ["单位编码,单位名称,上级单位编码,单位类别", "BENCH-ROOT,某省,,其他"];
  for (let u = 1; u < UNITS; u++) lines.push(`BENCH-${u},单位${u},BENCH-ROOT,${pick(KINDS, u)}`);
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

const HEADER =
  "工号,姓名,单位编码,职级,职务,邮箱,手机,单位负责人,任职日期,性别,民族,出生年月,籍贯,政治面貌,学历,学位,参加工作时间,任现职务时间,任现职级时间";

/** The roster, written to a file a line at a time (it is 25 MB; the bench holds none of it). */
async function writeRoster(file: string): Promise<number> {
  const handle = await fs.open(file, "w");
  const out = handle.createWriteStream();
  out.write(`\uFEFF${HEADER}\r\n`);
  for (let i = 0; i < CADRES; i++) {
    const unit = 1 + (i % (UNITS - 1));
    const name = pick(SURNAMES, i * 7) + pick(GIVEN, i * 13) + (i % 3 ? pick(GIVEN, i * 31) : "");
    const head = i < UNITS - 1 ? "是" : "否";
    const since = i % 4 === 0 ? `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 9}` : "";
    const birth = 1965 + (i % 35);
    const line = [
      `B${String(i).padStart(7, "0")}`,
      name,
      `BENCH-${unit}`,
      pick(RANKS, i),
      `职务${i % 40}`,
      `b${i}@bench.example.cn`,
      `139${String(i).padStart(8, "0")}`,
      head,
      since,
      i % 3 ? "男" : "女",
      pick(ETHNIC, i),
      `${birth}.${String(1 + (i % 12)).padStart(2, "0")}`,
      pick(PLACES, i),
      pick(POLITICAL, i),
      pick(EDUCATION, i),
      pick(DEGREE, i),
      `${birth + 22}.07`,
      `${2015 + (i % 10)}.${String(1 + (i % 12)).padStart(2, "0")}`,
      `${2012 + (i % 13)}.${String(1 + ((i + 5) % 12)).padStart(2, "0")}`,
    ].join(",");
    if (!out.write(`${line}\r\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  out.end();
  await new Promise<void>((r) => out.once("close", () => r()));
  return (await fs.stat(file)).size;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, (performance.now() - started) / 1000];
}

/** Peak resident and heap memory while `fn` runs, sampled every 20 ms, in MB. */
async function sampled<T>(fn: () => Promise<T>): Promise<[T, { rssMb: number; heapMb: number }]> {
  const peak = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  }, 20);
  try {
    return [await fn(), { rssMb: Math.round(peak.rss / 1048576), heapMb: Math.round(peak.heap / 1048576) }];
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  env(); // the environment, validated as the server and the CLI validate it
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-import-"));
  await fs.chmod(dir, 0o755);
  // persistent: PostgreSQL runs durable, fsync on, as production does.
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: true, log: (l) => console.error(l) });
  const connection = connect(pg.url());
  try {
    await runMigrations(pg.url());
    const db = connection.db;
    const [settings] = await db.execute<{ fsync: string; synchronous_commit: string }>(
      sql`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit`,
    );
    console.error(`PostgreSQL fsync=${settings!.fsync} synchronous_commit=${settings!.synchronous_commit}`);

    const units = await previewImport(db, actor, { kind: "units", fileName: "units.csv", bytes: new TextEncoder().encode(unitsCsv()) });
    if (!units.ok || units.summary.errors.length) throw new Error("the generated units file has problems");
    await applyImport(db, actor, units.batchId);

    const rosterPath = path.join(dir, "roster.csv");
    const fileBytes = await writeRoster(rosterPath);
    const roster: ImportFile = { kind: "cadres", fileName: "roster.csv", path: rosterPath };
    global.gc?.();
    const heapBefore = Math.round(process.memoryUsage().heapUsed / 1048576);

    // Baseline: the same file, as it is, into a table with one text column per header, by COPY.
    await db.execute(
      sql.raw(
        `create table bench_copy (${HEADER.split(",")
          .map((_, i) => `c${i} text`)
          .join(", ")})`,
      ),
    );
    const [, copySeconds] = await timed(async () => {
      const writable = await connection.client`copy bench_copy from stdin with (format csv, header true)`.writable();
      await pipeline(createReadStream(rosterPath), writable);
    });
    const [{ n: copied }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from bench_copy`)) as unknown as [{ n: number }];
    if (Number(copied) !== CADRES) throw new Error(`COPY loaded ${copied} rows`);

    const [[preview, previewSeconds], previewMemory] = await sampled(() => timed(() => previewImport(db, actor, roster)));
    if (!preview.ok || preview.summary.errors.length)
      throw new Error(
        `the generated roster has problems: ${JSON.stringify(preview.ok ? preview.summary.errors.slice(0, 3) : preview.problems)}`,
      );
    let lastReport = 0;
    const [[outcome, applySeconds], applyMemory] = await sampled(() =>
      timed(() =>
        applyImport(db, actor, preview.batchId, {
          onProgress: (processed, total) => {
            if (processed === total || processed - lastReport >= 20_000) {
              lastReport = processed;
              console.error(`  applied ${processed}/${total}`);
            }
          },
        }),
      ),
    );
    if (outcome.status !== "applied") throw new Error(`the roster did not apply: ${JSON.stringify(outcome)}`);

    const [[again, reimportSeconds], reimportMemory] = await sampled(() =>
      timed(async () => {
        const p = await previewImport(db, actor, roster);
        if (!p.ok) throw new Error("unexpected");
        await applyImport(db, actor, p.batchId);
        return p.summary.counts;
      }),
    );
    if (again.unchanged !== CADRES) throw new Error(`re-import changed ${CADRES - again.unchanged} rows`);
    const [{ terms }] = (await db.execute<{ terms: number }>(sql`select count(*)::int as terms from cadre_terms`)) as unknown as [
      { terms: number },
    ];

    const seconds = previewSeconds + applySeconds;
    const figures = {
      bench: "import",
      cadres: CADRES,
      units: UNITS,
      fileBytes,
      fsync: settings!.fsync,
      copySeconds: round(copySeconds),
      copyRowsPerSecond: Math.round(CADRES / copySeconds),
      previewSeconds: round(previewSeconds),
      applySeconds: round(applySeconds),
      seconds: round(seconds),
      rowsPerSecond: Math.round(CADRES / seconds),
      ratioToCopy: round(seconds / copySeconds),
      reimportSeconds: round(reimportSeconds),
      reimportUnchanged: again.unchanged,
      heapBeforeMb: heapBefore,
      peakHeapMb: Math.max(previewMemory.heapMb, applyMemory.heapMb, reimportMemory.heapMb),
      peakRssMb: Math.max(previewMemory.rssMb, applyMemory.rssMb, reimportMemory.rssMb),
      termRows: Number(terms),
    };
    console.log(
      `baseline: COPY of the same ${CADRES} rows into a staging table ${figures.copySeconds} s (${figures.copyRowsPerSecond} rows/s)`,
    );
    console.log(
      `${CADRES} cadres (${Math.round(fileBytes / 1048576)} MB CSV): preview ${figures.previewSeconds} s + apply ${figures.applySeconds} s = ${figures.seconds} s (${figures.rowsPerSecond} rows/s, ${figures.ratioToCopy}× the COPY)`,
    );
    console.log(`same file again: ${figures.reimportSeconds} s, ${again.unchanged} unchanged`);
    console.log(`memory: heap ${heapBefore} MB before, peak ${figures.peakHeapMb} MB; peak RSS ${figures.peakRssMb} MB`);
    console.log(JSON.stringify(figures));
  } finally {
    await connection.close();
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
