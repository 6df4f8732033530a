import { existsSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

/**
 * The one environment schema: the server, the CLI and the benchmarks all read their settings through
 * `env()`, validated once at start-up, with a message naming every bad variable. Each capability's
 * variables sit in their own block below; to add one, add it here, to `.env.example` and to the
 * README's configuration table (a unit test holds the three together).
 *
 * An empty value means "not set" (so `.env.example`, where most values are blank, loads as it is).
 * `.env` in the working directory is read when present (`loadDotEnv`), without overriding what the
 * real environment already sets.
 */

const unset = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, value: z.input<T>) => z.preprocess(unset, schema.prefault(value as never));

const flag = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
const count = (min = 1) => z.coerce.number().int().min(min);
const amount = () => z.coerce.number().positive();

/** An origin and nothing else: scheme, host and port (https://luoshi.example.gov.cn). */
const origin = z
  .string()
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an origin such as https://luoshi.example.gov.cn" });
      return;
    }
    if (!["http:", "https:"].includes(url.protocol)) ctx.addIssue({ code: "custom", message: "must start with https:// (or http://)" });
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) {
      ctx.addIssue({ code: "custom", message: "must be an origin only, without a path (https://luoshi.example.gov.cn)" });
    }
  })
  .transform((value) => new URL(value).origin);

/**
 * Which proxies in front of the app may say who the client is (X-Forwarded-For, read right to left):
 * `false`/`0` none, a number of hops (`1`: one proxy, the usual nginx set-up), or the proxies'
 * addresses and networks (`10.0.0.2, 10.0.1.0/24`, also express's names `loopback`, `uniquelocal`).
 * `true` (every hop) is refused: it lets any client name its own address.
 */
export type TrustProxy = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "addresses"; addresses: string[] };
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const value = raw.trim().toLowerCase();
  if (["false", "no", "0"].includes(value)) return { kind: "none" };
  if (["true", "yes"].includes(value)) {
    ctx.addIssue({
      code: "custom",
      message: "true would trust every hop (any client could name its own address): give the number of proxies (1) or their addresses",
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) return { kind: "hops", hops: Number(value) };
  const addresses = value
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const bad = addresses.filter((a) => !PROXY_NAMES.has(a) && !isIP(a.split("/")[0]!));
  if (bad.length || !addresses.length) {
    ctx.addIssue({ code: "custom", message: `not a hop count or proxy addresses: ${bad.join(", ") || raw}` });
    return z.NEVER;
  }
  return { kind: "addresses", addresses };
});

const EnvSchema = z.object({
  // The process
  /** Production unless told otherwise: error details never reach a client (issue 14). */
  NODE_ENV: withDefault(z.enum(["development", "production", "test"]), "production"),
  PORT: withDefault(z.coerce.number().int().min(0).max(65535), 3000),
  HOST: withDefault(z.string(), "0.0.0.0"),

  // The database
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")),
  LUOSHI_DATA_DIR: withDefault(z.string(), ".data"),
  /** Unset: the demo city seeds an empty embedded database, never one named by DATABASE_URL. */
  SEED_DEMO: optional(flag),

  // The web: one public origin, the proxies in front
  APP_ORIGIN: optional(origin),
  TRUST_PROXY: withDefault(trustProxy, "false"),

  // Security (sign-in policy itself is set on the security admin's page, in the database)
  /**
   * The algorithm of the evidence hashes (audit and security log chains, publication hashes):
   * sha256, or sm3 where the cryptography assessment asks for the Chinese commercial algorithms.
   */
  HASH_ALGORITHM: withDefault(z.enum(["sha256", "sm3"]), "sha256"),
  /**
   * 32 bytes (64 hex characters) that seal stored secrets such as second-factor keys (AES-256-GCM).
   * Without it a key is generated and kept in the database: fine for the demo, not for a deployment,
   * which keeps the key apart from the data it protects.
   */
  DATA_ENCRYPTION_KEY: optional(z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes)")),

  // Email and jobs
  /** Without it, messages are "delivered" to the in-app outbox instead of being sent. */
  RESEND_API_KEY: optional(z.string()),
  /** The Resend SDK's base URL; tests point it at a local stand-in. */
  RESEND_BASE_URL: optional(z.string().regex(/^https?:\/\//, "must be an http(s) URL")),
  /** Signing secret of the Resend webhook (whsec_…); without it the webhook answers 503. */
  RESEND_WEBHOOK_SECRET: optional(z.string()),
  EMAIL_FROM: withDefault(z.string().trim().min(3), "落实 <noreply@luoshi.local>"),
  /** Resend allows 2 requests per second per team by default. */
  EMAIL_RATE_PER_SECOND: withDefault(amount().max(100), 2),
  EMAIL_MAX_ATTEMPTS: withDefault(count().max(50), 8),
  EMAIL_DRAIN_INTERVAL_SECONDS: withDefault(amount().max(3600), 5),
  /** Run the job worker inside the app process; false when workers run apart (`npm run luoshi -- worker`). */
  RUN_WORKER: withDefault(flag, "true"),

  // Check-in
  /** Signs the rotating check-in codes; without it a secret is generated once and kept in the database. */
  CHECKIN_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
});

export type Env = z.infer<typeof EnvSchema>;
/** Every variable the app reads. */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape) as (keyof Env)[];

/** Validates a set of variables (process.env by default); throws one error naming every bad one. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** The environment, read and validated once (`.env` included, see loadDotEnv). */
export function env(): Env {
  if (cached) return cached;
  // Not under the test runner: a developer's `.env` (a real email key, say) must not leak into the suites.
  if (!process.env.VITEST) loadDotEnv();
  cached = parseEnv(process.env);
  return cached;
}

/** Forget the validated environment, after a test changes process.env. */
export function resetEnvCache() {
  cached = undefined;
}

/**
 * Reads `.env` (from the working directory, by default) into process.env when the file exists; a
 * variable already set in the environment wins. Returns whether there was a file.
 */
export function loadDotEnv(file = path.resolve(".env")): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** The demo city is seeded into an empty embedded database unless SEED_DEMO=false; elsewhere only when SEED_DEMO=true. */
export function shouldSeedDemo(config: Pick<Env, "DATABASE_URL" | "SEED_DEMO">): boolean {
  return config.SEED_DEMO ?? !config.DATABASE_URL;
}
