import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

/** A cadre's attendance and make-up study, for their data export. */
export async function attendancePersonalData(db: DbOrTx, cadreId: number) {
  return {
    attendance: await db.execute(sql`
      select s.code as session, s.title, s.starts_at, a.status, a.source, a.checked_in_at, a.minutes_watched,
        a.walk_in, a.other_venue, a.device_id, a.client_address
      from attendance_records a join class_sessions s on s.id = a.session_id
      where a.cadre_id = ${cadreId} order by s.starts_at`),
    makeups: await db.execute(sql`
      select s.code as session, s.title, m.status, m.created_at
      from attendance_makeups m join class_sessions s on s.id = m.session_id
      where m.cadre_id = ${cadreId} order by m.created_at`),
  };
}
