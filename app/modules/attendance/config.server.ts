import { z } from "zod";

/**
 * The attendance capability's own environment (read apart from env.server.ts, as email does).
 * CHECKIN_SECRET signs the rotating check-in codes; without it a secret is generated once and kept in
 * the settings table, so every app server signs and verifies with the same one.
 */
const AttendanceEnvSchema = z.object({
  CHECKIN_SECRET: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.length >= 32, "must be at least 32 characters"),
});

export type AttendanceEnv = z.infer<typeof AttendanceEnvSchema>;

let cached: AttendanceEnv | undefined;

export function attendanceEnv(): AttendanceEnv {
  if (cached) return cached;
  const parsed = AttendanceEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export function resetAttendanceEnvCache() {
  cached = undefined;
}
