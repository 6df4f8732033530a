/**
 * How long a 5,000-cadre roster takes to import: preview (read, check, compare) and apply (write, audit),
 * then the same file again (which must change nothing). Runs against a throw-away embedded PostgreSQL.
 *
 *   npx tsx bench/import.ts [cadres=5000]
 *
 * The last line of output is one JSON object with the figures.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyImport, type ImportFile, previewImport } from "~/modules/imports/service.server";
import { env } from "~/utils/env.server";
import { connect } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";

const CADRES = Number(process.argv[2] ?? 5000);
const UNITS = 120;
const actor = { userId: null, label: "bench" };

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宇浩然欣怡子轩梓涵一诺晨阳思远嘉怡雨";
const RANKS = ["科员", "副科级", "正科级", "副县级", "正县级"];
const KINDS = ["部门", "镇街", "园区", "国企", "其他"];

function pick<T>(list: ArrayLike<T>, i: number): T {
  return list[i % list.length]!;
}

function unitsCsv(): string {
  const lines = ["单位编码,单位名称,上级单位编码,单位类别", "BENCH-ROOT,某市,,其他"];
  for (let u = 1; u < UNITS; u++) lines.push(`BENCH-${u},单位${u},BENCH-ROOT,${pick(KINDS, u)}`);
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

function cadresCsv(): string {
  const lines = ["工号,姓名,单位编码,职级,职务,邮箱,手机,单位负责人,任职日期"];
  for (let i = 0; i < CADRES; i++) {
    const unit = 1 + (i % (UNITS - 1));
    const name = pick(SURNAMES, i * 7) + pick(GIVEN, i * 13) + (i % 3 ? pick(GIVEN, i * 31) : "");
    const head = i < UNITS - 1 ? "是" : "否";
    const since = i % 4 === 0 ? `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 9}` : "";
    lines.push(
      `B${String(i).padStart(6, "0")},${name},BENCH-${unit},${pick(RANKS, i)},职务${i % 40},b${i}@bench.example.cn,139${String(i).padStart(8, "0")},${head},${since}`,
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

const file = (kind: ImportFile["kind"], text: string): ImportFile => ({
  kind,
  fileName: `${kind}.csv`,
  bytes: new TextEncoder().encode(text),
});

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, (performance.now() - started) / 1000];
}

async function main() {
  env(); // the environment, validated as the server and the CLI validate it
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-import-"));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: false, log: (l) => console.error(l) });
  const connection = connect(pg.url());
  try {
    await runMigrations(pg.url());
    const db = connection.db;

    const units = await previewImport(db, actor, file("units", unitsCsv()));
    if (!units.ok || units.summary.errors.length) throw new Error("the generated units file has problems");
    await applyImport(db, actor, units.batchId);

    const roster = file("cadres", cadresCsv());
    const [preview, previewSeconds] = await timed(() => previewImport(db, actor, roster));
    if (!preview.ok || preview.summary.errors.length) throw new Error("the generated roster has problems");
    let lastReport = 0;
    const [outcome, applySeconds] = await timed(() =>
      applyImport(db, actor, preview.batchId, {
        onProgress: (processed, total) => {
          if (processed === total || processed - lastReport >= 1000) {
            lastReport = processed;
            console.error(`  applied ${processed}/${total}`);
          }
        },
      }),
    );
    if (outcome.status !== "applied") throw new Error("the roster did not apply");

    const [again, reimportSeconds] = await timed(async () => {
      const p = await previewImport(db, actor, roster);
      if (!p.ok) throw new Error("unexpected");
      await applyImport(db, actor, p.batchId);
      return p.summary.counts;
    });
    if (again.unchanged !== CADRES) throw new Error(`re-import changed ${CADRES - again.unchanged} rows`);

    const seconds = previewSeconds + applySeconds;
    const figures = {
      bench: "import",
      cadres: CADRES,
      units: UNITS,
      fileBytes: roster.bytes.byteLength,
      previewSeconds: round(previewSeconds),
      applySeconds: round(applySeconds),
      seconds: round(seconds),
      rowsPerSecond: Math.round(CADRES / seconds),
      reimportSeconds: round(reimportSeconds),
      reimportUnchanged: again.unchanged,
    };
    console.log(
      `${CADRES} cadres: preview ${figures.previewSeconds} s + apply ${figures.applySeconds} s = ${figures.seconds} s (${figures.rowsPerSecond} rows/s)`,
    );
    console.log(`same file again: ${figures.reimportSeconds} s, ${again.unchanged} unchanged`);
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
