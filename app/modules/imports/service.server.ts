import { createHash } from "node:crypto";
import { desc, eq, inArray, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { accountNameSql } from "~/modules/auth/people.server";
import type { Scope } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import { conflict, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, importBatches, users } from "~db/schema";
import type { ImportRowBase } from "./kinds";
import { findImportKind } from "./kinds.server";
import { readSheet } from "./read.server";
import type { AnyImportKindHandler, PlanOptions } from "./registry.server";
import { byPosition, normaliseSheet } from "./rows";
import type { ImportCounts, ImportProblem, ImportSummary } from "./types";

/**
 * The import machinery, the same for every kind: read the file, map its headers and check its rows
 * with the kind's definition, ask the kind what would change, keep that as a batch, and apply it once
 * on confirmation. The kinds themselves are in the registry (registry.server.ts, kinds.server.ts).
 */

export interface ImportFile {
  kind: string;
  fileName: string;
  bytes: Uint8Array;
  /** The kind's extra parameters by name; others are dropped. */
  params?: Readonly<Record<string, string>>;
}

/**
 * The outcome of reading and checking a file against the database. Not ok: the file or its header row
 * is unusable, so there is nothing to preview. Ok: rows and a summary, which may still list row problems.
 */
export type PlannedImport =
  | { ok: false; problems: ImportProblem[]; ignoredColumns: string[] }
  | { ok: true; kind: string; fileName: string; fileHash: string; rows: ImportRowBase[]; summary: ImportSummary };

/** The scope of the command line, the tests and the bench: everything. */
const EVERYTHING: Scope = { all: true, unitIds: [], cadreId: null };

const wholeFile = (messageKey: string, params?: Record<string, string | number>): ImportProblem => ({
  row: null,
  column: null,
  messageKey,
  params,
});

/** Reads, checks and compares a file with the database. Writes nothing: this is also the dry run. */
export async function planImport(
  db: DbOrTx,
  file: ImportFile,
  options: { today?: string; actor?: Actor; scope?: Scope } = {},
): Promise<PlannedImport> {
  const kind = findImportKind(file.kind);
  if (!kind) return { ok: false, problems: [wholeFile("imports.errors.kind")], ignoredColumns: [] };
  const { params, problems: paramProblems } = paramsOf(kind, file.params ?? {});
  if (paramProblems.length) return { ok: false, problems: paramProblems, ignoredColumns: [] };

  const read = await readSheet(file.fileName, file.bytes);
  if (!read.ok) return { ok: false, problems: read.problems, ignoredColumns: [] };
  const normalised = normaliseSheet(kind, read.table, params);
  // Problems of the file itself or of its header row (row 1) leave no rows to preview.
  const fileProblems = normalised.problems.filter((p) => p.row === null || p.row === 1);
  if (fileProblems.length) return { ok: false, problems: fileProblems, ignoredColumns: normalised.ignoredColumns };

  const planned = await kind.plan(
    db,
    normalised.rows,
    planOptions(kind, {
      today: options.today ?? todayInShanghai(),
      headers: normalised.headers,
      params,
      skippedCodes: normalised.skippedCodes,
      actor: options.actor ?? { userId: null },
      scope: options.scope ?? EVERYTHING,
    }),
  );
  const problems = [...normalised.problems, ...planned.problems].sort(byPosition);
  const summary: ImportSummary = {
    kind: kind.kind,
    ...(Object.keys(params).length ? { params } : {}),
    counts: { ...planned.counts, rows: read.table.rows.length, errors: problems.length },
    errors: problems,
    ignoredColumns: normalised.ignoredColumns,
    headers: normalised.headers,
    changes: planned.changes,
  };
  const fileHash = createHash("sha256").update(file.bytes).digest("hex");
  return { ok: true, kind: kind.kind, fileName: file.fileName, fileHash, rows: normalised.rows, summary };
}

/** The kind's declared parameters, trimmed; a required one missing is a problem of the whole upload. */
function paramsOf(kind: AnyImportKindHandler, given: Readonly<Record<string, string>>) {
  const params: Record<string, string> = {};
  const problems: ImportProblem[] = [];
  for (const p of kind.params ?? []) {
    const value = given[p.name]?.trim();
    if (value) params[p.name] = value;
    else if (p.required) problems.push(wholeFile("imports.errors.paramMissing", { name: p.name }));
  }
  return { params, problems };
}

function planOptions(kind: AnyImportKindHandler, options: Omit<PlanOptions, "column">): PlanOptions {
  return {
    ...options,
    column: (field) => options.headers[field] ?? kind.columns.find((c) => c.field === field)?.zh ?? field,
  };
}

export type PreviewResult = { ok: true; batchId: number; summary: ImportSummary } | { ok: false; problems: ImportProblem[] };

/** Checks a file and keeps its rows and summary as a batch waiting for confirmation. */
export async function previewImport(
  db: DbOrTx,
  actor: Actor,
  file: ImportFile,
  options: { today?: string; scope?: Scope } = {},
): Promise<PreviewResult> {
  const planned = await planImport(db, file, { ...options, actor });
  if (!planned.ok) return { ok: false, problems: planned.problems };
  return { ok: true, batchId: await storeBatch(db, actor, planned), summary: planned.summary };
}

export async function storeBatch(db: DbOrTx, actor: Actor, planned: Extract<PlannedImport, { ok: true }>): Promise<number> {
  const [batch] = await db
    .insert(importBatches)
    .values({
      kind: planned.kind,
      fileName: planned.fileName,
      fileHash: planned.fileHash,
      rows: planned.rows,
      summary: planned.summary,
      totalRows: planned.rows.length,
      createdByUserId: actor.userId,
    })
    .returning({ id: importBatches.id });
  return batch!.id;
}

export type ApplyOutcome =
  | { status: "applied"; counts: ImportCounts; alreadyApplied: boolean }
  | { status: "invalid"; problems: ImportProblem[] };

/**
 * Applies a previewed batch exactly as stored, once. The rows are checked again inside the transaction
 * that writes them, so a unit deleted or an email taken since the preview cannot slip through. A lock on
 * the batch makes a second confirmation (double click, retry) wait and then find it applied; a lock on
 * imports as a whole makes two batches take turns, so each is checked against what the other wrote.
 * Progress goes through `db` itself, outside the transaction, so that others can see it while it runs.
 */
export async function applyImport(
  db: Database,
  actor: Actor,
  batchId: number,
  options: { today?: string; scope?: Scope; onProgress?: (processed: number, total: number) => void } = {},
): Promise<ApplyOutcome> {
  const outcome = await db.transaction(async (tx): Promise<ApplyOutcome> => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:import'), ${batchId})`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:import'))`);
    const [batch] = await tx.select().from(importBatches).where(eq(importBatches.id, batchId));
    if (!batch) throw notFound();
    const summary = batch.summary as ImportSummary;
    if (batch.status === "applied") {
      return { status: "applied", counts: summary.applied?.counts ?? summary.counts, alreadyApplied: true };
    }
    if (batch.status === "discarded") throw conflict("imports.errors.discarded");
    if (summary.errors.length) return { status: "invalid", problems: summary.errors };

    const rows = batch.rows as ImportRowBase[];
    const kind = findImportKind(batch.kind);
    if (!kind) throw notFound();
    const plan = await kind.plan(
      tx,
      rows,
      planOptions(kind, {
        today: options.today ?? todayInShanghai(),
        headers: summary.headers,
        params: summary.params ?? {},
        skippedCodes: [],
        actor,
        scope: options.scope ?? EVERYTHING,
      }),
    );
    if (plan.problems.length) return { status: "invalid", problems: plan.problems };

    const total = rows.length;
    const progress = async (processed: number) => {
      options.onProgress?.(processed, total);
      await db.update(importBatches).set({ processedRows: processed, totalRows: total }).where(eq(importBatches.id, batchId));
    };
    await progress(0);
    await kind.apply(tx, plan.plan, { actor, batchId, progress });

    const counts: ImportCounts = { ...plan.counts, rows: total, errors: 0 };
    await audit(tx, actor, {
      action: "import.applied",
      entityType: "import_batch",
      entityId: batchId,
      after: {
        kind: kind.kind,
        ...(summary.params ? { params: summary.params } : {}),
        fileName: batch.fileName,
        fileHash: batch.fileHash,
        counts,
      },
    });
    const applied: ImportSummary = { ...summary, applied: { at: new Date().toISOString(), counts } };
    await tx
      .update(importBatches)
      .set({ status: "applied", appliedAt: new Date(), processedRows: total, totalRows: total, summary: applied })
      .where(eq(importBatches.id, batchId));
    return { status: "applied", counts, alreadyApplied: false };
  });
  if (outcome.status === "invalid") {
    // Show what changed since the preview on the preview page; the batch stays unapplied.
    await db.execute(sql`
      update ${importBatches}
      set summary = jsonb_set(jsonb_set(summary, '{errors}', ${JSON.stringify(outcome.problems)}::jsonb),
                              '{counts,errors}', to_jsonb(${outcome.problems.length}::int))
      where id = ${batchId} and status = 'previewed'`);
  }
  return outcome;
}

/** Drops a batch that will not be applied; an applied batch cannot be discarded. */
export async function discardImport(db: Database, actor: Actor, batchId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:import'), ${batchId})`);
    const [batch] = await tx
      .select({ status: importBatches.status, kind: importBatches.kind, fileName: importBatches.fileName })
      .from(importBatches)
      .where(eq(importBatches.id, batchId));
    if (!batch) throw notFound();
    if (batch.status === "applied") throw conflict("imports.errors.alreadyApplied");
    if (batch.status === "discarded") return;
    // The stored rows hold personal data nobody will apply: keep the summary, drop the rows.
    await tx.update(importBatches).set({ status: "discarded", rows: [] }).where(eq(importBatches.id, batchId));
    await audit(tx, actor, {
      action: "import.discarded",
      entityType: "import_batch",
      entityId: batchId,
      after: { kind: batch.kind, fileName: batch.fileName },
    });
  });
}

