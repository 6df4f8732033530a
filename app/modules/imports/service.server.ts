import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Actor, audit } from "~/modules/audit/service.server";
import { accountNameSql } from "~/modules/auth/people.server";
import type { Scope } from "~/modules/auth/roles";
import { todayInShanghai } from "~/utils/dates";
import { conflict, notFound } from "~/utils/errors";
import type { Database, DbOrTx } from "~db/client";
import { cadres, importBatches, users } from "~db/schema";
import { mapColumns } from "./columns";
import { fileExtension } from "./constants";
import { dropStoredFile, fileDigest, storeFile, withStoredFile, withTempFile } from "./files.server";
import { findImportKind } from "./kinds.server";
import { ApplyStopped, type PipelineOptions, runPipeline } from "./pipeline.server";
import { ReadRefusal } from "./reader/limits";
import { type OpenOptions, type OpenResult, openSheet } from "./reader/open.server";
import type { SheetLayout } from "./reader/rows";
import type { AnyImportKindHandler } from "./registry.server";
import type { ImportCounts, ImportProblem, ImportSummary } from "./types";

/**
 * The import machinery, the same for every kind: read the file, check its rows with the kind's
 * definition and the database, keep the file and what it would change as a batch, and apply it once
 * on confirmation, reading the same file again. The kinds themselves are in the registry
 * (registry.server.ts, kinds.server.ts); the pass over the rows is pipeline.server.ts.
 */

export interface ImportFile {
  kind: string;
  fileName: string;
  /** The file on disk (an upload streamed to a temporary file), or its bytes (tests, small files). */
  path?: string;
  bytes?: Uint8Array;
  /** The kind's extra parameters by name; others are dropped. */
  params?: Readonly<Record<string, string>>;
  /** A workbook's sheet to read, by name; otherwise the one whose header names the most columns. */
  sheet?: string | null;
}

/**
 * The outcome of reading and checking a file against the database. Not ok: the file, or its header
 * row, is unusable, so there is nothing to preview; `layout` says what was read. Ok: a summary, which
 * may still list row problems.
 */
export type PlannedImport =
  | { ok: false; problems: ImportProblem[]; ignoredColumns: string[]; layout: Partial<SheetLayout> }
  | { ok: true; kind: string; fileName: string; fileHash: string; fileBytes: number; summary: ImportSummary };

/** The scope of the command line, the tests and the bench: everything. */
export const EVERYTHING: Scope = { all: true, unitIds: [], cadreId: null };

const wholeFile = (messageKey: string, params?: Record<string, string | number>): ImportProblem => ({
  row: null,
  column: null,
  messageKey,
  params,
});

interface PlanContext {
  today?: string;
  actor?: Actor;
  scope?: Scope;
}

/** Runs `fn` with the file on disk, whichever way it was given. */
async function onDisk<T>(file: ImportFile, fn: (filePath: string) => Promise<T>): Promise<T> {
  if (file.path) return fn(file.path);
  return withTempFile(file.bytes ?? new Uint8Array(), fileExtension(file.fileName), fn);
}

/**
 * Opens the file for a kind: the sheet and header found (or those given), and the header mapped onto
 * the kind's columns. Problems of the file or of its header leave nothing to read.
 */
export async function openImportSheet(
  kind: AnyImportKindHandler,
  filePath: string,
  fileName: string,
  at: Pick<OpenOptions, "sheet" | "headerRow" | "onSkipped" | "onHeader"> = {},
): Promise<{ ok: true; sheet: Extract<OpenResult, { ok: true }>; ignored: string[] } | Extract<PlannedImport, { ok: false }>> {
  const opened = await openSheet({ path: filePath, fileName, columns: kind.columns, keyField: kind.keyField, ...at });
  if (!opened.ok) return { ok: false, problems: opened.problems, ignoredColumns: [], layout: opened.layout };
  const map = mapColumns(kind.columns, opened.layout.headers, opened.layout.headerRow);
  if (map.problems.length) {
    await opened.close();
    const headerProblems = [
      ...map.problems,
      // Say what was taken as the header, so a wrong guess (a title row, the wrong sheet) is plain to see.
      wholeFile(opened.layout.sheet ? "imports.errors.headerReadInSheet" : "imports.errors.headerRead", {
        row: opened.layout.headerRow,
        headers: opened.layout.headers.filter(Boolean).join("、"),
        ...(opened.layout.sheet ? { sheet: opened.layout.sheet } : {}),
      }),
    ];
    return { ok: false, problems: headerProblems, ignoredColumns: map.ignored, layout: opened.layout };
  }
  return { ok: true, sheet: opened, ignored: map.ignored };
}

