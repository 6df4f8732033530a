import { z } from "zod";

/**
 * The security policy the security administrator sets (等保 2.0 level 3 defaults). Stored as one
 * settings row; every key has a default, so a fresh database is already compliant. Pure: the form,
 * the sign-in code and the tests share it.
 */
const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: "security.policy.wholeNumber" })
    .int("security.policy.wholeNumber")
    .min(min, { message: "security.policy.range" })
    .max(max, { message: "security.policy.range" })
    .default(fallback);

/** The minimum the law asks for the security log (网络安全法 第二十一条: at least six months). */
export const MIN_SECURITY_LOG_RETENTION_DAYS = 180;

export const POLICY_LIMITS = {
  passwordMinLength: [8, 64, 10],
  passwordMinClasses: [1, 4, 3],
  passwordHistory: [0, 24, 5],
  adminPasswordMaxAgeDays: [0, 365, 90],
  otherPasswordMaxAgeDays: [0, 365, 0],
  adminIdleMinutes: [5, 240, 30],
  otherIdleMinutes: [5, 43_200, 10_080],
  adminSessionMaxHours: [1, 168, 12],
  otherSessionMaxHours: [1, 2_160, 720],
  maxFailuresPerAccount: [3, 20, 5],
  lockMinutes: [1, 1_440, 15],
  maxFailuresPerAddress: [10, 1_000, 30],
  failureWindowMinutes: [1, 1_440, 15],
  rememberDeviceDays: [0, 90, 30],
  oneTimePasswordHours: [1, 720, 72],
  securityLogRetentionDays: [MIN_SECURITY_LOG_RETENTION_DAYS, 3_650, MIN_SECURITY_LOG_RETENTION_DAYS],
} as const satisfies Record<string, readonly [number, number, number]>;

export type PolicyNumberKey = keyof typeof POLICY_LIMITS;
export const POLICY_NUMBER_KEYS = Object.keys(POLICY_LIMITS) as PolicyNumberKey[];

const numbers = Object.fromEntries(
  POLICY_NUMBER_KEYS.map((key) => {
    const [min, max, fallback] = POLICY_LIMITS[key];
    return [key, int(min, max, fallback)];
  }),
) as Record<PolicyNumberKey, ReturnType<typeof int>>;

const flag = (fallback: boolean) =>
  z
    .union([z.boolean(), z.enum(["on", "true", "false", ""])])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === true || v === "on" || v === "true"));

export const SecurityPolicySchema = z.object({
  ...numbers,
  /** Refuse passwords found in the common-password list shipped with @zxcvbn-ts/language-common. */
  rejectCommonPasswords: flag(true),
  /** Refuse passwords containing the staff number, the email's name or the name in pinyin. */
  rejectPersonalPasswords: flag(true),
});

export type SecurityPolicy = z.output<typeof SecurityPolicySchema>;

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = SecurityPolicySchema.parse({});

/** The form sends every checkbox unticked as absent: read it as false, not as the default. */
export const SecurityPolicyFormSchema = SecurityPolicySchema.extend({
  rejectCommonPasswords: flag(false),
  rejectPersonalPasswords: flag(false),
});

/** A stored policy, read leniently: a key that is missing or out of range takes its default. */
export function readPolicy(stored: unknown): SecurityPolicy {
  const value = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SecurityPolicySchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(value[key]);
    out[key] = parsed.success ? parsed.data : (DEFAULT_SECURITY_POLICY as Record<string, unknown>)[key];
  }
  return out as SecurityPolicy;
}

/** Idle and absolute session lengths for an account with or without an administrative role. */
export function sessionLimits(policy: SecurityPolicy, administrative: boolean) {
  return administrative
    ? { idleMs: policy.adminIdleMinutes * 60_000, maxMs: policy.adminSessionMaxHours * 3_600_000 }
    : { idleMs: policy.otherIdleMinutes * 60_000, maxMs: policy.otherSessionMaxHours * 3_600_000 };
}

/** Days a password lasts (0: no expiry). */
export function passwordMaxAgeDays(policy: SecurityPolicy, administrative: boolean): number {
  return administrative ? policy.adminPasswordMaxAgeDays : policy.otherPasswordMaxAgeDays;
}

/** The password part of the policy, as forms describe it beside the field. */
export function passwordRules(policy: SecurityPolicy) {
  return {
    minLength: policy.passwordMinLength,
    minClasses: policy.passwordMinClasses,
    rejectCommon: policy.rejectCommonPasswords,
    rejectPersonal: policy.rejectPersonalPasswords,
    history: policy.passwordHistory,
  };
}
