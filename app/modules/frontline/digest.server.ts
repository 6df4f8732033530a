import { sql } from "drizzle-orm";
import { unitTreeCte } from "~/modules/organization/tree.server";
import { idList } from "~/utils/sql.server";
import type { DbOrTx } from "~db/client";
import { RANKS, type Rank } from "~db/schema/enums";
import type { FrontlineCategory } from "~db/schema/frontline";
import { monthInterval } from "./days";
import { quotaStanding } from "./days.server";
import { getFrontlineRules } from "./settings.server";

/**
 * What frontline work tells the weekly digest (digest/gather.server.ts), for every unit it asks about
 * at once (the unit and every unit below it).
 */

/** Records waiting for verification, oldest first, the first `records` of each unit; never the head's own or one they submitted. */
export async function submittedRecordsByUnit(db: DbOrTx, roots: readonly number[], options: { records: number }) {
  return db.execute<{
    root_id: number;
    total: number;
    name: string;
    category: FrontlineCategory;
    place: string;
    start_date: string;
    end_date: string;
  }>(sql`
    with recursive ${unitTreeCte(roots)},
    p as (
      select t.root_id, c.name, r.category, r.place, r.start_date::text as start_date, r.end_date::text as end_date,
        row_number() over (partition by t.root_id order by r.submitted_at, r.id) as n,
        count(*) over (partition by t.root_id) as total
      from frontline_records r
      join cadres c on c.id = r.cadre_id
      join tree t on t.unit_id = c.unit_id
      join units ru on ru.id = t.root_id
      left join users hu on hu.cadre_id = ru.head_cadre_id
      where r.status = 'submitted'
        and r.cadre_id is distinct from ru.head_cadre_id
        and (r.submitted_by_user_id is null or hu.id is null or r.submitted_by_user_id <> hu.id)
    )
    select root_id, total::int as total, name, category, place, start_date, end_date
    from p where n <= ${options.records}
    order by root_id, n`);
}

/**
 * Cadres of each unit short of the monthly quota in `month` (a finished month), most days missing
 * first, then by rank: the first `names` of each unit and how many there are. The quota rows come from
 * the set-based quotaStanding over every unit, rolled up to the asked-for units here.
 */
export async function quotaShortfallsByUnit(db: DbOrTx, roots: readonly number[], month: string, options: { names: number }) {
  const out = new Map<number, { rows: { name: string; days: number; quota: number }[]; total: number }>();
  const rules = await getFrontlineRules(db);
  if (Object.values(rules.monthlyQuota).every((q) => q <= 0)) return out;
  const lastDay = monthInterval(month).end;
  const [rows, tree] = await Promise.all([
    quotaStanding(db, { fromMonth: month, toMonth: month, today: lastDay, rules }),
    db.execute<{ unit_id: number; root_id: number }>(sql`with recursive ${unitTreeCte(roots)} select unit_id, root_id from tree`),
  ]);
  const short = rows.filter((r) => r.shortfall > 0);
  if (!short.length) return out;
  const rootsOf = new Map<number, number[]>();
  for (const t of tree) rootsOf.set(Number(t.unit_id), [...(rootsOf.get(Number(t.unit_id)) ?? []), Number(t.root_id)]);
  const people = new Map(
    (
      await db.execute<{ id: number; name: string; rank: Rank; staff_no: string }>(
        sql`select id, name, rank, staff_no from cadres where id in ${idList(short.map((r) => r.cadreId))}`,
      )
    ).map((p) => [Number(p.id), p]),
  );
  const rankOrder = (r: Rank) => RANKS.indexOf(r);
  const byRoot = new Map<number, typeof short>();
  for (const r of short) {
    for (const root of rootsOf.get(r.unitId) ?? []) byRoot.set(root, [...(byRoot.get(root) ?? []), r]);
  }
  for (const [root, list] of byRoot) {
    list.sort((a, b) => {
      const pa = people.get(a.cadreId)!;
      const pb = people.get(b.cadreId)!;
      return b.shortfall - a.shortfall || rankOrder(pb.rank) - rankOrder(pa.rank) || pa.staff_no.localeCompare(pb.staff_no);
    });
    out.set(root, {
      rows: list.slice(0, options.names).map((r) => ({ name: people.get(r.cadreId)!.name, days: r.days, quota: r.quota })),
      total: list.length,
    });
  }
  return out;
}
