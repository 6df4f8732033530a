import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~db/client";
import { importBatches, users } from "~db/schema";
import { type Actor, audit } from "~/modules/audit/service.server";
import { todayInShanghai } from "~/utils/dates";
import { conflict, notFound } from "~/utils/errors";
import type { ApplyContext } from "./batching.server";
import { applyCadres, cadreChanges, cadreCounts, planCadres } from "./cadres.server";
import { CADRE_COLUMNS, type ImportKind, UNIT_COLUMNS } from "./columns";
import { readSheet } from "./read.server";
import { byPosition, normaliseRows } from "./rows";
import type { CadreRow, ImportCounts, ImportProblem, ImportRow, ImportSummary, RowChange, UnitRow } from "./types";
import { applyUnits, planUnits, unitChanges, unitCounts } from "./units.server";

export interface ImportFile {
  kind: ImportKind;
  fileName: string;
  bytes: Uint8Array;
}

/**
 * The outcome of reading and checking a file against the database. Not ok: the file or its header row
 * is unusable, so there is nothing to preview. Ok: rows and a summary, which may still list row problems.
 */
export type PlannedImport =
  | { ok: false; problems: ImportProblem[]; ignoredColumns: string[] }
  | { ok: true; kind: ImportKind; fileName: string; fileHash: string; rows: ImportRow[]; summary: ImportSummary };

/** Reads, checks and compares a file with the database. Writes nothing: this is also the dry run. */
export async function planImport(db: DbOrTx, file: ImportFile, options: { today?: string } = {}): Promise<PlannedImport> {
  const read = await readSheet(file.fileName, file.bytes);
  if (!read.ok) return { ok: false, problems: read.problems, ignoredColumns: [] };
  const normalised = normaliseRows(file.kind, read.table);
  // Problems of the file itself or of its header row (row 1) leave no rows to preview.
  const fileProblems = normalised.problems.filter((p) => p.row === null || p.row === 1);
  if (fileProblems.length) return { ok: false, problems: fileProblems, ignoredColumns: normalised.ignoredColumns };

  const plan = await planRows(db, file.kind, normalised.rows, {
    today: options.today ?? todayInShanghai(),
    headers: normalised.headers,
    skippedCodes: normalised.skippedCodes,
  });
  const problems = [...normalised.problems, ...plan.problems].sort(byPosition);
  const summary: ImportSummary = {
    kind: file.kind,
    counts: { ...plan.counts, rows: read.table.rows.length, errors: problems.length },
    errors: problems,
    ignoredColumns: normalised.ignoredColumns,
    headers: normalised.headers,
    changes: plan.changes,
  };
  const fileHash = createHash("sha256").update(file.bytes).digest("hex");
  return { ok: true, kind: file.kind, fileName: file.fileName, fileHash, rows: normalised.rows, summary };
}

interface RowsPlan {
  problems: ImportProblem[];
  changes: RowChange[];
  counts: ImportCounts;
  apply: (tx: DbOrTx, ctx: ApplyContext) => Promise<void>;
}

async function planRows(
  db: DbOrTx,
  kind: ImportKind,
  rows: ImportRow[],
  options: { today: string; headers: Record<string, string>; skippedCodes?: string[] },
): Promise<RowsPlan> {
  const header = (field: string, fallback: string) => options.headers[field] ?? fallback;
  if (kind === "units") {
    const plan = await planUnits(db, rows as UnitRow[], {
      skippedCodes: options.skippedCodes,
      parentHeader: header("parentCode", UNIT_COLUMNS[2].zh),
    });
    return {
      problems: plan.problems,
      changes: unitChanges(plan),
      counts: unitCounts(plan, rows.length),
      apply: (tx, ctx) => applyUnits(tx, plan, ctx),
    };
  }
  const plan = await planCadres(db, rows as CadreRow[], {
    today: options.today,
    headers: {
      unitCode: header("unitCode", CADRE_COLUMNS[2].zh),
      email: header("email", CADRE_COLUMNS[5].zh),
      since: options.headers.since ?? null,
    },
  });
  return {
    problems: plan.problems,
    changes: cadreChanges(plan),
    counts: cadreCounts(plan, rows.length),
    apply: (tx, ctx) => applyCadres(tx, plan, ctx),
  };
}

export type PreviewResult = { ok: true; batchId: number; summary: ImportSummary } | { ok: false; problems: ImportProblem[] };

/** Checks a file and keeps its rows and summary as a batch waiting for confirmation. */
export async function previewImport(
  db: DbOrTx,
  actor: Actor,
  file: ImportFile,
  options: { today?: string } = {},
): Promise<PreviewResult> {
  const planned = await planImport(db, file, options);
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
  options: { today?: string; onProgress?: (processed: number, total: number) => void } = {},
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

    const rows = batch.rows as ImportRow[];
    const kind = batch.kind as ImportKind;
    const plan = await planRows(tx, kind, rows, { today: options.today ?? todayInShanghai(), headers: summary.headers });
    if (plan.problems.length) return { status: "invalid", problems: plan.problems };

    const total = rows.length;
    const progress = async (processed: number) => {
      options.onProgress?.(processed, total);
      await db.update(importBatches).set({ processedRows: processed, totalRows: total }).where(eq(importBatches.id, batchId));
    };
    await progress(0);
    await plan.apply(tx, { actor, batchId, progress });

    const counts = plan.counts;
    await audit(tx, actor, {
      action: "import.applied",
      entityType: "import_batch",
      entityId: batchId,
      after: { kind, fileName: batch.fileName, fileHash: batch.fileHash, counts },
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

export async function listImportBatches(db: DbOrTx, limit = 20) {
  return db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      fileName: importBatches.fileName,
      status: importBatches.status,
      counts: sql<ImportCounts>`${importBatches.summary} -> 'counts'`,
      createdAt: importBatches.createdAt,
      appliedAt: importBatches.appliedAt,
      createdBy: users.displayName,
    })
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.createdByUserId))
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
  return batch ? { ...batch, kind: batch.kind as ImportKind, summary: batch.summary as ImportSummary } : null;
}

export async function findImportProgress(db: DbOrTx, batchId: number) {
  const [row] = await db
    .select({ status: importBatches.status, processedRows: importBatches.processedRows, totalRows: importBatches.totalRows })
    .from(importBatches)
    .where(eq(importBatches.id, batchId));
  return row ?? null;
}
