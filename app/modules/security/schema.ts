import { z } from "zod";
import { shanghaiMidnight } from "~/utils/dates";
import { SECURITY_EVENT_KINDS } from "~db/schema/audit";
import type { SecurityEventFilter } from "./events.server";

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

export const SecurityEventFilterSchema = z.object({
  person: text(100),
  kind: z.enum(SECURITY_EVENT_KINDS).optional().catch(undefined),
  outcome: z.enum(["failures"]).optional().catch(undefined),
  address: text(100),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export function securityEventFilter(input: z.output<typeof SecurityEventFilterSchema>): SecurityEventFilter {
  return {
    person: input.person || undefined,
    kind: input.kind,
    outcome: input.outcome,
    address: input.address || undefined,
    from: input.from ? shanghaiMidnight(input.from) : undefined,
    to: input.to ? new Date(shanghaiMidnight(input.to).getTime() + 86_400_000) : undefined,
  };
}
