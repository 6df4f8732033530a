import type postgres from "postgres";
import type { DbOrTx } from "~db/client";
import { ADDRESS_LIMIT } from "./rules";

/**
 * The rating's one statement, for any number of ratings at once (docs/decisions/0016). Per input row:
 * find the point by its code (live or retired); count the address's counted ratings at that point in
 * the last ADDRESS_LIMIT.windowMinutes (plus the batch's earlier rows from that address); insert it as
 * counted unless the address is over its limit or the device already has today's counted rating there
 * (the partial unique index decides, also against a statement running at the same moment; within the
 * batch the first row of a device and point wins); keep every other row as not counted, with why; open
 * the follow-up case of each counted 不满意. One round trip, one transaction, one commit for the batch.
 * Rows are written in (point, device) order by every statement, so two statements never wait on each
 * other crosswise.
 */

export interface RatingRow {
  code: string;
  satisfied: boolean;
  reasons: string[];
  comment: string | null;
  deviceId: string;
  addressHash: string;
  phone: string | null;
}

export interface RatingRowResult {
  pointId: number | null;
  retired: boolean;
  counted: boolean;
  limited: boolean;
}

const TEXT = `
with input as (
  select * from jsonb_to_recordset($1::jsonb)
    as i(ord int, code text, satisfied boolean, reasons text, comment text, device_id text, address_hash text, phone text)
),
p as (
  select i.*, rp.id as point_id, rp.unit_id, rp.retired_at is not null as retired
  from input i left join rating_points rp on rp.code = i.code
),
v as (
  select p.*,
    (select count(*) from public_ratings r
      where r.point_id = p.point_id and r.address_hash = p.address_hash and r.counted
        and r.rated_at > $2::timestamptz - make_interval(mins => ${ADDRESS_LIMIT.windowMinutes}))
      + count(*) over (partition by p.point_id, p.address_hash order by p.ord) - 1 >= ${ADDRESS_LIMIT.ratings} as limited,
    row_number() over (partition by p.point_id, p.device_id order by p.ord) as nth
  from p where p.point_id is not null and not p.retired
),
first as (
  insert into public_ratings (point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, counted)
  select point_id, unit_id, $2::timestamptz, $3::date, satisfied, string_to_array(reasons, ',')::rating_reason[], comment, device_id, address_hash, true
  from v where not limited and nth = 1
  order by point_id, device_id
  on conflict (point_id, device_id, rated_on) where counted do nothing
  returning id, point_id, unit_id, device_id, satisfied
),
kept as (
  insert into public_ratings (point_id, unit_id, rated_at, rated_on, satisfied, reasons, comment, device_id, address_hash, counted, not_counted)
  select v.point_id, v.unit_id, $2::timestamptz, $3::date, v.satisfied, string_to_array(v.reasons, ',')::rating_reason[], v.comment,
    v.device_id, v.address_hash, false, case when v.limited then 'address_limit' else 'repeat' end::rating_not_counted
  from v
  where v.nth > 1 or not exists (select 1 from first f where f.point_id = v.point_id and f.device_id = v.device_id)
  order by v.point_id, v.device_id
  returning 1
),
opened as (
  insert into rating_cases (rating_id, unit_id, point_id, opened_at, due_on, phone)
  select f.id, f.unit_id, f.point_id, $2::timestamptz, $4::date, v.phone
  from first f join v on v.point_id = f.point_id and v.device_id = f.device_id and v.nth = 1
  where not f.satisfied
  returning 1
)
select p.ord, p.point_id, coalesce(p.retired, false) as retired,
  coalesce(v.nth = 1 and exists (select 1 from first f where f.point_id = v.point_id and f.device_id = v.device_id), false) as counted,
  coalesce(v.limited, false) as limited,
  (select count(*) from kept) + (select count(*) from opened) as written
from p left join v on v.ord = p.ord
order by p.ord`;

/** Runs the statement as a named prepared statement on the handle's connection (pool or transaction). */
export async function runRatingStatement(
  db: DbOrTx,
  rows: readonly RatingRow[],
  at: { now: Date; day: string; dueOn: string },
): Promise<RatingRowResult[]> {
  const client = (db as unknown as { session?: { client?: postgres.Sql } }).session?.client;
  if (!client) throw new Error("ratings: no SQL client on this database handle");
  const input = rows.map((r, ord) => ({
    ord,
    code: r.code,
    satisfied: r.satisfied,
    reasons: r.reasons.join(","),
    comment: r.comment,
    device_id: r.deviceId,
    address_hash: r.addressHash,
    phone: r.phone,
  }));
  const params = [JSON.stringify(input), at.now.toISOString(), at.day, at.dueOn];
  const result = await client.unsafe<{ ord: number; point_id: number | null; retired: boolean; counted: boolean; limited: boolean }[]>(
    TEXT,
    params as postgres.ParameterOrJSON<never>[],
    { prepare: true },
  );
  return result.map((r) => ({ pointId: r.point_id, retired: r.retired, counted: r.counted, limited: r.limited }));
}
