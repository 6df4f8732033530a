import fs from "node:fs/promises";
import { assertWeekNotFuture, previewDigest, sendWeeklyDigests } from "~/modules/digest/send.server";
import { formatIsoWeek, type IsoWeek, isoWeekOf, parseIsoWeek } from "~/utils/dates";
import { DomainError } from "~/utils/errors";
import { translator } from "~/utils/i18n";
import type { CliCommand, CliContext } from "../context";
import { optionText, parseOptions } from "../options";

const USAGE = [
  "Usage: npm run luoshi -- digest send --week 2026-W47",
  "       npm run luoshi -- digest preview --week 2026-W47 --unit CODE [--html FILE]",
].join("\n");

const ALLOWED: Record<string, string[]> = { send: ["week"], preview: ["week", "unit", "html"] };

/**
 * `digest send --week W` queues the weekly digest of week W for every unit head (and the liaisons of
 * units that copy them), exactly as the Monday job does; a digest already in the outbox is not sent
 * again, so running it twice queues nothing the second time. `digest preview --week W --unit CODE`
 * prints what the unit's head gets (subject and text), or writes the HTML to a file with --html.
 * The arguments are checked before anything is read: bad ones print the usage and exit with 2.
 */
const run: CliCommand = async (args, ctx) => {
  const t = translator("zh-CN");
  const [verb, ...rest] = args;
  const opts = parseOptions(rest);
  const allowed = ALLOWED[verb ?? ""];
  if (
    !allowed ||
    !opts ||
    [...opts.keys()].some((k) => !allowed.includes(k)) ||
    !opts.has("week") ||
    (verb === "preview" && !optionText(opts, "unit"))
  ) {
    ctx.err(USAGE);
    return 2;
  }
  const week = parseIsoWeek(optionText(opts, "week"));
  if (!week) {
    ctx.err(t("digest.cli.badWeek", { value: optionText(opts, "week") }));
    ctx.err(USAGE);
    return 2;
  }
  const now = new Date();
  try {
    assertWeekNotFuture(week, now);
  } catch {
    ctx.err(t("digest.errors.futureWeek", { week: formatIsoWeek(week), current: formatIsoWeek(isoWeekOf(now)) }));
    return 2;
  }
  try {
    if (verb === "send") {
      const result = await sendWeeklyDigests(ctx.db, { week, now });
      ctx.out(t("digest.cli.sent", { week: result.week, queued: result.queued, existing: result.existing, recipients: result.recipients }));
      return 0;
    }
    return await preview(ctx, week, optionText(opts, "unit")!, optionText(opts, "html"), now);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    ctx.err(t(error.messageKey, error.options.params));
    return 1;
  }
};
export default run;

async function preview(ctx: CliContext, week: IsoWeek, code: string, htmlFile: string | undefined, now: Date): Promise<number> {
  const t = translator("zh-CN");
  const previewed = await previewDigest(ctx.db, { week, unitCode: code, now });
  if ("problem" in previewed) {
    ctx.err(t(previewed.problem === "unknownUnit" ? "digest.cli.unknownUnit" : "digest.cli.noHead", { code }));
    return 1;
  }
  const { digest } = previewed;
  if (htmlFile) {
    await fs.writeFile(htmlFile, digest.html);
    ctx.out(t("digest.cli.written", { file: htmlFile }));
    return 0;
  }
  ctx.out(`To: ${digest.to}`);
  ctx.out(`Subject: ${digest.subject}`);
  ctx.out("");
  ctx.out(digest.text);
  return 0;
}
