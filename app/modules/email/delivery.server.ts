import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { env } from "~/utils/env.server";
import type { Database } from "~db/client";
import { type EmailAttachment, emailOutbox, emailSuppressions } from "~db/schema";
import { type RateLimiter, sharedRateLimiter } from "./rate-limiter";
import { nextAttemptDelay } from "./retry";
import { defaultTransport, type SendOutcome, type Transport } from "./transports.server";

/** Resend accepts at most 100 messages per batch call. */
export const BATCH_MAX = 100;
/**
 * How long a claimed row stays with its worker. Longer than the provider call's timeout, so a live
 * worker always records its result first; after it, the worker is presumed dead and the row is sent
 * again under the same idempotency key.
 */
export const LEASE_MS = 60_000;

export interface DeliveryState {
  /** Set by a 429: no provider call before this instant (ms since epoch). */
  pausedUntil: number;
}
const sharedState: DeliveryState = { pausedUntil: 0 };

export interface DrainOptions {
  transport?: Transport;
  limiter?: RateLimiter;
  maxAttempts?: number;
  /** The clock: tests move it forward instead of waiting. */
  now?: () => Date;
  random?: () => number;
  /** Stop starting new calls after this long, so a drain job ends and the next one picks up. */
  budgetMs?: number;
  state?: DeliveryState;
}

export interface DrainReport {
  calls: number;
  sent: number;
  failed: number;
  suppressed: number;
  retried: number;
  paused: boolean;
}

interface ClaimedRow {
  id: number;
  fromAddress: string;
  toAddress: string;
  subject: string;
  html: string;
  text: string;
  attachments: EmailAttachment[];
  attempts: number;
}

/**
 * Sends what is due in the outbox, one provider call at a time, until nothing is due or the budget is
 * spent. Safe to run in several processes at once: rows are claimed with FOR UPDATE SKIP LOCKED, and a
 * batch keeps its idempotency key for as long as it is retried.
 */
/**
 * JavaScript clocks tick in milliseconds, PostgreSQL's now() in microseconds: a message queued earlier
 * in the same millisecond as `now` must count as due.
 */
function endOfMillisecond(now: Date): Date {
  return new Date(now.getTime() + 1);
}

export async function drainOutbox(db: Database, options: DrainOptions = {}): Promise<DrainReport> {
  const config = env();
  const transport = options.transport ?? defaultTransport(config);
  const limiter = options.limiter ?? sharedRateLimiter(config.EMAIL_RATE_PER_SECOND);
  const maxAttempts = options.maxAttempts ?? config.EMAIL_MAX_ATTEMPTS;
  const clock = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const state = options.state ?? sharedState;
  const deadline = Date.now() + (options.budgetMs ?? 50_000);
  const report: DrainReport = { calls: 0, sent: 0, failed: 0, suppressed: 0, retried: 0, paused: false };

  while (Date.now() < deadline) {
    if (transport.rateLimited && state.pausedUntil > clock().getTime()) {
      report.paused = true;
      break;
    }
    const claim = await claimNext(db, clock(), maxAttempts);
    if (!claim) break;
    report.suppressed += claim.suppressed;
    report.failed += claim.abandoned;
    if (claim.rows.length === 0) continue;

    if (transport.rateLimited) await limiter.take();
    report.calls++;
    let outcome: SendOutcome;
    try {
      outcome = await transport.send(
        claim.rows.map((r) => ({
          from: r.fromAddress,
          to: r.toAddress,
          subject: r.subject,
          html: r.html,
          text: r.text,
          attachments: r.attachments,
        })),
        claim.key,
      );
    } catch (error) {
      // Whether or not the request left, retrying under the same key is safe.
      outcome = { kind: "retry", error: `transport error: ${(error as Error)?.message ?? error}`, retryAfterMs: null };
    }
    const counts = await recordOutcome(db, claim, outcome, transport.name, { now: clock(), maxAttempts, random });
    report.sent += counts.sent;
    report.failed += counts.failed;
    report.retried += counts.retried;
    if (outcome.kind === "retry" && outcome.retryAfterMs !== null) {
      // Retry-After speaks for the whole account, not one message: stop calling until it has passed.
      state.pausedUntil = clock().getTime() + outcome.retryAfterMs;
      report.paused = true;
      break;
    }
  }
  return report;
}

