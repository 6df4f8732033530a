import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import type { TFunction } from "i18next";
import { countsText, describeImportKind } from "~/modules/imports/kinds";
import { findImportKind, importKinds } from "~/modules/imports/kinds.server";
import { changeLine, layoutLine, problemLine, skippedLine } from "~/modules/imports/messages";
import type { AnyImportKindHandler } from "~/modules/imports/registry.server";
import { writeRejectedFile } from "~/modules/imports/rejected.server";
import { applyImport, planImport, storeBatch } from "~/modules/imports/service.server";
import { templateBaseName, templateCsv, templateXlsx } from "~/modules/imports/templates.server";
import type { ImportCounts, ImportProblem, ImportSummary } from "~/modules/imports/types";
import { todayInShanghai } from "~/utils/dates";
import { translator } from "~/utils/i18n";
import type { CliCommand, CliContext } from "../context";

const VALUE_OPTIONS = ["--sheet", "--errors", "--format"];

/**
 * `import <kind> [param …] FILE [--dry-run] [--sheet NAME] [--errors OUT.xlsx]`: the same reader, checks
 * and writes as the upload page, for every registered kind. A kind's parameters go between the kind and
 * the file, as `name=value` or by position in the order the kind declares them. The dry run prints
 * what the preview page shows: what was read (sheet, header row, encoding), the counts, and the same
 * change list; any problem is listed by row, column and value and nothing is imported (exit 1), and
 * `--errors` writes the file back marked up, as the page's download does.
 * `import template <kind> [--format csv] OUT` writes a kind's template.
 */
const run: CliCommand = async (args, ctx) => {
  const t = translator("zh-CN");
  const parsed = parseArgs(args);
  if (!parsed) return usage(t, ctx);
  if (parsed.positional[0] === "template") return template(t, ctx, parsed);
  const { positional, options, dryRun } = parsed;
  const kind = positional.length >= 2 ? findImportKind(positional[0]!) : null;
  if (!kind) return usage(t, ctx);
  const file = positional.at(-1)!;
  const params = parseParams(kind, positional.slice(1, -1));
  if (!params.ok) {
    ctx.err(t(params.messageKey, params.values));
    return usage(t, ctx, [kind]);
  }
  try {
    await fs.access(file);
  } catch {
    ctx.err(t("imports.cli.fileNotFound", { path: file }));
    return 1;
  }

  const fileName = path.basename(file);
  const planned = await planImport(ctx.db, {
    kind: kind.kind,
    params: params.params,
    fileName,
    path: file,
    sheet: options.get("--sheet") ?? null,
  });
  if (!planned.ok) {
    if (planned.layout.format) ctx.err(layoutLine(t, planned.layout));
    return fail(t, ctx.err, planned.problems, planned.problems.length);
  }
  const { summary } = planned;
  printPreview(t, ctx, kind, summary);
  if (summary.counts.errors) {
    const errorsOut = options.get("--errors");
    if (errorsOut) {
      const out = createWriteStream(errorsOut);
      await writeRejectedFile(ctx.db, { kind: kind.kind, fileName, filePath: file, summary }, out, { t, today: todayInShanghai() });
      await finished(out);
      ctx.err(t("imports.cli.errorsWritten", { path: errorsOut }));
    }
    return fail(t, ctx.err, summary.errors, summary.counts.errors);
  }
  if (dryRun) {
    ctx.out(t("imports.cli.dryRun"));
    return 0;
  }

  const actor = { userId: null, label: "cli" };
  const batchId = await storeBatch(ctx.db, actor, planned, file);
  const outcome = await applyImport(ctx.db, actor, batchId, {
    onProgress: (processed, total) => ctx.err(t("imports.cli.progress", { processed, total })),
  });
  if (outcome.status === "invalid") {
    ctx.err(t("imports.cli.changedSincePreview"));
    return fail(t, ctx.err, outcome.problems, outcome.problems.length);
  }
  ctx.out(t("imports.cli.applied", { id: batchId }));
  return 0;
};
export default run;

/** What the preview page shows, as lines: what was read, the counts, the changes. */
function printPreview(t: TFunction, ctx: CliContext, kind: AnyImportKindHandler, summary: ImportSummary) {
  if (summary.layout) ctx.out(layoutLine(t, summary.layout));
  for (const s of summary.skipped ?? []) ctx.out(`  ${skippedLine(t, s)}`);
  if ((summary.skippedCount ?? 0) > (summary.skipped?.length ?? 0)) {
    ctx.out(`  ${t("imports.cli.more", { count: (summary.skippedCount ?? 0) - (summary.skipped?.length ?? 0) })}`);
  }
  ctx.out(summaryLine(t, kind, summary.counts));
  if (summary.ignoredColumns.length) ctx.err(t("imports.ignoredColumns", { columns: summary.ignoredColumns.join("、") }));
  const view = describeImportKind(kind);
  for (const c of summary.changes) ctx.out(`  ${changeLine(t, "zh-CN", view, c)}`);
  const total = summary.changeCount ?? summary.changes.length;
  if (total > summary.changes.length) ctx.out(`  ${t("imports.cli.more", { count: total - summary.changes.length })}`);
}

async function template(t: TFunction, ctx: CliContext, parsed: NonNullable<ReturnType<typeof parseArgs>>): Promise<number> {
  const [, kindId, out] = parsed.positional;
  const kind = kindId ? findImportKind(kindId) : null;
  if (!kind) return usage(t, ctx);
  const csv = parsed.options.get("--format") === "csv";
  const target = out ?? `${templateBaseName(kind)}.${csv ? "csv" : "xlsx"}`;
  await fs.writeFile(target, csv ? templateCsv(kind) : await templateXlsx(kind, t));
  ctx.out(t("imports.cli.templateWritten", { path: target }));
  return 0;
}

function parseArgs(args: string[]) {
  const positional: string[] = [];
  const options = new Map<string, string>();
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--dry-run") dryRun = true;
    else if (VALUE_OPTIONS.includes(a.split("=")[0]!)) {
      const [name, inline] = a.split("=", 2) as [string, string | undefined];
      const value = inline ?? args[++i];
      if (value === undefined) return null;
      options.set(name, value);
    } else if (a.startsWith("-")) return null;
    else positional.push(a);
  }
  return { positional, options, dryRun };
}

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
  ctx.err(t("imports.cli.templateUsage"));
  return 2;
}

function fail(t: TFunction, err: (line: string) => void, problems: ImportProblem[], total: number): number {
  for (const p of problems) err(problemLine(t, p));
  if (total > problems.length) err(t("imports.cli.more", { count: total - problems.length }));
  err(t("imports.cli.failed", { count: total }));
  return 1;
}

function summaryLine(t: TFunction, kind: AnyImportKindHandler, counts: ImportCounts): string {
  return t("imports.cli.summary", { rows: counts.rows, details: countsText(t, kind, counts), errors: counts.errors });
}
