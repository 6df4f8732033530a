import { eq, sql } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "svix";
import { z } from "zod";
import { audit } from "~/modules/audit/service.server";
import { DomainError } from "~/utils/errors";
import type { Database } from "~db/client";
import { emailOutbox, emailSuppressions, type SuppressionReason } from "~db/schema";

const ResendEventSchema = z.object({
  type: z.string(),
  created_at: z.string().optional(),
  data: z
    .object({
      email_id: z.string().optional(),
      to: z.union([z.string(), z.array(z.string())]).optional(),
      bounce: z.object({ message: z.string().optional(), type: z.string().optional(), subType: z.string().optional() }).optional(),
    })
    .passthrough(),
});
export type ResendEvent = z.infer<typeof ResendEventSchema>;

/**
 * Resend signs webhooks with the Svix scheme (svix-id, svix-timestamp, svix-signature over the raw
 * body); the timestamp check inside verify() refuses replays older than five minutes.
 */
export function verifyResendWebhook(secret: string, payload: string, headers: Headers): ResendEvent {
  const svixHeaders = {
    "svix-id": headers.get("svix-id") ?? "",
    "svix-timestamp": headers.get("svix-timestamp") ?? "",
    "svix-signature": headers.get("svix-signature") ?? "",
  };
  let body: unknown;
  try {
    body = new Webhook(secret).verify(payload, svixHeaders);
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new DomainError("forbidden", "errors.forbidden");
    throw error;
  }
  const parsed = ResendEventSchema.safeParse(body);
  if (!parsed.success) throw new DomainError("invalid", "validation.invalid");
  return parsed.data;
}

const SUPPRESSING: Record<string, SuppressionReason> = {
  "email.bounced": "bounced",
  "email.complained": "complained",
};

/**
 * A hard bounce or a spam complaint puts the address on the suppression list (the outbox then skips
 * it, saying why) and marks the message that caused it as failed. Receiving the same event twice
 * changes nothing more. Other events are acknowledged and ignored.
 */
export async function handleResendEvent(db: Database, event: ResendEvent): Promise<"suppressed" | "ignored"> {
  const reason = SUPPRESSING[event.type];
  if (!reason) return "ignored";
  const addresses = [event.data.to ?? []]
    .flat()
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  const providerMessageId = event.data.email_id ?? null;
  const detail = event.data.bounce
    ? [event.data.bounce.type, event.data.bounce.subType, event.data.bounce.message].filter(Boolean).join(" / ")
    : null;
  await db.transaction(async (tx) => {
    for (const address of addresses) {
      const inserted = await tx
        .insert(emailSuppressions)
        .values({ address, reason, detail, providerMessageId })
        .onConflictDoUpdate({
          target: emailSuppressions.address,
          set: { reason, detail, providerMessageId },
          setWhere: sql`${emailSuppressions.providerMessageId} is distinct from ${providerMessageId}`,
        })
        .returning({ address: emailSuppressions.address });
      if (inserted.length) {
        await audit(
          tx,
          { userId: null, label: "resend" },
          {
            action: "email.suppressed",
            entityType: "email_address",
            entityId: address,
            after: { reason, detail, providerMessageId },
          },
        );
      }
    }
    if (providerMessageId) {
      await tx
        .update(emailOutbox)
        .set({ status: "failed", lastError: detail ? `${reason}: ${detail}` : reason })
        .where(eq(emailOutbox.providerMessageId, providerMessageId));
    }
  });
  return "suppressed";
}
