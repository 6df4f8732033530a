/**
 * The registry of spreadsheet import kinds. The machinery — reading CSV/XLSX (reader/), mapping headers,
 * checking rows, the preview stored in import_batches, confirming in one transaction with progress and
 * audit, discarding, the upload and batch pages, the templates and the marked-up rejected file,
 * `npm run luoshi -- import` — knows nothing of units or cadres: it asks the kind (service.server.ts,
 * routes admin.imports.*).
 *
 * To add an import kind: write <capability>/import.server.ts exporting an `ImportKindHandler`; add it
 * to the list in app/modules/imports/kinds.server.ts; add its i18n labels (kind name, params, counts) to
 * the capability's locale file; done. units.server.ts and cadres.server.ts are the examples.
 *
 * Look kinds up through kinds.server.ts, which registers them all first.
 */

import type { Actor } from "~/modules/audit/service.server";
import type { Scope } from "~/modules/auth/roles";
import type { DbOrTx } from "~db/client";
import type { ApplyContext } from "./batching.server";
import type { ImportKindDefinition, ImportRowBase } from "./kinds";
import type { ImportProblem, RowChange } from "./types";

// What a kind's `apply` works with: write a chunk at a time, mark its audit entries with the batch.
export { type ApplyContext, chunked, importReason, type ProgressFn } from "./batching.server";

/** What `plan` gets besides the rows. Rebuilt from the stored batch when confirming. */
export interface PlanOptions {
  /** The import's date in Asia/Shanghai (YYYY-MM-DD), e.g. for a transfer without a date. */
  today: string;
  /** Field → the header as written in the file; a field is absent when its (optional) column is. */
  headers: Readonly<Record<string, string>>;
  /** The upload's extra parameters, by name, checked present when required. */
  params: Readonly<Record<string, string>>;
  /** Who previews or confirms. */
  actor: Actor;
  /**
   * What they may see of the organization (the command line: everything). A kind open to heads or
   * liaisons checks its rows against it, so that nobody imports into someone else's units.
   */
  scope: Scope;
  /** The column to name in a problem about `field`: as written in the file, else the template's header. */
  column(field: string): string;
}

export interface PlannedRows<Plan> {
  /** Problems only the database can show (unknown codes, taken addresses …), by row and column. */
  problems: ImportProblem[];
  /** The rows that would change, for the preview. */
  changes: RowChange[];
  /** The kind's counts, keyed as its `counts` list says; rows and errors are added by the machinery. */
  counts: Record<string, number>;
  /** Whatever `apply` needs; never stored, so it may hold anything. */
  plan: Plan;
}

/** What `finish` gets: the run's state, every key of the file, and whether the run writes. */
export interface FinishOptions<State> {
  state: State;
  /** The key column's value of every row of the file (valid or not). */
  fileKeys: ReadonlySet<string>;
  plan: PlanOptions;
  /** Set when applying: write what spans the whole file, audited with this context. */
  apply: ApplyContext | null;
}

/**
 * A kind of import, with its database side. `plan` reads only: it is the preview, the dry run, and the
 * check repeated inside the applying transaction. `apply` gets a plan without problems and writes it
 * inside that transaction, auditing every change with the context's actor (reason
 * `importReason(ctx.batchId)`).
 *
 * Large files are planned and applied `chunkRows` rows at a time as they stream from the file, so memory
 * stays flat however long the roster; a kind whose rows depend on one another (a unit's parent, a
 * cadre's several viewing-log rows) leaves `chunkRows` unset and gets the whole file at once. What spans
 * chunks goes in the run's `state` (made by `createState`), and `finish` deals with it at the end: it
 * returns problems found only then (an address taken by someone who is not in the file after all) and,
 * when applying, writes what needs every row first (unit heads).
 */
export interface ImportKindHandler<Row extends ImportRowBase = ImportRowBase, Plan = unknown, State = unknown>
  extends ImportKindDefinition<Row> {
  chunkRows?: number;
  createState?(): State;
  plan(db: DbOrTx, rows: Row[], options: PlanOptions, state: State): Promise<PlannedRows<Plan>>;
  apply(tx: DbOrTx, plan: Plan, ctx: ApplyContext, state: State): Promise<void>;
  finish?(db: DbOrTx, options: FinishOptions<State>): Promise<ImportProblem[]>;
  /**
   * Checks the upload's parameters against who is uploading, before the file is read (a venue's staff
   * import only for a session they run). Returns an i18n key to refuse with, or null.
   */
  authorise?(db: DbOrTx, params: Readonly<Record<string, string>>, who: { actor: Actor; scope: Scope }): Promise<string | null>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every row, plan and state type.
export type AnyImportKindHandler = ImportKindHandler<any, any, any>;

const registry = new Map<string, AnyImportKindHandler>();

/** Ids go into URLs, form values and command lines. */
const KIND_ID = /^[a-z][a-z0-9-]*$/;

/** Adds a kind; a mistake in its definition fails here, at start-up, rather than on an upload. */
export function registerImportKind<Row extends ImportRowBase, Plan, State>(handler: ImportKindHandler<Row, Plan, State>): void {
  const { kind } = handler;
  if (!KIND_ID.test(kind)) throw new Error(`import kind "${kind}": use lower-case letters, digits and hyphens`);
  if (registry.has(kind)) throw new Error(`import kind "${kind}" is registered twice`);
  const fields = new Set(handler.columns.map((c) => c.field));
  if (fields.size !== handler.columns.length) throw new Error(`import kind "${kind}": two columns with one field`);
  if (!fields.has(handler.keyField)) throw new Error(`import kind "${kind}": keyField "${handler.keyField}" is not a column`);
  const params = (handler.params ?? []).map((p) => p.name);
  if (new Set(params).size !== params.length || params.some((p) => !/^[a-zA-Z][\w-]*$/.test(p))) {
    throw new Error(`import kind "${kind}": parameter names must be distinct words`);
  }
  registry.set(kind, handler as AnyImportKindHandler);
}

export function findImportKind(kind: string): AnyImportKindHandler | null {
  return registry.get(kind) ?? null;
}

/** A kind the caller knows exists (a stored batch's, a validated form's). */
export function importKind(kind: string): AnyImportKindHandler {
  const handler = registry.get(kind);
  if (!handler) throw new Error(`unknown import kind "${kind}"`);
  return handler;
}

/** Every kind, in the order registered: the order the upload page lists them. */
export function importKinds(): AnyImportKindHandler[] {
  return [...registry.values()];
}

/** Counts of plan items by action, with a zero for every count the kind reports. */
export function countActions(items: readonly { action: string }[], counts: ImportKindDefinition["counts"]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) out[c.key] = 0;
  for (const i of items) out[i.action] = (out[i.action] ?? 0) + 1;
  return out;
}
