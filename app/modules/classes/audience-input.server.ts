import { inArray, sql } from "drizzle-orm";
import { invalid } from "~/utils/errors";
import type { DbOrTx } from "~db/client";
import { cadres, units } from "~db/schema";
import type { AudienceRule } from "~db/schema/classes";
import type { Rank } from "~db/schema/enums";

export interface AudienceInput {
  minRank: Rank | null;
  unitIds: number[];
  cadreStaffNos: string[];
  excludeStaffNos: string[];
}

/**
 * The audience as the form gives it (staff numbers typed by people) turned into the stored rule (ids).
 * An unknown staff number or unit is an error beside its field, naming the culprit.
 */
export async function resolveAudienceInput(db: DbOrTx, input: AudienceInput): Promise<AudienceRule> {
  const staffNos = [...new Set([...input.cadreStaffNos, ...input.excludeStaffNos])];
  const found = staffNos.length
    ? await db
        .select({ id: cadres.id, staffNo: cadres.staffNo })
        .from(cadres)
        .where(
          inArray(
            sql`lower(${cadres.staffNo})`,
            staffNos.map((s) => s.toLowerCase()),
          ),
        )
    : [];
  const byStaffNo = new Map(found.map((c) => [c.staffNo.toLowerCase(), c.id]));
  const ids = (field: string, list: string[]) =>
    list.map((staffNo) => {
      const id = byStaffNo.get(staffNo.toLowerCase());
      if (!id) throw invalid("classes.errors.unknownStaffNo", field, { value: staffNo });
      return id;
    });
  const unitIds = [...new Set(input.unitIds)];
  if (unitIds.length) {
    const known = await db.select({ id: units.id }).from(units).where(inArray(units.id, unitIds));
    if (known.length !== unitIds.length) throw invalid("validation.invalid", "unitIds");
  }
  return {
    minRank: input.minRank,
    unitIds,
    cadreIds: ids("cadreStaffNos", input.cadreStaffNos),
    excludeCadreIds: ids("excludeStaffNos", input.excludeStaffNos),
  };
}

/** The stored rule as the form shows it again: staff numbers, not ids. */
export async function audienceFormValues(db: DbOrTx, rule: AudienceRule) {
  const ids = [...new Set([...rule.cadreIds, ...rule.excludeCadreIds])];
  const rows = ids.length ? await db.select({ id: cadres.id, staffNo: cadres.staffNo }).from(cadres).where(inArray(cadres.id, ids)) : [];
  const staffNo = new Map(rows.map((r) => [r.id, r.staffNo]));
  return {
    minRank: rule.minRank,
    unitIds: rule.unitIds,
    cadreStaffNos: rule.cadreIds
      .map((id) => staffNo.get(id) ?? "")
      .filter(Boolean)
      .join("\n"),
    excludeStaffNos: rule.excludeCadreIds
      .map((id) => staffNo.get(id) ?? "")
      .filter(Boolean)
      .join("\n"),
  };
}
