import { sql } from "drizzle-orm";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import type { AccountabilityKind } from "~db/schema/accountability";
import { standsAgainst } from "./rules";

/**
 * What the promotion shortlists read of the accountability records: for each cadre, the records that
 * stand against them on the evaluation date — open on that day (opened by then, not yet closed), or in
 * their effect period (诫勉 six months, 组织调整 twelve by default) — each with what it is, so that the
 * evidence names the record. One query for any number of cadres.
 */
export interface RecordEvidence {
  recordId: number;
  kind: AccountabilityKind;
  unitId: number;
  unitName: string;
  heldOn: string;
  effectUntil: string | null;
  /** Why it stands on the evaluation date. */
  reason: "open" | "inEffect";
}

export async function recordsAgainst(db: DbOrTx, cadreIds: number[], asOf: string): Promise<Map<number, RecordEvidence[]>> {
  const out = new Map<number, RecordEvidence[]>();
  if (!cadreIds.length) return out;
  const rows = await db.execute<{
    id: number;
    cadre_id: number;
    kind: AccountabilityKind;
    unit_id: number;
    unit_name: string;
    held_on: string;
    effect_until: string | null;
    status: "open" | "closed";
    created_at: string;
    closed_at: string | null;
  }>(sql`
    select r.id, r.cadre_id, r.kind, r.unit_id, u.name as unit_name, r.held_on::text, r.effect_until::text, r.status,
      to_json(r.created_at) #>> '{}' as created_at, to_json(r.closed_at) #>> '{}' as closed_at
    from accountability_records r
    join units u on u.id = r.unit_id
    where r.cadre_id in ${idList(cadreIds)}
      and (
        ((r.created_at at time zone 'Asia/Shanghai')::date <= ${asOf}::date
          and (r.closed_at is null or (r.closed_at at time zone 'Asia/Shanghai')::date > ${asOf}::date))
        or (r.effect_until is not null and r.held_on <= ${asOf}::date and r.effect_until >= ${asOf}::date))
    order by r.cadre_id, r.held_on, r.id`);
  for (const r of rows) {
    const reason = standsAgainst(
      { status: r.status, heldOn: r.held_on, effectUntil: r.effect_until, createdAt: r.created_at, closedAt: r.closed_at },
      asOf,
    );
    if (!reason) continue;
    const id = Number(r.cadre_id);
    out.set(id, [
      ...(out.get(id) ?? []),
      {
        recordId: Number(r.id),
        kind: r.kind,
        unitId: Number(r.unit_id),
        unitName: r.unit_name,
        heldOn: r.held_on,
        effectUntil: r.effect_until,
        reason,
      },
    ]);
  }
  return out;
}
