/**
 * The zip bomb of the security review: an .xlsx of about a megabyte whose one sheet unpacks to 228 MB
 * of XML. Uploaded, it froze the app for 10–15 s and took it from 0.4 to 3 GB. Now the reader counts
 * what it inflates and stops at its limit (128 MB unpacked). Measured here: the time to refuse it and
 * the memory that took, once and twice at once, against the same run's baseline of reading a real
 * 20,000-row roster workbook of the same columns.
 *
 *   npx tsx bench/import-bomb.ts
 *
 * The last line of output is one JSON object with the figures.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { CADRE_COLUMNS } from "~/modules/imports/cadres";
import { openSheet } from "~/modules/imports/reader/open.server";
import { writeZipBomb } from "./_zip-bomb";

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
    console.log(JSON.stringify(figures));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
