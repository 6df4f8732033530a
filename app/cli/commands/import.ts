import fs from "node:fs/promises";
import path from "node:path";
import type { TFunction } from "i18next";
import { countsText } from "~/modules/imports/kinds";
import { findImportKind, importKinds } from "~/modules/imports/kinds.server";
import type { AnyImportKindHandler } from "~/modules/imports/registry.server";
import { applyImport, planImport, storeBatch } from "~/modules/imports/service.server";
import type { ImportCounts, ImportProblem } from "~/modules/imports/types";
import { translator } from "~/utils/i18n";
import type { CliCommand, CliContext } from "../context";

/**
 * `import <kind> [param …] FILE [--dry-run]`: the same checks and the same writes as the upload page,
 * for every registered kind. A kind's parameters go between the kind and the file, as `name=value` or
 * by position in the order the kind declares them (`import attendance 2026-07 FILE`). Any problem is
 * listed by row and column and nothing is imported; progress goes to stderr, the summary to stdout.
 */
const run: CliCommand = async (args, ctx) => {
  const t = translator("zh-CN");
  const flags = args.filter((a) => a.startsWith("-"));
  const positional = args.filter((a) => !a.startsWith("-"));
  const kind = positional.length >= 2 ? findImportKind(positional[0]!) : null;
  if (!kind || flags.some((f) => f !== "--dry-run")) return usage(t, ctx);
  const file = positional.at(-1)!;
  const params = parseParams(kind, positional.slice(1, -1));
  if (!params.ok) {
    ctx.err(t(params.messageKey, params.values));
    return usage(t, ctx, [kind]);
  }
  const dryRun = flags.includes("--dry-run");

  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch {
    ctx.err(t("imports.cli.fileNotFound", { path: file }));
    return 1;
  }

  const planned = await planImport(ctx.db, { kind: kind.kind, params: params.params, fileName: path.basename(file), bytes });
  if (!planned.ok) return fail(t, ctx.err, planned.problems);
  ctx.out(summaryLine(t, kind, planned.summary.counts));
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

type ParsedParams = { ok: true; params: Record<string, string> } | { ok: false; messageKey: string; values?: Record<string, string> };

/** `name=value` for a parameter the kind declares; any other word fills the next parameter in order. */
export function parseParams(kind: AnyImportKindHandler, words: string[]): ParsedParams {
  const specs = kind.params ?? [];
  const params: Record<string, string> = {};
  const positional: string[] = [];
  for (const word of words) {
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(0, eq) : "";
    if (specs.some((p) => p.name === name)) params[name] = word.slice(eq + 1);
    else positional.push(word);
  }
  for (const value of positional) {
    const next = specs.find((p) => !(p.name in params));
    if (!next) return { ok: false, messageKey: "imports.cli.extraArgument", values: { value } };
    params[next.name] = value;
  }
  const missing = specs.find((p) => p.required && !params[p.name]?.trim());
  if (missing) return { ok: false, messageKey: "imports.cli.paramMissing", values: { name: missing.name } };
  return { ok: true, params };
}

/** The general form, then one line per kind: what to type and what it imports. */
function usage(t: TFunction, ctx: CliContext, kinds: AnyImportKindHandler[] = importKinds()): number {
  ctx.err(t("imports.cli.usage"));
  for (const k of kinds) {
    const params = (k.params ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
    ctx.err(`  ${[k.kind, ...params, t("imports.cli.fileArgument")].join(" ")}  ${t(k.labelKey)}`);
  }
  return 2;
}

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

function summaryLine(t: TFunction, kind: AnyImportKindHandler, counts: ImportCounts): string {
  return t("imports.cli.summary", { rows: counts.rows, details: countsText(t, kind, counts), errors: counts.errors });
}
