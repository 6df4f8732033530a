import type postgres from "postgres";
import type { DbOrTx } from "~db/client";
import { type CheckInItem, runCheckInStatement, type StatementRow, settingsKey } from "./statement.server";

/**
 * Check-ins that arrive together go together. A check-in is sent at once while fewer than
 * MAX_IN_FLIGHT statements are running; otherwise it waits for one of them to finish and goes with
 * everyone who arrived meanwhile (up to MAX_BATCH), so a quiet venue waits for nothing and a burst
 * costs PostgreSQL one statement per batch instead of one per phone. Two check-ins of one login
 * session (a double tap) never run in two statements at once: both would touch the session row, and
 * in an order the statement does not fix, so they could deadlock; the second waits for the first.
 * A batch that fails as a whole (a deadlock, a lost connection) is tried again item by item, so one
 * item's trouble is that item's alone.
 */
const MAX_IN_FLIGHT = 3;
const MAX_BATCH = 64;

interface Pending {
  item: CheckInItem;
  key: string;
  resolve: (row: StatementRow) => void;
  reject: (error: unknown) => void;
}

class CheckInBatcher {
  private pending: Pending[] = [];
  private inFlight = 0;
  private busySessions = new Set<string>();

  constructor(private readonly db: DbOrTx) {}

  submit(item: CheckInItem): Promise<StatementRow> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, key: settingsKey(item), resolve, reject });
      this.dispatch();
    });
  }

  private dispatch() {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length) {
      const batch = this.take();
      if (!batch.length) return;
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        for (const p of batch) if (p.item.identity.kind === "session") this.busySessions.delete(p.item.identity.sessionId);
        this.dispatch();
      });
    }
  }

  /** The next batch: waiting items with the first one's settings, none of whose login sessions is running. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    let key: string | null = null;
    for (const p of this.pending) {
      const sessionId = p.item.identity.kind === "session" ? p.item.identity.sessionId : null;
      const fits = batch.length < MAX_BATCH && (key === null || p.key === key) && !(sessionId && this.busySessions.has(sessionId));
      if (!fits) {
        rest.push(p);
        continue;
      }
      key ??= p.key;
      if (sessionId) this.busySessions.add(sessionId);
      batch.push(p);
    }
    this.pending = rest;
    return batch;
  }

  private async send(batch: Pending[]) {
    try {
      const rows = await runCheckInStatement(
        this.db,
        batch.map((p) => p.item),
      );
      for (const [i, p] of batch.entries()) p.resolve(rows[i]!);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(
        batch.map((p) =>
          runCheckInStatement(this.db, [p.item]).then(
            (rows) => p.resolve(rows[0]!),
            (e: unknown) => p.reject(e),
          ),
        ),
      );
    }
  }
}

/** One batcher per connection pool; a transaction is not a pool and runs its one check-in itself. */
const batchers = new WeakMap<object, CheckInBatcher>();

export function checkInStatementRow(db: DbOrTx, item: CheckInItem): Promise<StatementRow> {
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client) return runCheckInStatement(db, [item]).then((rows) => rows[0]!);
  let batcher = batchers.get(client);
  if (!batcher) {
    batcher = new CheckInBatcher(db);
    batchers.set(client, batcher);
  }
  return batcher.submit(item);
}
