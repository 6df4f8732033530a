import { z } from "zod";

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : ["true", "1", "yes"].includes(v)));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

/**
 * Email and job settings, read apart from env.server.ts so that this capability owns its variables.
 * Every one is optional: with none set, the app runs offline and the in-app outbox stands in for mail.
 */
const EmailEnvSchema = z.object({
  /** Without it, messages are "delivered" to the in-app outbox instead of being sent. */
  RESEND_API_KEY: optionalText,
  /** The Resend SDK reads this itself; tests point it at a local stand-in. */
  RESEND_BASE_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), "must be an http(s) URL"),
  /** Signing secret of the Resend webhook (whsec_…); without it the webhook answers 503. */
  RESEND_WEBHOOK_SECRET: optionalText,
  EMAIL_FROM: z.string().trim().min(3).default("落实 <noreply@luoshi.local>"),
  /** Resend allows 2 requests per second per team by default. */
  EMAIL_RATE_PER_SECOND: z.coerce.number().positive().max(100).default(2),
  /** After this many tries a message is marked failed with its last error. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** How often a running worker looks for due messages (besides the nudge right after enqueue). */
  EMAIL_DRAIN_INTERVAL_SECONDS: z.coerce.number().positive().max(3600).default(5),
  /** Run the job worker inside the app process; false when workers run apart (`npm run luoshi -- worker`). */
  RUN_WORKER: boolish.transform((v) => v ?? true),
  APP_ORIGIN: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), "must be an http(s) URL"),
});

export type EmailConfig = z.infer<typeof EmailEnvSchema>;

let cached: EmailConfig | undefined;

export function emailConfig(): EmailConfig {
  if (cached) return cached;
  const parsed = EmailEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export function resetEmailConfigCache() {
  cached = undefined;
}

/** The origin links in emails point to: APP_ORIGIN when set (behind a proxy), else the request's own. */
export function publicOrigin(request: Request): string {
  const configured = emailConfig().APP_ORIGIN;
  return configured ? new URL(configured).origin : new URL(request.url).origin;
}

/** Where links in emails point when no request is at hand: APP_ORIGIN, else the given origin, else the local server. */
export function linkOrigin(origin?: string): string {
  const configured = emailConfig().APP_ORIGIN;
  if (configured) return new URL(configured).origin;
  return origin ?? `http://localhost:${process.env.PORT ?? 3000}`;
}