/** The latest batches of the given kinds (those the caller may import). */
export async function listImportBatches(db: DbOrTx, kinds: string[], limit = 20) {
  if (!kinds.length) return [];
  return db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      fileName: importBatches.fileName,
      status: importBatches.status,
      counts: sql<ImportCounts>`${importBatches.summary} -> 'counts'`,
      createdAt: importBatches.createdAt,
      appliedAt: importBatches.appliedAt,
      // The person, by the name people know them by (a cadre account's display name is empty).
      createdBy: accountNameSql,
    })
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.createdByUserId))
    .leftJoin(cadres, eq(cadres.id, users.cadreId))
    .where(inArray(importBatches.kind, kinds))
    .orderBy(desc(importBatches.id))
    .limit(limit);
}

/** A batch as its page shows it: the summary, without the stored rows. Null when there is none. */
export async function findImportBatch(db: DbOrTx, batchId: number) {
  const [batch] = await db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      fileName: importBatches.fileName,
      status: importBatches.status,
      summary: importBatches.summary,
      processedRows: importBatches.processedRows,
      totalRows: importBatches.totalRows,
      createdAt: importBatches.createdAt,
      appliedAt: importBatches.appliedAt,
    })
    .from(importBatches)
    .where(eq(importBatches.id, batchId));
  return batch ? { ...batch, summary: batch.summary as ImportSummary } : null;
}

/** Which kind a batch is, for the access check before acting on it. Null when there is no such batch. */
export async function findImportBatchKind(db: DbOrTx, batchId: number): Promise<string | null> {
  const [row] = await db.select({ kind: importBatches.kind }).from(importBatches).where(eq(importBatches.id, batchId));
  return row?.kind ?? null;
}

/** How far a confirmed import has got, and its kind for the access check. */
export async function findImportProgress(db: DbOrTx, batchId: number) {
  const [row] = await db
    .select({
      kind: importBatches.kind,
      status: importBatches.status,
      processedRows: importBatches.processedRows,
      totalRows: importBatches.totalRows,
    })
    .from(importBatches)
    .where(eq(importBatches.id, batchId));
  return row ?? null;
}
