import { and, eq, lte, sql } from "drizzle-orm";
import { transitionSession } from "~/modules/classes/status.server";
import { errorSummary } from "~/utils/log.server";
import type { Database } from "~db/client";
import { classSessions } from "~db/schema/index";
import { evaluateLowAttendance, type WarningRun } from "../reports/warnings.server";
import { getAttendanceRules } from "../settings.server";

export interface AutoCloseRun {
  closed: string[];
  failed: { code: string; error: string }[];
  warnings: WarningRun;
}

/**
 * The scheduled close: every published session that ended more than `autoCloseHours` ago is closed
 * through the night-class service (which freezes attendance in the same transaction), then the
 * low-attendance warnings are brought up to date. A session someone closes meanwhile is simply
 * unchanged; one that fails is reported and tried again next time.
 */
export async function autoCloseSessions(db: Database, now = new Date()): Promise<AutoCloseRun> {
  const rules = await getAttendanceRules(db);
  const due = await db
    .select({ code: classSessions.code })
    .from(classSessions)
    .where(
      and(
        eq(classSessions.status, "published"),
        lte(classSessions.endsAt, sql`${now.toISOString()}::timestamptz - make_interval(hours => ${rules.autoCloseHours}::int)`),
      ),
    )
    .orderBy(classSessions.endsAt)
    .limit(100);
  const closed: string[] = [];
  const failed: { code: string; error: string }[] = [];
  for (const { code } of due) {
    try {
      const outcome = await transitionSession(db, { userId: null, label: "system" }, code, "close", { now });
      if (!outcome.unchanged) closed.push(code);
    } catch (error) {
      failed.push({ code, error: errorSummary(error) });
    }
  }
  const warnings = await evaluateLowAttendance(db, { now });
  return { closed, failed, warnings };
}
