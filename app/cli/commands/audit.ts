import { CHAIN_LOGS, type ChainLog } from "~/modules/audit/chain";
import { verifyLog } from "~/modules/audit/chain.server";
import type { CliCommand } from "../context";

const USAGE = "Usage: npm run luoshi -- audit verify [--log audit_log|security_events]";

/**
 * `audit verify`: seals what is pending, then walks the hash chains of the audit log and the security
 * log and reports the first broken link of each (exit code 1), or the head of each chain — worth
 * writing down somewhere else, since a chain rewritten from the start can only be caught against it.
 */
const run: CliCommand = async (args, ctx) => {
  const [verb, ...rest] = args;
  if (verb !== "verify") {
    ctx.err(USAGE);
    return 2;
  }
  let logs: readonly ChainLog[] = CHAIN_LOGS;
  if (rest.length) {
    const which = rest[0] === "--log" ? rest[1] : undefined;
    if (!which || rest.length !== 2 || !(CHAIN_LOGS as readonly string[]).includes(which)) {
      ctx.err(USAGE);
      return 2;
    }
    logs = [which as ChainLog];
  }
  let broken = false;
  for (const log of logs) {
    const report = await verifyLog(ctx.db, log);
    if (report.broken) {
      broken = true;
      const { id, seq, problem } = report.broken;
      ctx.out(`${log}: BROKEN at row id ${id} (chain position ${seq}): ${PROBLEMS[problem]}`);
      ctx.out(`  ${report.rows} rows verified before it; the last good link is position ${report.head.seq}, ${report.head.hash}`);
    } else {
      ctx.out(`${log}: OK, ${report.rows} rows; head at position ${report.head.seq}: ${report.head.hash}`);
    }
  }
  return broken ? 1 : 0;
};

const PROBLEMS = {
  content_changed: "the row's content no longer matches its hash (edited after it was written)",
  link_broken: "the row does not link to the one before it (a row before it was changed or replaced)",
  rows_missing: "rows are missing before this one (deleted)",
  unknown_algorithm: "the row's hash names an algorithm this server does not know",
} as const;

export default run;
