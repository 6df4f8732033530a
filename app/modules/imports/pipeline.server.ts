import type { Actor } from "~/modules/audit/service.server";
import type { Scope } from "~/modules/auth/roles";
import type { DbOrTx } from "~db/client";
import type { ApplyContext } from "./batching.server";
import type { ImportRowBase } from "./kinds";
import type { OpenedSheet } from "./reader/open.server";
import type { SheetRow } from "./reader/rows";
import type { AnyImportKindHandler, PlanOptions } from "./registry.server";
import { byPosition, RowChecker } from "./rows";
import { type ImportProblem, MAX_KEPT, type RowChange } from "./types";
import { cellText } from "./values";

/**
 * One pass over a file's rows, the same for the preview, the dry run, confirming and the marked-up
 * rejected file: each row is checked as it streams from the reader, rows are gathered into chunks
 * (the kind's `chunkRows`, or the whole file), each chunk is planned against the database — and, when
 * confirming, applied in the same transaction — and the kind finishes what spans the whole file.
 * Memory holds one chunk, the keys of the file and what is kept for the summary.
 */

export interface PipelineOptions {
  today: string;
  actor: Actor;
  scope: Scope;
  params: Readonly<Record<string, string>>;
  /** Confirming: apply each chunk's plan with this context. Problems found then stop the run. */
  apply?: ApplyContext;
  /** Keep every problem and hand each chunk's rows, with their problems, to this (the marked-up file). */
  onRows?: (rows: CheckedRow[]) => Promise<void>;
}

export interface CheckedRow {
  row: number;
  cells: SheetRow["cells"];
  problems: ImportProblem[];
}

export interface PipelineOutcome {
  /** Data rows read. */
  rows: number;
  /** The kept problems (all of them with `onRows`), in row order, and how many there were. */
  problems: ImportProblem[];
  problemCount: number;
  changes: RowChange[];
  changeCount: number;
  counts: Record<string, number>;
}

/** Thrown inside the applying transaction to roll it back when the database says no. */
export class ApplyStopped extends Error {
  constructor(readonly outcome: PipelineOutcome) {
    super("import stopped: problems found while applying");
  }
}

export async function runPipeline(
  db: DbOrTx,
  kind: AnyImportKindHandler,
  sheet: OpenedSheet,
  options: PipelineOptions,
): Promise<PipelineOutcome> {
  const checker = new RowChecker(kind, sheet.layout.headers, sheet.layout.headerRow, options.params);
  const planOptions: PlanOptions = {
    today: options.today,
    headers: checker.map.header,
    params: options.params,
    actor: options.actor,
    scope: options.scope,
    column: (field) => checker.column(field),
  };
  const state = kind.createState?.();
  const keepAll = Boolean(options.onRows);
  const outcome: PipelineOutcome = { rows: 0, problems: [], problemCount: 0, changes: [], changeCount: 0, counts: {} };
  for (const c of kind.counts) outcome.counts[c.key] = 0;
  const keep = (problems: ImportProblem[]) => {
    outcome.problemCount += problems.length;
    for (const p of problems) if (keepAll || outcome.problems.length < MAX_KEPT.problems) outcome.problems.push(p);
  };
  const fileKeys = new Set<string>();
  const chunkRows = kind.chunkRows ?? Number.POSITIVE_INFINITY;
  let applied = 0;

  let chunk: { value: ImportRowBase; cells: SheetRow["cells"]; problems: ImportProblem[] }[] = [];
  const flush = async () => {
    if (!chunk.length) return;
    const rows = chunk.map((c) => c.value);
    const planned = await kind.plan(db, rows, planOptions, state);
    // Name the value of each problem the database found, from the row's own cells.
    const byRow = new Map(chunk.map((c) => [c.value.row, c]));
    for (const p of planned.problems) {
      const entry = p.row === null ? undefined : byRow.get(p.row);
      if (entry && p.value === undefined) {
        const value = checker.valueIn(entry.cells, p.column);
        if (value !== undefined) p.value = value;
      }
      if (entry) entry.problems.push(p);
    }
    keep([...chunk.flatMap((c) => c.problems)].sort(byPosition));
    // Problems that are not a row's own (a whole session unknown) are kept once.
    keep(planned.problems.filter((p) => p.row === null || !byRow.has(p.row)));
    for (const [key, n] of Object.entries(planned.counts)) outcome.counts[key] = (outcome.counts[key] ?? 0) + n;
    outcome.changeCount += planned.changes.length;
    for (const c of planned.changes) if (outcome.changes.length < MAX_KEPT.changes) outcome.changes.push(c);
    if (options.onRows) await options.onRows(chunk.map((c) => ({ row: c.value.row, cells: c.cells, problems: c.problems })));
    if (options.apply) {
      if (outcome.problemCount) throw new ApplyStopped(outcome);
      const ctx = options.apply;
      const offset = applied;
      await kind.apply(db, planned.plan, { ...ctx, progress: (n) => ctx.progress(offset + n) }, state);
      applied += rows.length;
      await ctx.progress(applied);
    }
    chunk = [];
  };

  for await (const sheetRow of sheet.rows) {
    outcome.rows++;
    const { value, problems } = checker.check(sheetRow);
    const key = cellText(value[kind.keyField as keyof ImportRowBase] as never);
    if (key && kind.finish) fileKeys.add(key);
    chunk.push({ value, cells: sheetRow.cells, problems });
    if (chunk.length >= chunkRows) await flush();
  }
  if (!outcome.rows) {
    keep([{ row: null, column: null, messageKey: "imports.errors.noRows" }]);
    return outcome;
  }
  await flush();
  if (kind.finish) {
    const late = await kind.finish(db, { state, fileKeys, plan: planOptions, apply: options.apply ?? null });
    keep(late.sort(byPosition));
    if (options.onRows && late.length) await options.onRows([]);
  }
  if (options.apply && outcome.problemCount) throw new ApplyStopped(outcome);
  outcome.problems.sort(byPosition);
  return outcome;
}
