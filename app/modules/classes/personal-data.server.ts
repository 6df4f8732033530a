import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** A cadre's night-class registrations and leave requests, for their data export. */
export async function classesPersonalData(db: DbOrTx, cadreId: number) {
  return {
    classes: await db.execute(sql`
      select s.code as session, s.title, s.starts_at, r.status, r.source, v.name as venue, r.registered_at, r.cancelled_at
      from class_registrations r join class_sessions s on s.id = r.session_id left join class_venues v on v.id = r.venue_id
      where r.cadre_id = ${cadreId} order by s.starts_at`),
    leave: await db.execute(sql`
      select s.code as session, s.title, l.reason, l.status, l.decided_at, l.decision_comment, l.created_at
      from class_leave_requests l join class_sessions s on s.id = l.session_id
      where l.cadre_id = ${cadreId} order by l.created_at`),
  };
}
