/**
 * The hash chain of a log (pure rules; chain.server.ts seals and verifies rows with them). Each sealed
 * row stores the hash of the row before it and its own hash over that link and its content:
 *
 *   hash(n) = H("luoshi-log/1" ‖ log ‖ seq(n) ‖ hash(n−1) ‖ content(n))
 *
 * content is PostgreSQL's jsonb text of the row without the chain columns, read in UTC: jsonb orders
 * keys and spacing itself, so the same row always gives the same text. Changing any field of a row
 * breaks its own hash; removing a row leaves a gap in seq and a link that no longer matches.
 */
export const CHAIN_LOGS = ["audit_log", "security_events"] as const;
export type ChainLog = (typeof CHAIN_LOGS)[number];

/** What the first row of a log links to when nothing was ever pruned. */
export const GENESIS = "genesis";

export function linkText(log: ChainLog, seq: number, prevHash: string, content: string): string {
  return `luoshi-log/1\n${log}\n${seq}\n${prevHash}\n${content}`;
}

export interface ChainRow {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  content: string;
}

export type ChainProblem = "content_changed" | "link_broken" | "rows_missing" | "unknown_algorithm";

export interface ChainBreak {
  id: number;
  seq: number;
  problem: ChainProblem;
}

/**
 * Walks rows in seq order from an expected start (seq and hash of the row before the first) and
 * returns the first broken link, or null. `hashOf` is the labelled digest with a row's own algorithm.
 */
export function firstBreak(
  log: ChainLog,
  rows: Iterable<ChainRow>,
  start: { seq: number; hash: string },
  hashOf: (label: string, text: string) => string | null,
): { broken: ChainBreak | null; last: { seq: number; hash: string } } {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  for (const row of rows) {
    if (row.seq !== expectedSeq)
      return { broken: { id: row.id, seq: row.seq, problem: "rows_missing" }, last: { seq: expectedSeq - 1, hash: prev } };
    if (row.prevHash !== prev)
      return { broken: { id: row.id, seq: row.seq, problem: "link_broken" }, last: { seq: row.seq - 1, hash: prev } };
    const recomputed = hashOf(row.hash, linkText(log, row.seq, row.prevHash, row.content));
    if (recomputed === null)
      return { broken: { id: row.id, seq: row.seq, problem: "unknown_algorithm" }, last: { seq: row.seq - 1, hash: prev } };
    if (recomputed !== row.hash)
      return { broken: { id: row.id, seq: row.seq, problem: "content_changed" }, last: { seq: row.seq - 1, hash: prev } };
    prev = row.hash;
    expectedSeq = row.seq + 1;
  }
  return { broken: null, last: { seq: expectedSeq - 1, hash: prev } };
}
