import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "./constants";

export const LoginSchema = z.object({
  identifier: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(200, "validation.tooLong"),
  password: z.string({ error: "validation.required" }).min(1, "validation.required").max(200, "validation.tooLong"),
  redirectTo: z.string().optional(),
});

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "validation.required" }).min(1, "validation.required"),
    newPassword: z
      .string({ error: "validation.required" })
      .min(MIN_PASSWORD_LENGTH, "validation.passwordTooShort")
      .max(200, "validation.tooLong"),
    confirmPassword: z.string({ error: "validation.required" }).min(1, "validation.required"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "validation.passwordsDiffer", path: ["confirmPassword"] });