/**
 * Takes the next unit of work: a batch that was tried before (whole, with its key, so that a retry is
 * the same request) or up to 100 fresh messages, which become a new batch. Fresh messages to addresses
 * that bounced or complained are set aside as suppressed instead.
 */
async function claimNext(
  db: Database,
  now: Date,
  maxAttempts: number,
): Promise<{ key: string; rows: ClaimedRow[]; suppressed: number; abandoned: number } | null> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: emailOutbox.id,
        batchKey: emailOutbox.batchKey,
        idempotencyKey: emailOutbox.idempotencyKey,
        toAddress: emailOutbox.toAddress,
        attempts: emailOutbox.attempts,
        hasAttachments: sql<boolean>`jsonb_array_length(${emailOutbox.attachments}) > 0`,
      })
      .from(emailOutbox)
      .where(and(inArray(emailOutbox.status, ["queued", "sending"]), lt(emailOutbox.nextAttemptAt, endOfMillisecond(now))))
      // Rows of one batch share next_attempt_at and batch_key, so they come out side by side.
      .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.batchKey), asc(emailOutbox.id))
      .limit(BATCH_MAX)
      .for("update", { skipLocked: true });
    if (due.length === 0) return null;

    const keys = [...new Set(due.map((r) => r.batchKey).filter((k): k is string => k !== null))];
    const sizes = new Map<string, number>();
    if (keys.length) {
      const counted = await tx
        .select({ key: emailOutbox.batchKey, n: sql<number>`count(*)::int` })
        .from(emailOutbox)
        .where(and(inArray(emailOutbox.batchKey, keys), inArray(emailOutbox.status, ["queued", "sending"])))
        .groupBy(emailOutbox.batchKey);
      for (const c of counted) sizes.set(c.key!, c.n);
    }

    let unit: typeof due = [];
    for (const row of due) {
      if (row.batchKey === null) {
        // The provider's batch endpoint takes no attachments: such a message goes alone.
        unit = row.hasAttachments ? [row] : due.filter((r) => r.batchKey === null && !r.hasAttachments);
        break;
      }
      const held = due.filter((r) => r.batchKey === row.batchKey);
      // Part of the batch is locked by another worker or cut off by the limit: leave it whole for later.
      if (held.length === sizes.get(row.batchKey)) {
        unit = held;
        break;
      }
    }
    // Only parts of batches are due and free: nothing to do until their holders finish.
    if (unit.length === 0) return null;

    // A batch already sent once must be repeated exactly, so only untried messages are checked here.
    let suppressed = 0;
    const untried = unit.filter((r) => r.attempts === 0);
    if (untried.length) {
      const blocked = await tx
        .select()
        .from(emailSuppressions)
        .where(inArray(emailSuppressions.address, [...new Set(untried.map((r) => r.toAddress.toLowerCase()))]));
      if (blocked.length) {
        const byAddress = new Map(blocked.map((b) => [b.address, b]));
        const skip = untried.filter((r) => byAddress.has(r.toAddress.toLowerCase()));
        for (const r of skip) {
          const b = byAddress.get(r.toAddress.toLowerCase())!;
          await tx
            .update(emailOutbox)
            .set({ status: "suppressed", lastError: b.detail ? `${b.reason}: ${b.detail}` : b.reason, batchKey: null })
            .where(eq(emailOutbox.id, r.id));
        }
        suppressed = skip.length;
        const skipped = new Set(skip.map((r) => r.id));
        unit = unit.filter((r) => !skipped.has(r.id));
        if (unit.length === 0) return { key: "", rows: [], suppressed, abandoned: 0 };
      }
    }

    // A batch whose worker died mid-call as often as the cap allows (a message that crashes workers?)
    // is given up visibly rather than retried for ever.
    if (unit[0]!.attempts >= maxAttempts) {
      await tx
        .update(emailOutbox)
        .set({ status: "failed", lastError: `the worker stopped while sending (after ${unit[0]!.attempts} attempts)` })
        .where(
          inArray(
            emailOutbox.id,
            unit.map((r) => r.id),
          ),
        );
      return { key: "", rows: [], suppressed, abandoned: unit.length };
    }

    const key = unit[0]!.batchKey ?? (unit.length === 1 ? unit[0]!.idempotencyKey : `batch/${randomUUID()}`);
    const rows = await tx
      .update(emailOutbox)
      .set({
        status: "sending",
        attempts: sql`${emailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + LEASE_MS),
        batchKey: key,
      })
      .where(
        inArray(
          emailOutbox.id,
          unit.map((r) => r.id),
        ),
      )
      .returning({
        id: emailOutbox.id,
        fromAddress: emailOutbox.fromAddress,
        toAddress: emailOutbox.toAddress,
        subject: emailOutbox.subject,
        html: emailOutbox.html,
        text: emailOutbox.text,
        attachments: emailOutbox.attachments,
        attempts: emailOutbox.attempts,
      });
    rows.sort((a, b) => a.id - b.id);
    return { key, rows, suppressed, abandoned: 0 };
  });
}

/**
 * Writes what the provider said. Guarded by status 'sending' and the batch key, so a worker that
 * overran its lease cannot overwrite the result of the worker that took over.
 */
async function recordOutcome(
  db: Database,
  claim: { key: string; rows: ClaimedRow[] },
  outcome: SendOutcome,
  transport: Transport["name"],
  ctx: { now: Date; maxAttempts: number; random: () => number },
): Promise<{ sent: number; failed: number; retried: number }> {
  const ids = claim.rows.map((r) => r.id);
  const mine = and(inArray(emailOutbox.id, ids), eq(emailOutbox.status, "sending"), eq(emailOutbox.batchKey, claim.key));

  if (outcome.kind === "accepted") {
    const values = claim.rows.map((r, i) => {
      const result = outcome.results[i] ?? { error: "no result from the provider" };
      return "error" in result
        ? { id: r.id, status: "failed", pid: null, error: result.error }
        : { id: r.id, status: "sent", pid: result.id, error: null };
    });
    await db.execute(sql`
      update ${emailOutbox} o
      set status = v.status,
          provider_message_id = v.pid,
          last_error = v.error,
          sent_at = case when v.status = 'sent' then ${ctx.now.toISOString()}::timestamptz else o.sent_at end,
          transport = ${transport},
          updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id bigint, status text, pid text, error text)
      where o.id = v.id and o.status = 'sending' and o.batch_key = ${claim.key}`);
    const sent = values.filter((v) => v.status === "sent").length;
    return { sent, failed: values.length - sent, retried: 0 };
  }

  if (outcome.kind === "fail") {
    await db.update(emailOutbox).set({ status: "failed", lastError: outcome.error, transport }).where(mine);
    return { sent: 0, failed: ids.length, retried: 0 };
  }

  // Every row of a batch has made the same number of attempts: they are always claimed together.
  const attempts = claim.rows[0]!.attempts;
  if (attempts >= ctx.maxAttempts) {
    await db
      .update(emailOutbox)
      .set({ status: "failed", lastError: `${outcome.error} (after ${attempts} attempts)`, transport })
      .where(mine);
    return { sent: 0, failed: ids.length, retried: 0 };
  }
  const delay = nextAttemptDelay(attempts, outcome.retryAfterMs, ctx.random);
  await db
    .update(emailOutbox)
    .set({ status: "queued", lastError: outcome.error, nextAttemptAt: new Date(ctx.now.getTime() + delay) })
    .where(mine);
  return { sent: 0, failed: 0, retried: ids.length };
}

/** Whether anything is waiting to be sent now; the worker's tick asks before starting a drain job. */
export async function outboxHasDueMessages(db: Database, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.status, ["queued", "sending"]), lt(emailOutbox.nextAttemptAt, endOfMillisecond(now))))
    .limit(1);
  return Boolean(row);
}