/** Reads, checks and compares a file with the database. Writes nothing: this is also the dry run. */
export async function planImport(db: Database, file: ImportFile, options: PlanContext = {}): Promise<PlannedImport> {
  const kind = findImportKind(file.kind);
  if (!kind) return { ok: false, problems: [wholeFile("imports.errors.kind")], ignoredColumns: [], layout: {} };
  const { params, problems: paramProblems } = paramsOf(kind, file.params ?? {});
  if (paramProblems.length) return { ok: false, problems: paramProblems, ignoredColumns: [], layout: {} };

  return onDisk(file, async (filePath) => {
    const opened = await openImportSheet(kind, filePath, file.fileName, { sheet: file.sheet });
    if (!opened.ok) return opened;
    const { sheet } = opened;
    try {
      // One snapshot of the database for the whole file, however many chunks it is planned in.
      const outcome = await db.transaction(
        (tx) =>
          runPipeline(tx, kind, sheet, {
            today: options.today ?? todayInShanghai(),
            actor: options.actor ?? { userId: null },
            scope: options.scope ?? EVERYTHING,
            params,
          }),
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
      const { sha256, bytes } = await fileDigest(filePath);
      const summary: ImportSummary = {
        kind: kind.kind,
        ...(Object.keys(params).length ? { params } : {}),
        counts: { ...outcome.counts, rows: outcome.rows, errors: outcome.problemCount },
        errors: outcome.problems,
        layout: sheet.layout,
        skipped: sheet.skipped,
        skippedCount: sheet.skippedCount(),
        ignoredColumns: opened.ignored,
        headers: mapColumns(kind.columns, sheet.layout.headers, sheet.layout.headerRow).header,
        changes: outcome.changes,
        changeCount: outcome.changeCount,
      };
      return { ok: true, kind: kind.kind, fileName: file.fileName, fileHash: sha256, fileBytes: bytes, summary };
    } catch (error) {
      const refused = readRefusal(error);
      if (refused) return { ok: false, problems: [refused], ignoredColumns: opened.ignored, layout: sheet.layout };
      throw error;
    } finally {
      await sheet.close();
    }
  });
}

/** A limit the reader hit part-way (rows, unpacked bytes …), as a problem of the whole file. */
function readRefusal(error: unknown): ImportProblem | null {
  return error instanceof ReadRefusal ? wholeFile(error.messageKey, error.params) : null;
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

export type PreviewResult =
  | { ok: true; batchId: number; summary: ImportSummary }
  | { ok: false; problems: ImportProblem[]; layout: Partial<SheetLayout> };

/** Checks a file and keeps it, with what it would change, as a batch waiting for confirmation. */
export async function previewImport(
  db: Database,
  actor: Actor,
  file: ImportFile,
  options: { today?: string; scope?: Scope } = {},
): Promise<PreviewResult> {
  return onDisk(file, async (filePath) => {
    const planned = await planImport(db, { ...file, path: filePath }, { ...options, actor });
    if (!planned.ok) return { ok: false, problems: planned.problems, layout: planned.layout };
    return { ok: true, batchId: await storeBatch(db, actor, planned, filePath), summary: planned.summary };
  });
}

/** Keeps a planned file as a batch: its summary and the file itself, in one transaction. */
export async function storeBatch(
  db: Database,
  actor: Actor,
  planned: Extract<PlannedImport, { ok: true }>,
  filePath: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(importBatches)
      .values({
        kind: planned.kind,
        fileName: planned.fileName,
        fileHash: planned.fileHash,
        fileBytes: planned.fileBytes,
        summary: planned.summary,
        totalRows: planned.summary.counts.rows,
        createdByUserId: actor.userId,
      })
      .returning({ id: importBatches.id });
    // A file with problems is kept too: the marked-up copy for the department is made from it.
    await storeFile(tx, batch!.id, filePath);
    return batch!.id;
  });
}

