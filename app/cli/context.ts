import type { Database } from "~db/client";

export interface CliContext {
  db: Database;
  /** Results, for piping. */
  out: (line: string) => void;
  /** Progress and problems. */
  err: (line: string) => void;
}

/** Returns the process exit code: 0 done, 1 failed (bad rows included), 2 usage. */
export type CliCommand = (args: string[], ctx: CliContext) => Promise<number>;
