import { sql } from "drizzle-orm";
import { unitTreeCte } from "~/modules/organization/tree.server";
import type { DbOrTx } from "~db/client";

/**
 * What the shortlists tell the weekly digest (digest/gather.server.ts): per unit (the unit and every
 * unit below it), the nominations of its cadres in open rounds, not withdrawn and not yet decided,
 * with the first `names` nominees by rank.
 */
export async function openNominationsByUnit(db: DbOrTx, roots: readonly number[], options: { names: number }) {
  return db.execute<{
    root_id: number;
    round_id: number;
    round_name: string;
    deadline: string;
    total: number;
    names: { name: string }[] | null;
  }>(sql`
    with recursive ${unitTreeCte(roots)},
    n as (
      select t.root_id, r.id as round_id, r.name as round_name, r.deadline, c.name,
        row_number() over (partition by t.root_id, r.id order by c.rank desc, c.staff_no) as k
      from shortlist_nominations n
      join shortlist_rounds r on r.id = n.round_id and r.status = 'open'
      join cadres c on c.id = n.cadre_id
      join tree t on t.unit_id = n.unit_id
      where n.withdrawn_at is null and n.decision is null
    )
    select root_id, round_id, round_name, to_json(deadline) #>> '{}' as deadline, count(*)::int as total,
      json_agg(json_build_object('name', name) order by k) filter (where k <= ${options.names}) as names
    from n
    group by root_id, round_id, round_name, deadline
    order by root_id, deadline, round_id`);
}
