import fs from "node:fs/promises";
import path from "node:path";
import type { TFunction } from "i18next";
import { isImportKind } from "~/modules/imports/columns";
import { applyImport, planImport, storeBatch } from "~/modules/imports/service.server";
import type { ImportCounts, ImportProblem } from "~/modules/imports/types";
import { translator } from "~/utils/i18n";
import type { CliCommand } from "../context";

/**
 * `import units|cadres FILE [--dry-run]`: the same checks and the same writes as the upload page. Any
 * problem is listed by row and column and nothing is imported; progress goes to stderr, the summary
 * to stdout.
 */
const run: CliCommand = async (args, ctx) => {
  const t = translator("zh-CN");
  const flags = args.filter((a) => a.startsWith("-"));
  const positional = args.filter((a) => !a.startsWith("-"));
  const [kind, file] = positional;
  if (positional.length !== 2 || !isImportKind(kind) || flags.some((f) => f !== "--dry-run")) {
    ctx.err(t("imports.cli.usage"));
    return 2;
  }
  const dryRun = flags.includes("--dry-run");

  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file!);
  } catch {
    ctx.err(t("imports.cli.fileNotFound", { path: file }));
    return 1;
  }

  const planned = await planImport(ctx.db, { kind, fileName: path.basename(file!), bytes });
  if (!planned.ok) return fail(t, ctx.err, planned.problems);
  ctx.out(summaryLine(t, planned.summary.counts));
  if (planned.summary.ignoredColumns.length) {
    ctx.err(t("imports.ignoredColumns", { columns: planned.summary.ignoredColumns.join("、") }));
  }
  if (planned.summary.errors.length) return fail(t, ctx.err, planned.summary.errors);
  if (dryRun) {
    ctx.out(t("imports.cli.dryRun"));
    return 0;
  }

  const actor = { userId: null, label: "cli" };
  const batchId = await storeBatch(ctx.db, actor, planned);
  const outcome = await applyImport(ctx.db, actor, batchId, {
    onProgress: (processed, total) => ctx.err(t("imports.cli.progress", { processed, total })),
  });
  if (outcome.status === "invalid") {
    ctx.err(t("imports.cli.changedSincePreview"));
    return fail(t, ctx.err, outcome.problems);
  }
  ctx.out(t("imports.cli.applied", { id: batchId }));
  return 0;
};
export default run;

function fail(t: TFunction, err: (line: string) => void, problems: ImportProblem[]): number {
  for (const p of problems) err(problemLine(t, p));
  err(t("imports.cli.failed", { count: problems.length }));
  return 1;
}

/** "第 N 行 [列名] message", the way the departments will look for it in their own sheet. */
export function problemLine(t: TFunction, p: ImportProblem): string {
  const message = t(p.messageKey, p.params);
  if (p.row === null) return t("imports.cli.fileProblem", { message });
  if (p.column === null) return t("imports.cli.rowOnly", { row: p.row, message });
  return t("imports.cli.rowProblem", { row: p.row, column: p.column, message });
}

function summaryLine(t: TFunction, counts: ImportCounts): string {
  return t("imports.cli.summary", { ...counts });
}
