import { sql } from "drizzle-orm";
import { type AuditEntry, audit } from "~/modules/audit/service.server";
import { textList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { units } from "~db/schema";
import type { UnitKind } from "~db/schema/enums";
import { type ApplyContext, chunked, importReason } from "./batching.server";
import { countActions, type ImportKindHandler } from "./registry.server";
import type { FieldChange, ImportProblem, RowChange } from "./types";
import { type UnitRow, unitKind } from "./units";

export interface UnitSnapshot {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}

export interface UnitPlanItem {
  row: UnitRow;
  action: "create" | "update" | "unchanged";
  before: UnitSnapshot | null;
  after: UnitSnapshot;
  fields: FieldChange[];
}

export interface UnitPlan {
  items: UnitPlanItem[];
  problems: ImportProblem[];
}

/**
 * What importing these rows would do to the units table, and what stops it: a parent code found neither
 * in the file nor in the database, or parents that would form a cycle. Reads only.
 */
export async function planUnits(db: DbOrTx, allRows: UnitRow[], options: { parentHeader: string }): Promise<UnitPlan> {
  const problems: ImportProblem[] = [];
  // Rows with problems of their own still name units (a parent of others) and are still checked.
  const fileCodes = new Set(allRows.map((r) => r.code).filter(Boolean));
  const rows = allRows.filter((r) => !r.invalid);
  const parentCodes = [...new Set(allRows.map((r) => r.parentCode).filter((c): c is string => !!c))];

  // The units the file names, and every ancestor of the parents it names (to see cycles through them).
  const lookupCodes = [...new Set([...fileCodes, ...parentCodes])];
  const existing = new Map<string, UnitSnapshot>();
  if (lookupCodes.length) {
    const found = await db.execute<{ code: string; name: string; kind: UnitKind; parent_code: string | null }>(sql`
      with recursive chain(id, code, name, kind, parent_id, depth) as (
        select id, code, name, kind, parent_id, 0 from ${units} where code in ${textList(lookupCodes)}
        union
        select u.id, u.code, u.name, u.kind, u.parent_id, c.depth + 1 from ${units} u join chain c on u.id = c.parent_id
        where c.depth < 100
      )
      select distinct c.code, c.name, c.kind, p.code as parent_code from chain c left join ${units} p on p.id = c.parent_id`);
    for (const u of found) existing.set(u.code, { code: u.code, name: u.name, kind: u.kind, parentCode: u.parent_code });
  }

  for (const r of allRows.filter((r) => r.invalid)) {
    if (r.parentCode && !fileCodes.has(r.parentCode) && !existing.has(r.parentCode)) {
      problems.push({
        row: r.row,
        column: options.parentHeader,
        messageKey: "imports.errors.parentNotFound",
        params: { value: r.parentCode },
      });
    }
  }

  const finalParent = new Map<string, string | null>();
  for (const [code, u] of existing) finalParent.set(code, u.parentCode);
  for (const r of rows) finalParent.set(r.code, r.parentCode === undefined ? (existing.get(r.code)?.parentCode ?? null) : r.parentCode);

  const items: UnitPlanItem[] = [];
  for (const r of rows) {
    const before = existing.get(r.code) ?? null;
    const parentCode = finalParent.get(r.code) ?? null;
    if (r.parentCode && !fileCodes.has(r.parentCode) && !existing.has(r.parentCode)) {
      problems.push({
        row: r.row,
        column: options.parentHeader,
        messageKey: "imports.errors.parentNotFound",
        params: { value: r.parentCode },
      });
      continue;
    }
    if (r.parentCode && inCycle(r.code, finalParent)) {
      problems.push({ row: r.row, column: options.parentHeader, messageKey: "imports.errors.cycle", params: { value: r.parentCode } });
      continue;
    }
    const after: UnitSnapshot = { code: r.code, name: r.name, kind: r.kind, parentCode };
    const fields = before ? diffUnit(before, after) : [];
    items.push({ row: r, action: !before ? "create" : fields.length ? "update" : "unchanged", before, after, fields });
  }
  return { items, problems };
}

/** Whether following parents up from this unit comes back to it. */
function inCycle(code: string, parentOf: Map<string, string | null>): boolean {
  const seen = new Set<string>();
  let current = parentOf.get(code) ?? null;
  while (current) {
    if (current === code) return true;
    if (seen.has(current)) return false; // a cycle above us, reported on its own rows
    seen.add(current);
    current = parentOf.get(current) ?? null;
  }
  return false;
}

function diffUnit(before: UnitSnapshot, after: UnitSnapshot): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const field of ["name", "kind", "parentCode"] as const) {
    if (before[field] !== after[field]) fields.push({ field, before: before[field], after: after[field] });
  }
  return fields;
}

export function unitChanges(plan: UnitPlan): RowChange[] {
  return plan.items
    .filter((i) => i.action !== "unchanged")
    .map((i) => ({ row: i.row.row, key: i.row.code, name: i.row.name, action: i.action, fields: i.fields }));
}

/**
 * Writes a clean plan: new and changed units upserted by code a chunk at a time, then parents linked in
 * one pass (a parent may come later in the file than its children), each change audited.
 */
export async function applyUnits(tx: DbOrTx, plan: UnitPlan, ctx: ApplyContext): Promise<void> {
  const reason = importReason(ctx.batchId);
  let processed = 0;
  for (const chunk of chunked(plan.items)) {
    const changed = chunk.filter((i) => i.action !== "unchanged");
    if (changed.length) {
      const written = await tx
        .insert(units)
        .values(changed.map((i) => ({ code: i.after.code, name: i.after.name, kind: i.after.kind })))
        .onConflictDoUpdate({
          target: units.code,
          set: { name: sql`excluded.name`, kind: sql`excluded.kind`, updatedAt: sql`now()` },
        })
        .returning({ id: units.id, code: units.code });
      const idOf = new Map(written.map((w) => [w.code, w.id]));
      const entries: AuditEntry[] = changed.map((i) => ({
        action: i.action === "create" ? "unit.created" : "unit.updated",
        entityType: "unit",
        entityId: idOf.get(i.after.code),
        before: i.before,
        after: i.after,
        reason,
      }));
      await audit(tx, ctx.actor, entries);
    }
    processed += chunk.length;
    await ctx.progress(processed);
  }

  const relink = plan.items.filter((i) => i.after.parentCode !== (i.before?.parentCode ?? null));
  for (const chunk of chunked(relink)) {
    const links = chunk.map((i) => ({ code: i.after.code, parent_code: i.after.parentCode }));
    await tx.execute(sql`
      update ${units} u set parent_id = p.id, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as x(code text, parent_code text)
      left join ${units} p on p.code = x.parent_code
      where u.code = x.code`);
  }
}

export const unitImport: ImportKindHandler<UnitRow, UnitPlan> = {
  ...unitKind,
  async plan(db, rows, options) {
    const plan = await planUnits(db, rows, { parentHeader: options.column("parentCode") });
    return { problems: plan.problems, changes: unitChanges(plan), counts: countActions(plan.items, unitKind.counts), plan };
  },
  apply: applyUnits,
};
