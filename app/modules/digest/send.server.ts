import { eq, inArray } from "drizzle-orm";
import { nudgeOutbox } from "~/modules/email/nudge.server";
import { enqueuePrepared, organizationName, type PreparedEmail } from "~/modules/email/outbox.server";
import type { RenderedEmail } from "~/modules/email/render.server";
import { compareWeeks, formatIsoWeek, type IsoWeek, isoWeekOf } from "~/utils/dates";
import { env } from "~/utils/env.server";
import { invalid } from "~/utils/errors";
import type { Locale } from "~/utils/i18n";
import { linkOrigin } from "~/utils/origin.server";
import { type Timing, timed, timedSync } from "~/utils/timing";
import type { DbOrTx } from "~db/client";
import { emailOutbox, units } from "~db/schema";
import type { WeeklyDigestEmailProps } from "~emails/weekly-digest";
import { composeDigest, type PlannedDigest, planDigests } from "./compose";
import { gatherDigests } from "./gather.server";
import { digestRecipients } from "./recipients.server";
import { renderDigest } from "./render.server";

/**
 * Sending the weekly digest: who gets one (heads, and liaisons where the unit copies them), what each
 * says (gathered for all units at once, composed, rendered ahead of any transaction), then queued in
 * the outbox in batches. One digest per head and ISO week whatever happens: the idempotency key
 * `digest/<head cadre id>/<week>` is unique in the outbox, so a second run, or a run on another server
 * at the same moment, inserts nothing (the loser of a race waits on the unique index and skips).
 */

export interface SendOptions {
  week: IsoWeek;
  now?: Date;
  /** Where links point; APP_ORIGIN by default. */
  origin?: string;
  /** Only the heads of these units (their whole digest); every head by default. */
  unitIds?: readonly number[];
  /** Messages rendered, then queued in one INSERT (at most 500). */
  batchSize?: number;
  /**
   * For benchmarks: the parts' times, as "digest.recipients", "digest.gather" (and its sections),
   * "digest.compose", "digest.render" and "digest.enqueue" (waiting for inserts beyond what overlapped
   * with rendering).
   */
  timing?: Timing;
}

export interface SendResult {
  week: string;
  /** Messages planned this week (heads and liaison copies). */
  recipients: number;
  /** New in the outbox now. */
  queued: number;
  /** Already there from an earlier or concurrent run. */
  existing: number;
}

/** A week that has not begun cannot be reported on. */
export function assertWeekNotFuture(week: IsoWeek, now: Date): void {
  const current = isoWeekOf(now);
  if (compareWeeks(week, current) > 0) {
    throw invalid("digest.errors.futureWeek", "week", { week: formatIsoWeek(week), current: formatIsoWeek(current) });
  }
}

