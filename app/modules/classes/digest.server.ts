import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { unitTreeCte } from "~/modules/organization/tree.server";
import type { DbOrTx } from "~db/client";
import { classSessions } from "~db/schema";

type ClassSession = typeof classSessions.$inferSelect;

import { audienceCondition } from "./enrolment.server";

/**
 * What night classes tell the weekly digest (digest/gather.server.ts): the published sessions coming
 * up, and for each, per unit (the unit and every unit below it), the cadres of its mandatory audience,
 * those without a registration and the leave requests waiting for a decision (the head's own are not
 * theirs to decide). One statement per coming session (a fortnight holds one or two), over every unit.
 */
export async function comingSessionsByUnit(
  db: DbOrTx,
  roots: readonly number[],
  options: { from: Date; until: Date; names: number },
): Promise<{ session: ClassSession; units: Awaited<ReturnType<typeof sessionByUnit>> }[]> {
  const sessions = await db
    .select()
    .from(classSessions)
    .where(and(eq(classSessions.status, "published"), gt(classSessions.startsAt, options.from), lt(classSessions.startsAt, options.until)))
    .orderBy(asc(classSessions.startsAt), asc(classSessions.id));
  const out = [];
  for (const session of sessions) out.push({ session, units: await sessionByUnit(db, roots, session, options.names) });
  return out;
}

async function sessionByUnit(db: DbOrTx, roots: readonly number[], session: ClassSession, names: number) {
  const inAudience = session.audienceMandatory ? await audienceCondition(db, session.audience) : sql`false`;
  return db.execute<{
    root_id: number;
    audience: number;
    not_registered: number;
    leave_pending: number;
    not_registered_names: { name: string }[] | null;
    leave_pending_names: { name: string }[] | null;
  }>(sql`
    with recursive ${unitTreeCte(roots)},
    p as (
      select cadres.id, cadres.name, cadres.rank, cadres.staff_no, cadres.unit_id,
        (${inAudience}) as in_audience,
        coalesce(r.status = 'registered', false) as registered,
        l.id is not null as leave_pending
      from cadres
      left join class_registrations r on r.session_id = ${session.id} and r.cadre_id = cadres.id
      left join class_leave_requests l on l.session_id = ${session.id} and l.cadre_id = cadres.id and l.status = 'pending'
      where cadres.status = 'active' and ((${inAudience}) or l.id is not null)
    ),
    y as (
      select t.root_id, p.name, p.rank, p.staff_no, p.in_audience, p.registered,
        p.leave_pending and p.id is distinct from ru.head_cadre_id as leave_pending
      from p join tree t on t.unit_id = p.unit_id join units ru on ru.id = t.root_id
    ),
    ranked as (
      select y.*,
        row_number() over (partition by root_id, (in_audience and not registered) order by rank desc, staff_no) as nr,
        row_number() over (partition by root_id, leave_pending order by rank desc, staff_no) as nl
      from y
    )
    select root_id,
      (count(*) filter (where in_audience))::int as audience,
      (count(*) filter (where in_audience and not registered))::int as not_registered,
      (count(*) filter (where leave_pending))::int as leave_pending,
      json_agg(json_build_object('name', name) order by nr) filter (where in_audience and not registered and nr <= ${names}) as not_registered_names,
      json_agg(json_build_object('name', name) order by nl) filter (where leave_pending and nl <= ${names}) as leave_pending_names
    from ranked
    group by root_id
    having count(*) filter (where in_audience) > 0 or count(*) filter (where leave_pending) > 0`);
}
