import { sendWeeklyDigests } from "~/modules/digest/send.server";
import { isoWeekOf } from "~/utils/dates";
import type { DbOrTx } from "../client";

/**
 * This week's digest for every demo unit head, in the outbox (/admin/outbox) as if Monday's job had
 * run: gathered from the demo city's classes, attendance, frontline records, rankings and shortlists,
 * so it runs after all of them. The job itself finds them there and sends nothing twice.
 */
export async function seedDemoDigests(tx: DbOrTx, options: { now: Date }) {
  return sendWeeklyDigests(tx, { week: isoWeekOf(options.now), now: options.now });
}
