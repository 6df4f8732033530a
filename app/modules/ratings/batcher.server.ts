import type postgres from "postgres";
import type { DbOrTx } from "~db/client";
import { type RatingRow, type RatingRowResult, runRatingStatement } from "./statement.server";

/**
 * Ratings that arrive together go together (docs/decisions/0016), as check-ins do: a rating is sent at
 * once while fewer than MAX_IN_FLIGHT statements run; otherwise it waits for one to finish and goes
 * with everyone who arrived meanwhile on the same day (up to MAX_BATCH). A quiet hall waits for
 * nothing; a burst costs PostgreSQL one statement and one commit per batch instead of one per phone —
 * with fsync on, the commit's flush is most of a lone rating's cost. A batch that fails as a whole (a
 * deadlock, a lost connection) is tried again rating by rating, so one rating's trouble is its own.
 */
const MAX_IN_FLIGHT = 3;
const MAX_BATCH = 64;

export interface RatingItem {
  row: RatingRow;
  now: Date;
  day: string;
  dueOn: string;
}

interface Pending {
  item: RatingItem;
  resolve: (result: RatingRowResult) => void;
  reject: (error: unknown) => void;
}

class RatingBatcher {
  private pending: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly db: DbOrTx) {}

  submit(item: RatingItem): Promise<RatingRowResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch() {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length) {
      const day = this.pending[0]!.item.day;
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      for (const p of this.pending) (batch.length < MAX_BATCH && p.item.day === day ? batch : rest).push(p);
      this.pending = rest;
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.dispatch();
      });
    }
  }

  private async send(batch: Pending[]) {
    const first = batch[0]!.item;
    try {
      const results = await runRatingStatement(
        this.db,
        batch.map((p) => p.item.row),
        first,
      );
      for (const [i, p] of batch.entries()) p.resolve(results[i]!);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const p of batch) {
        await runRatingStatement(this.db, [p.item.row], p.item).then(
          (results) => p.resolve(results[0]!),
          (e: unknown) => p.reject(e),
        );
      }
    }
  }
}

/** One batcher per connection pool; a transaction (no pool of its own) runs its rating alone. */
const batchers = new WeakMap<object, RatingBatcher>();

export function rateInBatch(db: DbOrTx, item: RatingItem): Promise<RatingRowResult> {
  const pool = (db as { $client?: postgres.Sql }).$client;
  if (!pool) return runRatingStatement(db, [item.row], item).then((r) => r[0]!);
  let batcher = batchers.get(pool);
  if (!batcher) {
    batcher = new RatingBatcher(db);
    batchers.set(pool, batcher);
  }
  return batcher.submit(item);
}
