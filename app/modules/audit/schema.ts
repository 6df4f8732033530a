import { z } from "zod";
import { shanghaiMidnight } from "~/utils/dates";
import { AUDIT_ACTIONS, AUDIT_CATEGORIES } from "./actions";
import type { AuditFilter } from "./service.server";

/** Search text without control characters (a NUL would reach PostgreSQL); anything else is dropped. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v))
    .optional()
    .catch(undefined);

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && v >= "2000-01-01" && v <= "2100-12-31";
  })
  .optional()
  .catch(undefined);

/** The audit page's filters, read from the URL: a value that does not fit is ignored, never an error. */
export const AuditFilterSchema = z.object({
  person: text(100),
  category: z
    .enum(AUDIT_CATEGORIES as [string, ...string[]])
    .optional()
    .catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  entityType: z
    .string()
    .regex(/^[a-z_]{1,50}$/)
    .optional()
    .catch(undefined),
  entityId: z
    .string()
    .regex(/^[\w.-]{1,50}$/)
    .optional()
    .catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export type AuditFilterInput = z.output<typeof AuditFilterSchema>;

/** Dates are Shanghai calendar days; "to" includes the whole day. */
export function auditFilter(input: AuditFilterInput): AuditFilter {
  return {
    person: input.person || undefined,
    category: input.category,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    from: input.from ? shanghaiMidnight(input.from) : undefined,
    to: input.to ? new Date(shanghaiMidnight(input.to).getTime() + 86_400_000) : undefined,
  };
}
