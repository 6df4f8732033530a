/**
 * The province data set the benchmarks share: 100,000 cadres in 10,000 units, 2.4 million attendance
 * rows (24 evenings a year for everyone), 500,000 frontline records, a year of ratings and a quarter of
 * assessments, with one cadre in forty transferred mid-quarter (about a tenth of the cadres a year).
 * Generated set-based (generate_series) into a throw-away embedded PostgreSQL, which is then restarted
 * with shared_buffers = 512MB (a server for a province would have more; the default 128MB does not hold
 * the attendance table).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { connect } from "~db/client";
import { startEmbeddedPostgres } from "~db/embedded";
import { runMigrations } from "~db/migrate";

export const PROVINCE_QUARTER = "2026Q3";
const SESSIONS = 24;
const FRONTLINE_PER_CADRE = 5;

export interface Province {
  url: string;
  connection: ReturnType<typeof connect>;
  sizes: Record<string, number>;
  stop: () => Promise<void>;
}

export async function createProvince(options: {
  cadres: number;
  units: number;
  log: (line: string) => void;
  poolSize?: number;
}): Promise<Province> {
  const { cadres: CADRES, units: UNITS, log } = options;
  const QUARTER = PROVINCE_QUARTER;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "luoshi-bench-province-"));
  await fs.chmod(dir, 0o755);
  let pg = await startEmbeddedPostgres({ dataDir: dir, log });
  let connection = connect(pg.url(), { max: 2 });
  try {
    await runMigrations(pg.url());
    const db = connection.db;
    const generated = performance.now();
    await db.transaction(async (tx) => {
      // Bulk load without per-row foreign-key triggers; the generator keeps the keys consistent itself.
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        insert into units (code, name, kind)
        select 'U' || lpad(g::text, 6, '0'), '单位' || g,
          (array['department','town','park','enterprise','other'])[1 + (g % 5)]::unit_kind
        from generate_series(1, ${UNITS}) g`);
      await tx.execute(sql`
        insert into cadres (staff_no, name, unit_id, rank, status)
        select 'P' || lpad(g::text, 7, '0'), '干部' || g, 1 + (g % ${UNITS}),
          (case when g % 100 < 30 then 'staff' when g % 100 < 60 then 'deputy_section' when g % 100 < 85 then 'section'
                when g % 100 < 97 then 'deputy_county' else 'county' end)::cadre_rank,
          (case when g % 97 = 0 then 'retired' else 'active' end)::cadre_status
        from generate_series(1, ${CADRES}) g`);
      // One in forty moved on 15 August from a neighbouring unit.
      await tx.execute(sql`
        insert into unit_memberships (cadre_id, unit_id, start_date, end_date)
        select id, unit_id, case when id % 40 = 0 then date '2026-08-15' end, null from cadres`);
      await tx.execute(sql`
        insert into unit_memberships (cadre_id, unit_id, start_date, end_date)
        select id, 1 + ((unit_id) % ${UNITS}), null, date '2026-08-15' from cadres where id % 40 = 0`);
      await tx.execute(sql`
        insert into class_sessions (code, title, starts_at, ends_at, registration_deadline, training_hours, status, audience)
        select '2026-' || lpad(g::text, 2, '0'), '夜课堂',
          timestamptz '2026-01-14 11:30Z' + (g - 1) * interval '15 days',
          timestamptz '2026-01-14 13:00Z' + (g - 1) * interval '15 days',
          timestamptz '2026-01-14 05:30Z' + (g - 1) * interval '15 days',
          1.5, (case when g <= 21 then 'closed' else 'published' end)::class_session_status,
          '{"minRank":null,"unitIds":[],"cadreIds":[],"excludeCadreIds":[]}'
        from generate_series(1, ${SESSIONS}) g`);
      await tx.execute(sql`
        insert into class_registrations (session_id, cadre_id, source)
        select s.id, c.id, 'mandatory' from class_sessions s cross join cadres c`);
      await tx.execute(sql`
        insert into attendance_records (session_id, cadre_id, status, source)
        select s.id, c.id,
          (case when x.h < 75 then 'present' when x.h < 85 then 'late' when x.h < 90 then 'excused' else 'absent' end)::attendance_status,
          'close'
        from class_sessions s cross join cadres c
        -- A hashed draw per cadre and evening (0–99), shifted per cadre: varied like real attendance, and repeatable.
        cross join lateral (select (abs(hashint8(c.id::bigint * 1000003 + s.id)) % 100 + (abs(hashint4(c.id)) % 21) - 10) as h) x`);
      await tx.execute(sql`
        insert into attendance_makeups (session_id, cadre_id, status)
        select a.session_id, a.cadre_id, 'confirmed' from attendance_records a where a.status = 'excused' and a.cadre_id % 3 = 0`);
      await tx.execute(sql`
        insert into frontline_records (cadre_id, category, place, start_date, end_date, summary, status)
        select c.id, 'petition', '地点' || k, d, d + (abs(hashint8(c.id::bigint * 31 + k)) % 9)::int,
          '一线工作', (case when (c.id + k) % 10 = 0 then 'submitted' else 'verified' end)::frontline_status
        from cadres c cross join generate_series(1, ${FRONTLINE_PER_CADRE}) k
        cross join lateral (select date '2026-01-01' + (abs(hashint8(c.id::bigint * 1009 + k)) % 330)::int as d) x`);
      await tx.execute(sql`
        insert into ranking_assessments (cadre_id, quarter, grade, source)
        select id, ${QUARTER}, (array['good','fairly_good','average','poor'])[1 + abs(hashint4(id * 7)) % 4]::assessment_grade, 'import'
        from cadres where id % 8 <> 0`);
      await tx.execute(sql`
        insert into satisfaction_ratings (unit_id, date, satisfied, unsatisfied)
        select u.id, date '2026-01-01' + m * 30, 20 + abs(hashint4(u.id * 12 + m)) % 80, abs(hashint4(u.id * 12 + m + 5)) % 15
        from units u cross join generate_series(0, 11) m where u.id % 4 <> 0`);
      await tx.execute(sql`
        insert into audit_log (at, action, entity_type, entity_id, before, after)
        select timestamptz '2026-10-20 02:00Z', 'cadre.updated', 'cadre', id::text,
          jsonb_build_object('rank', rank), jsonb_build_object('rank', 'county')
        from cadres where id % 50 = 0`);
    });
    await db.execute(sql`vacuum analyze`);
    await db.execute(sql`alter system set shared_buffers = '512MB'`);
    await connection.close();
    await pg.stop();
    pg = await startEmbeddedPostgres({ dataDir: dir, log });
    connection = connect(pg.url(), { max: options.poolSize ?? 2 });
    const [sizes] = await connection.db.execute<Record<string, number>>(sql`
      select (select count(*) from cadres)::int as cadres, (select count(*) from units)::int as units,
        (select count(*) from attendance_records)::int as attendance, (select count(*) from frontline_records)::int as frontline`);
    log(`generated in ${((performance.now() - generated) / 1000).toFixed(1)} s: ${JSON.stringify(sizes)}`);

    const opened = pg;
    const open = connection;
    return {
      url: opened.url(),
      connection: open,
      sizes: sizes!,
      stop: async () => {
        await open.close();
        await opened.stop();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await connection.close().catch(() => {});
    await pg.stop().catch(() => {});
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
}
