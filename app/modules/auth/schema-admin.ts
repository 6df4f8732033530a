import { z } from "zod";
import { fields } from "~/utils/forms";
import { GRANTED_ROLES } from "~db/schema/enums";
import { ACCOUNT_STATUSES_LIST } from "./account-statuses";

export const AccountFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(ACCOUNT_STATUSES_LIST).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

const idList = z
  .union([z.string(), z.array(z.string())], { error: "admin.accounts.noneSelected" })
  .transform((v) =>
    [v]
      .flat()
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
  )
  .refine((v) => v.length > 0, "admin.accounts.noneSelected");

export const AccountBulkSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("issue-otp"), userIds: idList }),
  z.object({ intent: z.literal("disable"), userIds: idList, reason: fields.requiredText(500) }),
  z.object({ intent: z.literal("enable"), userIds: idList, reason: fields.requiredText(500) }),
]);

export const AccountRolesSchema = z.object({
  intent: z.literal("roles"),
  roles: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : [v].flat()))
    .pipe(z.array(z.enum(GRANTED_ROLES))),
});

export const AccountToggleSchema = z.object({
  intent: z.enum(["disable", "enable", "issue-otp"]),
  reason: z.string().trim().max(500, "validation.tooLong").optional(),
});

export const StaffAccountSchema = z.object({
  email: fields.email(),
  displayName: fields.requiredText(100),
});

/** The security administrator's acts on an account: each with a reason for the logs. */
export const AccountSecuritySchema = z.object({
  intent: z.enum(["reset-second-factor", "end-sessions", "unlock"]),
  reason: fields.requiredText(500),
});
