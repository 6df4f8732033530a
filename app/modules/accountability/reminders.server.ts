import { and, eq, isNotNull, isNull, lte } from "drizzle-orm";
import { addDays, todayInShanghai } from "~/utils/dates";
import type { Database } from "~db/client";
import { accountabilityRecords } from "~db/schema";
import { queueRecordNotice } from "./notify.server";
import { REMINDER_DAYS_BEFORE, reminderDue } from "./rules";

/**
 * The daily job (schedules.ts): every open record with a rectification deadline and no report gets its
 * reminder — three days before, then at the deadline (and the official who opened it hears too). The
 * outbox key makes each reminder one message however often the job runs, and a day missed is made up.
 */
export async function sendAccountabilityReminders(
  db: Database,
  options: { now?: Date; origin?: string } = {},
): Promise<{ records: number; queued: number }> {
  const today = todayInShanghai(options.now);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(accountabilityRecords)
      .where(
        and(
          eq(accountabilityRecords.status, "open"),
          isNotNull(accountabilityRecords.rectificationDue),
          isNull(accountabilityRecords.reportSubmittedAt),
          lte(accountabilityRecords.rectificationDue, addDays(today, REMINDER_DAYS_BEFORE)),
        ),
      )
      .orderBy(accountabilityRecords.id);
    let queued = 0;
    for (const row of rows) {
      const stage = reminderDue(row, today);
      if (stage) queued += await queueRecordNotice(tx, row, stage, { origin: options.origin });
    }
    return { records: rows.length, queued };
  });
}
