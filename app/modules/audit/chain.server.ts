import { sql } from "drizzle-orm";
import { algorithmOf, configuredHashAlgorithm, evidenceHash, type HashAlgorithm } from "~/modules/security/digest.server";
import type { Database, DbOrTx } from "~db/client";
import { type ChainBreak, type ChainLog, type ChainRow, firstBreak, GENESIS, linkText } from "./chain";

/**
 * Sealing and verifying the hash chains of the audit and security logs (rules in chain.ts, decision in
 * docs/decisions). Rows are inserted unsealed inside the transaction that makes the change, so an
 * audited change never waits on another; the insert's trigger notifies on commit and a sealer (every
 * app server listens, and runs once a minute besides) links the new rows in commit order under an
 * advisory lock. The append-only trigger lets the chain columns be set once and nothing else change.
 */
const SEAL_BATCH = 2_000;

const table = (log: ChainLog) => sql.raw(log === "audit_log" ? "audit_log" : "security_events");
const lockKey = (log: ChainLog) => `luoshi:seal:${log}`;

async function chainStart(tx: DbOrTx, log: ChainLog): Promise<{ seq: number; hash: string }> {
  const [anchor] = await tx.execute<{ seq: string; hash: string }>(sql`
    select upto_seq::text as seq, last_hash as hash from log_chain_anchors where log = ${log} order by upto_seq desc limit 1`);
  return anchor ? { seq: Number(anchor.seq), hash: anchor.hash } : { seq: 0, hash: GENESIS };
}

/** Seals every row not yet in the chain; returns how many. Safe to run anywhere, any number at once. */
export async function sealLog(db: Database, log: ChainLog, algorithm: HashAlgorithm = configuredHashAlgorithm()): Promise<number> {
  let sealed = 0;
  while (true) {
    const count = await db.transaction(async (tx) => {
      await tx.execute(sql`set local timezone to 'UTC'`);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey(log)}))`);
      const pending = await tx.execute<{ id: string; content: string }>(sql`
        select id::text, (to_jsonb(t) - 'chain_seq' - 'prev_hash' - 'hash')::text as content
        from ${table(log)} t where hash is null order by t.id limit ${SEAL_BATCH}`);
      if (pending.length === 0) return 0;
      const [head] = await tx.execute<{ seq: string; hash: string }>(sql`
        select chain_seq::text as seq, hash from ${table(log)} where chain_seq is not null order by chain_seq desc limit 1`);
      let prev = head ? { seq: Number(head.seq), hash: head.hash } : await chainStart(tx, log);
      const ids: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of pending) {
        const seq = prev.seq + 1;
        const hash = evidenceHash(linkText(log, seq, prev.hash, row.content), algorithm);
        ids.push(row.id);
        seqs.push(seq);
        prevs.push(prev.hash);
        hashes.push(hash);
        prev = { seq, hash };
      }
      await tx.execute(sql`
        update ${table(log)} t set chain_seq = v.seq, prev_hash = v.prev, hash = v.hash
        from unnest(${`{${ids.join(",")}}`}::bigint[], ${`{${seqs.join(",")}}`}::bigint[],
                    ${pgTextArray(prevs)}::text[], ${pgTextArray(hashes)}::text[]) as v(id, seq, prev, hash)
        where t.id = v.id`);
      return pending.length;
    });
    sealed += count;
    if (count < SEAL_BATCH) return sealed;
  }
}

/** A text[] literal; the values are hashes (hex, "sm3:", "genesis"), which need no escaping beyond quotes. */
function pgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

export interface ChainReport {
  log: ChainLog;
  rows: number;
  /** The newest sealed row: record it somewhere else to catch a rewrite of the whole chain. */
  head: { seq: number; hash: string };
  broken: ChainBreak | null;
}

function hashWithOwnAlgorithm(label: string, text: string): string | null {
  try {
    const algorithm = algorithmOf(label);
    return evidenceHash(text, algorithm);
  } catch {
    return null;
  }
}

/** Seals what is pending, then walks the whole chain and reports the first broken link. */
export async function verifyLog(db: Database, log: ChainLog): Promise<ChainReport> {
  await sealLog(db, log);
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`set local timezone to 'UTC'`);
      const start = await chainStart(tx, log);
      let last = start;
      let rows = 0;
      let afterSeq = -1;
      while (true) {
        const batch = await tx.execute<{ id: string; seq: string; prev_hash: string; hash: string; content: string }>(sql`
        select id::text, chain_seq::text as seq, prev_hash, hash, (to_jsonb(t) - 'chain_seq' - 'prev_hash' - 'hash')::text as content
        from ${table(log)} t where chain_seq > ${afterSeq} order by chain_seq limit 5000`);
        if (batch.length === 0) break;
        const chainRows: ChainRow[] = batch.map((r) => ({
          id: Number(r.id),
          seq: Number(r.seq),
          prevHash: r.prev_hash,
          hash: r.hash,
          content: r.content,
        }));
        const result = firstBreak(log, chainRows, last, hashWithOwnAlgorithm);
        if (result.broken)
          return { log, rows: rows + chainRows.findIndex((r) => r.id === result.broken!.id), head: result.last, broken: result.broken };
        rows += chainRows.length;
        last = result.last;
        afterSeq = chainRows[chainRows.length - 1]!.seq;
      }
      return { log, rows, head: last, broken: null };
    },
    // One snapshot for the whole walk, however long it takes.
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * The security log's retention: deletes rows older than the policy's days (never fewer than 180, which
 * the table's trigger enforces as well) and anchors the chain at the last removed row, so the verifier
 * can tell a prune from a deletion. Only whole prefixes of the chain are removed.
 */
export async function pruneSecurityLog(db: Database, retentionDays: number, now = new Date()): Promise<number> {
  await sealLog(db, "security_events");
  const cutoff = new Date(now.getTime() - Math.max(180, retentionDays) * 86_400_000);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey("security_events")}))`);
    const [last] = await tx.execute<{ seq: string; hash: string }>(sql`
      select chain_seq::text as seq, hash from security_events
      where chain_seq <= (select coalesce(min(chain_seq), 9223372036854775807) from security_events where at >= ${cutoff.toISOString()}::timestamptz or chain_seq is null) - 1
        and chain_seq is not null
      order by chain_seq desc limit 1`);
    if (!last) return 0;
    await tx.execute(sql`set local luoshi.log_prune = 'on'`);
    const removed = await tx.execute(sql`delete from security_events where chain_seq <= ${Number(last.seq)} returning id`);
    await tx.execute(sql`
      insert into log_chain_anchors (log, upto_seq, last_hash, removed_rows)
      values ('security_events', ${Number(last.seq)}, ${last.hash}, ${removed.length})`);
    return removed.length;
  });
}
