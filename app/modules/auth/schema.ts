import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "./constants";

export const LoginSchema = z.object({
  identifier: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(200, "validation.tooLong"),
  password: z.string({ error: "validation.required" }).min(1, "validation.required").max(200, "validation.tooLong"),
  redirectTo: z.string().optional(),
});

/** The new password itself is judged by the security policy on the server, with every reason at once. */
const newPassword = z.string({ error: "validation.required" }).min(1, "validation.required").max(MAX_PASSWORD_LENGTH, "validation.tooLong");

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "validation.required" }).min(1, "validation.required"),
    newPassword,
    confirmPassword: z.string({ error: "validation.required" }).min(1, "validation.required"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "validation.passwordsDiffer", path: ["confirmPassword"] });

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

/** Sign-in, step two: a code from the app, or (intent "recovery") one recovery code. */
export const SecondFactorSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("code"),
    code: z
      .string({ error: "validation.required" })
      .transform((v) => v.replace(/\s/g, ""))
      .pipe(z.string().regex(/^\d{6}$/, "auth.secondFactor.codeFormat")),
    remember: checkbox,
    redirectTo: z.string().optional(),
  }),
  z.object({
    intent: z.literal("recovery"),
    recoveryCode: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(40, "validation.tooLong"),
    remember: checkbox,
    redirectTo: z.string().optional(),
  }),
]);

const totpCode = z
  .string({ error: "validation.required" })
  .transform((v) => v.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "auth.secondFactor.codeFormat"));

export const EnrolmentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("enrol"), pending: z.string().min(1).max(500), code: totpCode, redirectTo: z.string().optional() }),
  z.object({ intent: z.literal("renew-codes"), code: totpCode }),
  z.object({ intent: z.literal("disable"), code: totpCode }),
]);

export const SessionsActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("end"), sessionId: z.string().regex(/^[0-9a-f]{64}$/, "validation.invalid") }),
  z.object({ intent: z.literal("end-others") }),
]);