/** How often the applying import writes how far it has got (outside its transaction, for the page). */
const PROGRESS_INTERVAL_MS = 400;

export type ApplyOutcome =
  | { status: "applied"; counts: ImportCounts; alreadyApplied: boolean }
  | { status: "invalid"; problems: ImportProblem[] };

/**
 * Applies a previewed batch exactly as previewed, once: the kept file is read again with the sheet and
 * header row the preview used, and each chunk of rows is checked again and written inside one
 * transaction, so a unit deleted or an email taken since the preview cannot slip through. A lock on
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
  let outcome: ApplyOutcome;
  try {
    outcome = await db.transaction(async (tx): Promise<ApplyOutcome> => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:import'), ${batchId})`);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:import'))`);
      const [batch] = await tx.select().from(importBatches).where(eq(importBatches.id, batchId));
      if (!batch) throw notFound();
      const summary = batch.summary as ImportSummary;
      if (batch.status === "applied") {
        return { status: "applied", counts: summary.applied?.counts ?? summary.counts, alreadyApplied: true };
      }
      if (batch.status === "discarded") throw conflict("imports.errors.discarded");
      if (summary.errors.length || summary.counts.errors) return { status: "invalid", problems: summary.errors };
      const kind = findImportKind(batch.kind);
      if (!kind || !summary.layout) throw notFound();
      const layout = summary.layout;

      const total = summary.counts.rows;
      // The page asks twice a second; writing more often would only cost a commit each time.
      let written = 0;
      const progress = async (processed: number) => {
        options.onProgress?.(processed, total);
        const now = performance.now();
        if (processed !== 0 && processed < total && now - written < PROGRESS_INTERVAL_MS) return;
        written = now;
        await db.update(importBatches).set({ processedRows: processed, totalRows: total }).where(eq(importBatches.id, batchId));
      };
      await progress(0);
      type Read = { problems: ImportProblem[] } | { outcome: Awaited<ReturnType<typeof runPipeline>> };
      const result = await withStoredFile(tx, batchId, fileExtension(batch.fileName), async (filePath): Promise<Read> => {
        const opened = await openImportSheet(kind, filePath, batch.fileName, { sheet: layout.sheet, headerRow: layout.headerRow });
        if (!opened.ok) return { problems: opened.problems };
        try {
          const pipeline: PipelineOptions = {
            today: options.today ?? todayInShanghai(),
            actor,
            scope: options.scope ?? EVERYTHING,
            params: summary.params ?? {},
            apply: { actor, batchId, progress },
          };
          return { outcome: await runPipeline(tx, kind, opened.sheet, pipeline) };
        } finally {
          await opened.sheet.close();
        }
      });
      if ("problems" in result) {
        throw new ApplyStopped({
          rows: 0,
          problems: result.problems,
          problemCount: result.problems.length,
          changes: [],
          changeCount: 0,
          counts: {},
        });
      }
      const counts: ImportCounts = { ...result.outcome.counts, rows: result.outcome.rows, errors: 0 };
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
  } catch (error) {
    const refused = readRefusal(error);
    if (!(error instanceof ApplyStopped) && !refused) throw error;
    outcome = { status: "invalid", problems: error instanceof ApplyStopped ? error.outcome.problems : [refused!] };
  }
  if (outcome.status === "invalid") {
    // Show what changed since the preview on the preview page; the batch stays unapplied.
    await db.execute(sql`
      update ${importBatches}
      set summary = jsonb_set(jsonb_set(summary, '{errors}', ${JSON.stringify(outcome.problems)}::jsonb),
                              '{counts,errors}', to_jsonb(${outcome.problems.length}::int)),
        processed_rows = 0
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
    // The kept file holds personal data nobody will apply: keep the summary, drop the file.
    await dropStoredFile(tx, batchId);
    await tx.update(importBatches).set({ status: "discarded" }).where(eq(importBatches.id, batchId));
    await audit(tx, actor, {
      action: "import.discarded",
      entityType: "import_batch",
      entityId: batchId,
      after: { kind: batch.kind, fileName: batch.fileName },
    });
  });
}

/**
 * Who may see a batch: the organization department sees every batch of the kinds it may import; anyone
 * else only the batches they uploaded themselves (venue staff of one venue never see another's).
 */