export async function sendWeeklyDigests(db: DbOrTx, options: SendOptions): Promise<SendResult> {
  const now = options.now ?? new Date();
  assertWeekNotFuture(options.week, now);
  const { timing } = options;
  const { planned, already } = await timed(timing, "digest.recipients", async () => {
    const { heads, liaisons } = await digestRecipients(db, { unitIds: options.unitIds });
    const planned = planDigests(heads, liaisons, options.week);
    // What an earlier run (or another server) already queued is neither gathered nor rendered again.
    return {
      planned,
      already: await existingKeys(
        db,
        planned.map((p) => p.key),
      ),
    };
  });
  const todo = planned.filter((p) => !already.has(p.key));
  const result: SendResult = { week: formatIsoWeek(options.week), recipients: planned.length, queued: 0, existing: already.size };
  if (!todo.length) return result;

  const unitIds = [...new Set(todo.flatMap((p) => p.unitIds))];
  const gathered = await timed(timing, "digest.gather", () => gatherDigests(db, { week: options.week, unitIds, now, timing }));

  const origin = options.origin ?? linkOrigin();
  const from = env().EMAIL_FROM;
  const orgNames = new Map<Locale, string>();
  for (const locale of new Set(todo.map((p) => p.recipient.locale))) orgNames.set(locale, await organizationName(db, locale));
  // At most 500 rows: enqueuePrepared writes them in one INSERT, atomic without a transaction of its own.
  const batchSize = Math.min(options.batchSize ?? 250, 500);
  // Each batch's insert runs while the next batch renders: the database works on one core while
  // rendering keeps the other busy. One insert is in flight at a time.
  let pending: Promise<void> | null = null;
  const enqueue = async (prepared: PreparedEmail[]) => {
    const created = await enqueuePrepared(db, prepared);
    result.queued += created.length;
    result.existing += prepared.length - created.length;
  };
  const waitForInsert = () => timed(timing, "digest.enqueue", async () => void (await pending));
  for (let i = 0; i < todo.length; i += batchSize) {
    const batch = timedSync(timing, "digest.compose", () =>
      todo.slice(i, i + batchSize).map((p) => ({ plan: p, props: propsOf(p, options.week, gathered, orgNames, origin) })),
    );
    const prepared: PreparedEmail[] = [];
    for (let j = 0; j < batch.length; j++) {
      prepared.push(timedSync(timing, "digest.render", () => prepareDigest(batch[j]!.plan, batch[j]!.props, from)));
      // Rendering is synchronous: give the event loop a turn now and then, so the previous batch's
      // insert (megabytes of HTML) streams to the database and its reply is read meanwhile.
      if (j % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitForInsert();
    pending = enqueue(prepared);
    // Awaited on the next turn; until then a failure must not count as unhandled.
    pending.catch(() => {});
  }
  await waitForInsert();
  if (result.queued) nudgeOutbox();
  return result;
}

/** An outbox row as prepareEmail makes it, rendered by renderDigest. */
function prepareDigest(plan: PlannedDigest, props: WeeklyDigestEmailProps, from: string): PreparedEmail {
  return {
    template: "weekly-digest",
    props,
    locale: props.locale,
    from,
    to: plan.recipient.email,
    idempotencyKey: plan.key,
    userId: plan.recipient.userId,
    ...renderDigest(props),
    attachments: [],
  };
}

function propsOf(
  plan: PlannedDigest,
  week: IsoWeek,
  units: Awaited<ReturnType<typeof gatherDigests>>,
  orgNames: Map<Locale, string>,
  origin: string,
) {
  return composeDigest(
    {
      locale: plan.recipient.locale,
      organizationName: orgNames.get(plan.recipient.locale)!,
      name: plan.recipient.name,
      copyOf: plan.copyOf,
    },
    week,
    plan.unitIds.map((id) => units.get(id)!).filter(Boolean),
    origin,
  );
}

async function existingKeys(db: DbOrTx, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const rows = await db
      .select({ key: emailOutbox.idempotencyKey })
      .from(emailOutbox)
      .where(inArray(emailOutbox.idempotencyKey, keys.slice(i, i + 5000)));
    for (const r of rows) out.add(r.key);
  }
  return out;
}

/**
 * The digest the head of one unit (by its code) gets, or got, for a week, rendered but not queued: for
 * `digest preview` and for looking at a unit's digest before Monday. Says so when there is no such
 * unit, or it has no head with an email.
 */
export async function previewDigest(
  db: DbOrTx,
  options: { week: IsoWeek; unitCode: string; now?: Date; origin?: string },
): Promise<{ problem: "unknownUnit" | "noHead" } | { digest: RenderedEmail & { to: string; key: string } }> {
  const now = options.now ?? new Date();
  const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, options.unitCode));
  if (!unit) return { problem: "unknownUnit" };
  // The head's whole digest, every unit they head, as it would be sent (liaison copies aside).
  const { heads } = await digestRecipients(db, { unitIds: [unit.id] });
  if (!heads.length) return { problem: "noHead" };
  const [plan] = planDigests(heads, new Map(), options.week);
  const gathered = await gatherDigests(db, { week: options.week, unitIds: plan!.unitIds, now });
  const orgNames = new Map([[plan!.recipient.locale, await organizationName(db, plan!.recipient.locale)]]);
  const props = propsOf(plan!, options.week, gathered, orgNames, options.origin ?? linkOrigin());
  return { digest: { ...renderDigest(props), to: plan!.recipient.email, key: plan!.key } };
}

/** The scheduled job (Monday 08:00 Asia/Shanghai): this week's digests. */
export async function weeklyDigestJob(db: DbOrTx, now = new Date()): Promise<SendResult & { totalMs: number }> {
  const started = performance.now();
  const result = await sendWeeklyDigests(db, { week: isoWeekOf(now), now });
  return { ...result, totalMs: Math.round(performance.now() - started) };
}
