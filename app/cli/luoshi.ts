/**
 * `npm run luoshi -- <command> …`: the command line for what organization departments do in bulk and
 * what operators run by hand. Each command lives in ./commands/<name>.ts and exports `run`.
 */

import { setConnection } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { openDatabase } from "~db/bootstrap";
import type { CliCommand } from "./context";

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ default: CliCommand }> }> = {
  import: {
    summary: "<kind> [params…] FILE [--dry-run] [--sheet NAME] [--errors OUT.xlsx] | template <kind> (spreadsheet imports)",
    load: () => import("./commands/import"),
  },
  person: { summary: "export STAFF_NO [--format json|xlsx] [--out FILE] (one person's data)", load: () => import("./commands/person") },
  worker: { summary: "run the job worker (email, schedules) [--drain-once]", load: () => import("./commands/worker") },
  jobs: { summary: "list schedules and recent job runs [--limit N]", load: () => import("./commands/jobs") },
  session: { summary: "close|publish CODE (a night-class session)", load: () => import("./commands/session") },
  ranking: { summary: "compute|export|verify --quarter 2026Q3 … (quarterly rankings)", load: () => import("./commands/ranking") },
  audit: { summary: "verify [--log audit_log|security_events] (the hash chains of the logs)", load: () => import("./commands/audit") },
  account: {
    summary: "create --email … --name … [--role …] | roles ID [--grant ROLE] [--revoke ROLE]",
    load: () => import("./commands/account"),
  },
  digest: {
    summary: "send|preview --week 2026-W47 [--unit CODE] (the weekly digest to unit heads)",
    load: () => import("./commands/digest"),
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error("Usage: npm run luoshi -- <command> …\n");
    for (const [key, c] of Object.entries(COMMANDS)) console.error(`  ${key.padEnd(10)} ${c.summary}`);
    return name && name !== "help" && name !== "--help" ? 2 : 0;
  }
  const config = env();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.LUOSHI_DATA_DIR,
    log: (line) => console.error(line),
  });
  setConnection(database.connection);
  try {
    const { default: run } = await command.load();
    return await run(args, { db: database.connection.db, out: (s) => console.log(s), err: (s) => console.error(s) });
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
