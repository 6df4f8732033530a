import postgres from "postgres";
import type { Database } from "~db/client";
import { CHAIN_LOGS, type ChainLog } from "./chain";
import { sealLog } from "./chain.server";

export interface SealerHandle {
  stop(): Promise<void>;
}

/**
 * Keeps the log chains sealed: the insert trigger of each log notifies "luoshi_log_sealing" when the
 * inserting transaction commits, and this seals right away; a sweep every minute catches anything
 * a notification missed (a server that was restarting). Every app process runs one; the advisory lock
 * in sealLog makes them take turns, and the second finds nothing left to do.
 */
export async function startLogSealer(options: { databaseUrl: string; db: Database; log?: (line: string) => void }): Promise<SealerHandle> {
  const say = options.log ?? (() => {});
  const running = new Map<ChainLog, Promise<void>>();
  const again = new Set<ChainLog>();
  const seal = (which: ChainLog) => {
    if (running.has(which)) {
      again.add(which);
      return;
    }
    const job = sealLog(options.db, which)
      .then(() => undefined)
      .catch((error: Error) => say(`audit: sealing ${which} failed: ${error.message}`))
      .finally(() => {
        running.delete(which);
        if (again.delete(which)) seal(which);
      });
    running.set(which, job);
  };
  const listener = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  await listener.listen("luoshi_log_sealing", (payload) => {
    if ((CHAIN_LOGS as readonly string[]).includes(payload)) seal(payload as ChainLog);
  });
  for (const which of CHAIN_LOGS) seal(which);
  const sweep = setInterval(() => {
    for (const which of CHAIN_LOGS) seal(which);
  }, 60_000);
  sweep.unref();
  return {
    async stop() {
      clearInterval(sweep);
      await Promise.all(running.values());
      await listener.end({ timeout: 5 });
    },
  };
}
