import { z } from "zod";

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : ["true", "1", "yes"].includes(v)));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL"),
  LUOSHI_DATA_DIR: z.string().default(".data"),
  SEED_DEMO: boolish,
  /** Public origin of the app (https://luoshi.example.gov.cn) when it sits behind a proxy. */
  APP_ORIGIN: z.string().url().optional(),
  TRUST_PROXY: boolish,
  /**
   * The algorithm of the evidence hashes (audit and security log chains, publication hashes):
   * sha256, or sm3 where the cryptography assessment asks for the Chinese commercial algorithms.
   */
  HASH_ALGORITHM: z.enum(["sha256", "sm3"]).default("sha256"),
  /**
   * 32 bytes (64 hex characters) that seal stored secrets such as second-factor keys (AES-256-GCM).
   * Without it a key is generated and kept in the database: fine for the demo, not for a deployment,
   * which keeps the key apart from the data it protects.
   */
  DATA_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes)")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Reads and validates the environment once; a bad value stops start-up with a message naming it. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export function resetEnvCache() {
  cached = undefined;
}
