import type { Actor } from "~/modules/audit/service.server";

/**
 * Rows are written set-based, a chunk at a time: one statement per chunk keeps 5,000 rows to a few
 * dozen round trips, and a chunk's parameters stay far below PostgreSQL's 65,535.
 */
export const CHUNK_SIZE = 500;

export function chunked<T>(items: T[], size = CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What applying reports after each chunk, for the progress bar. */
export type ProgressFn = (processedRows: number) => Promise<void>;

export interface ApplyContext {
  actor: Actor;
  batchId: number | null;
  progress: ProgressFn;
}

/** Marks audit entries written by an import, so the audit log can be read back per batch. */
export function importReason(batchId: number | null): string {
  return batchId ? `import #${batchId}` : "import";
}
