import type { ActionFunctionArgs } from "@remix-run/node";
import { handleResendEvent, verifyResendWebhook } from "~/modules/email/webhook.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { DomainError } from "~/utils/errors";

/**
 * Resend's delivery events (bounces, complaints). Called by Resend, not by our pages, so the server's
 * origin check skips /webhooks/*; the Svix signature is what proves the sender.
 */
export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return new Response("Webhook not configured", { status: 503 });
  // The signature covers the exact bytes, so read the body as text before any parsing.
  const payload = await request.text();
  try {
    const event = verifyResendWebhook(secret, payload, request.headers);
    const outcome = await handleResendEvent(getDb(), event);
    return Response.json({ ok: true, outcome });
  } catch (error) {
    if (error instanceof DomainError) {
      return new Response(error.label === "forbidden" ? "Invalid signature" : "Invalid event", {
        status: error.label === "forbidden" ? 401 : 400,
      });
    }
    throw error;
  }
}