export interface BatchViewer {
  userId: number;
  /** The kinds the viewer's roles may import. */
  kinds: readonly string[];
  /** Whether they see every batch of those kinds (the organization department). */
  everyBatch: boolean;
}

function batchVisibleTo(viewer: BatchViewer): SQL {
  const ofKinds = inArray(importBatches.kind, viewer.kinds.length ? [...viewer.kinds] : [""]);
  return viewer.everyBatch ? ofKinds : and(ofKinds, eq(importBatches.createdByUserId, viewer.userId))!;
}

/** The latest batches the viewer may see. */
export async function listImportBatches(db: DbOrTx, viewer: BatchViewer, limit = 20) {
  if (!viewer.kinds.length) return [];
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
    .where(batchVisibleTo(viewer))
    .orderBy(desc(importBatches.id))
    .limit(limit);
}

/** A batch as its page shows it, or null when there is none the viewer may see (which is the same to them). */
export async function findImportBatch(db: DbOrTx, viewer: BatchViewer, batchId: number) {
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
      fileKept: sql<boolean>`exists (select 1 from import_files f where f.batch_id = ${importBatches.id})`,
    })
    .from(importBatches)
    .where(and(eq(importBatches.id, batchId), batchVisibleTo(viewer)));
  return batch ? { ...batch, summary: batch.summary as ImportSummary } : null;
}

/** Which kind a batch is, if the viewer may see it: for the access check before acting on it. */
export async function findImportBatchKind(db: DbOrTx, viewer: BatchViewer, batchId: number): Promise<string | null> {
  const [row] = await db
    .select({ kind: importBatches.kind })
    .from(importBatches)
    .where(and(eq(importBatches.id, batchId), batchVisibleTo(viewer)));
  return row?.kind ?? null;
}

/** How far a confirmed import has got, if the viewer may see the batch. */
export async function findImportProgress(db: DbOrTx, viewer: BatchViewer, batchId: number) {
  const [row] = await db
    .select({
      kind: importBatches.kind,
      status: importBatches.status,
      processedRows: importBatches.processedRows,
      totalRows: importBatches.totalRows,
    })
    .from(importBatches)
    .where(and(eq(importBatches.id, batchId), batchVisibleTo(viewer)));
  return row ?? null;
}

/** A batch's kept file with its summary, for the marked-up copy; null when gone or not the viewer's. */
export async function findBatchForFile(db: DbOrTx, viewer: BatchViewer, batchId: number) {
  const [row] = await db
    .select({ id: importBatches.id, kind: importBatches.kind, fileName: importBatches.fileName, summary: importBatches.summary })
    .from(importBatches)
    .where(and(eq(importBatches.id, batchId), batchVisibleTo(viewer), eq(importBatches.status, "previewed")));
  return row ? { ...row, summary: row.summary as ImportSummary } : null;
}

/**
 * The same kept file read again with another of its sheets (the preview page's sheet choice): a new
 * batch, and the old one discarded. Null when the batch is gone, applied, or not the viewer's.
 */
export async function rereadWithSheet(
  db: Database,
  actor: Actor,
  viewer: BatchViewer,
  batchId: number,
  sheet: string,
  options: { today?: string; scope?: Scope } = {},
): Promise<PreviewResult | null> {
  const [batch] = await db
    .select({ kind: importBatches.kind, fileName: importBatches.fileName, summary: importBatches.summary })
    .from(importBatches)
    .where(and(eq(importBatches.id, batchId), batchVisibleTo(viewer), eq(importBatches.status, "previewed")));
  if (!batch) return null;
  const summary = batch.summary as ImportSummary;
  const result = await withStoredFile(db, batchId, fileExtension(batch.fileName), (path) =>
    previewImport(db, actor, { kind: batch.kind, fileName: batch.fileName, path, sheet, params: summary.params }, options),
  );
  if (result.ok) await discardImport(db, actor, batchId);
  return result;
}
