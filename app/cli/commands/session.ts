import { parseSessionCode } from "~/modules/classes/schema";
import { transitionSession } from "~/modules/classes/status.server";
import { DomainError } from "~/utils/errors";
import { translator } from "~/utils/i18n";
import type { CliCommand } from "../context";

const USAGE = "Usage: npm run luoshi -- session close|publish CODE";

/**
 * `session close CODE` closes a session (for now: the state, audited; the attendance capability gives
 * closing its meaning). `session publish CODE` publishes a draft and enrols its mandatory audience.
 * Running either twice is harmless: the second run says the session already is in that state.
 */
const run: CliCommand = async (args, ctx) => {
  const t = translator("zh-CN");
  const [verb, rawCode, ...rest] = args;
  const code = parseSessionCode(rawCode);
  if ((verb !== "close" && verb !== "publish") || !code || rest.length) {
    ctx.err(USAGE);
    return 2;
  }
  try {
    const outcome = await transitionSession(ctx.db, { userId: null, label: "cli" }, code, verb);
    if (outcome.unchanged) ctx.out(t("classes.cli.unchanged", { code, status: t(`classes.sessionStatuses.${outcome.status}`) }));
    else ctx.out(t(`classes.cli.${verb}`, { code, enrolled: outcome.sync?.enrolled ?? 0 }));
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    ctx.err(error.label === "not_found" ? t("classes.cli.notFound", { code }) : t(error.messageKey, error.options.params));
    return 1;
  }
};
export default run;
