import fs from "node:fs/promises";
import { computeRanking, reproduceRanking } from "~/modules/rankings/compute.server";
import { tableXlsx } from "~/modules/rankings/export.server";
import { peerGroupsOf, type SubjectKind } from "~/modules/rankings/model";
import { publishRanking } from "~/modules/rankings/publish.server";
import { normaliseQuarter } from "~/modules/rankings/quarter";
import { machineCsv, machineHeader, machineRows, type RowLike } from "~/modules/rankings/tables";
import { rankingFor, tableView } from "~/modules/rankings/views.server";
import { DomainError } from "~/utils/errors";
import { translator } from "~/utils/i18n";
import type { CliCommand, CliContext } from "../context";
import { optionText, parseOptions } from "../options";

const USAGE = [
  "Usage: npm run luoshi -- ranking compute --quarter 2026Q3 [--publish] [--reason TEXT]",
  "       npm run luoshi -- ranking export --quarter 2026Q3 --kind units|cadres --format csv|xlsx [--out FILE] [--version N]",
  "       npm run luoshi -- ranking verify --quarter 2026Q3 [--version N]",
].join("\n");

const actor = { userId: null, label: "cli" };
/** The command line acts for the organization department. */
const admin = { id: 0, roles: ["org_admin" as const], scope: { all: true, unitIds: [], cadreId: null } };

/**
 * `ranking compute` computes (or recomputes) the quarter's draft and, with --publish, publishes it; a
 * quarter already published needs --reason (a correction). `ranking export` writes the published
 * ranking (or --version N) as the machine-readable table, every peer group, by rank. `ranking verify`
 * recomputes a version from its frozen rows and says whether it is identical.
 */
const run: CliCommand = async (args, ctx) => {
  const t = translator("zh-CN");
  const [verb, ...rest] = args;
  const opts = parseOptions(rest, ["publish"]);
  const quarter = normaliseQuarter(opts?.get("quarter"));
  if (!opts || !quarter || !["compute", "export", "verify"].includes(verb ?? "")) {
    ctx.err(USAGE);
    return 2;
  }
  try {
    if (verb === "compute") return await compute(ctx, quarter, opts, t);
    const version = opts.get("version") ? Number(opts.get("version")) : undefined;
    if (version !== undefined && !Number.isInteger(version)) {
      ctx.err(USAGE);
      return 2;
    }
    if (verb === "verify") {
      const ranking = await rankingFor(ctx.db, admin, quarter, version);
      const check = await reproduceRanking(ctx.db, ranking.id);
      ctx.out(
        t(check.identical ? "rankings.cli.identical" : "rankings.cli.different", {
          quarter,
          version: ranking.version,
          ...check.differing,
          hash: check.recomputedHash,
        }),
      );
      return check.identical ? 0 : 1;
    }
    const kind = opts.get("kind");
    const format = opts.get("format") ?? "csv";
    if ((kind !== "units" && kind !== "cadres") || (format !== "csv" && format !== "xlsx")) {
      ctx.err(USAGE);
      return 2;
    }
    return await exportRanking(ctx, quarter, kind, format, optionText(opts, "out") ?? null, version);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    ctx.err(error.label === "not_found" ? t("rankings.cli.notFound", { quarter }) : t(error.messageKey, error.options.params));
    return 1;
  }
};
export default run;

async function compute(ctx: CliContext, quarter: string, opts: Map<string, string | true>, t: ReturnType<typeof translator>) {
  const reason = optionText(opts, "reason") ?? null;
  const started = performance.now();
  const outcome = await computeRanking(ctx.db, actor, quarter, { reason });
  ctx.out(
    t("rankings.cli.computed", {
      quarter,
      version: outcome.version,
      cadres: outcome.cadres,
      units: outcome.units,
      ms: Math.round(performance.now() - started),
    }),
  );
  if (opts.get("publish")) {
    const published = await publishRanking(ctx.db, actor, outcome.rankingId, { reason });
    ctx.out(
      t("rankings.cli.published", { quarter, version: published.version, hash: published.inputsHash, flagged: published.flagged.length }),
    );
  }
  return 0;
}

async function exportRanking(
  ctx: CliContext,
  quarter: string,
  kind: SubjectKind,
  format: "csv" | "xlsx",
  out: string | null,
  version?: number,
) {
  const ranking = await rankingFor(ctx.db, admin, quarter, version);
  const rows: RowLike[] = [];
  for (const group of peerGroupsOf(kind)) {
    const view = await tableView(ctx.db, ranking, kind, { group, sort: "rank", dir: "asc", page: 0 });
    if (view.group === group) rows.push(...view.rows);
  }
  if (format === "csv") {
    const csv = machineCsv(kind, rows);
    if (out) await fs.writeFile(out, csv);
    else process.stdout.write(csv);
  } else {
    const table = {
      name: `ranking-${quarter}-${kind}`,
      columns: machineHeader(kind).map((h) => ({ key: h, label: h })),
      rows: machineRows(kind, rows).map((line) => line.map((value) => ({ value }))),
    };
    const file = out ?? `ranking-${quarter}-${kind}.xlsx`;
    await fs.writeFile(file, await tableXlsx(table, `${quarter} ${kind}`));
    ctx.err(file);
  }
  return 0;
}
