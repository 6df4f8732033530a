ALTER TABLE "ranking_cadre_results" ADD COLUMN "tie_size" integer;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "tie_size" integer;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD COLUMN "tie_size" integer;--> statement-breakpoint
-- Hand-written: tied ranks (并列, docs/decisions/0015). Every stored ranking is re-ranked by the shared
-- rule from its own frozen rows: rows of a peer group equal on the rounded score and the exact
-- attendance value share the rank (competition ranking 1, 2, 2, 4), and tie_size counts them. The
-- order is the one score.server.ts uses: the score in ten-thousandths, the attendance value as a double,
-- then exactly (numerator ÷ denominator at 30 decimals); not applicable counts lowest. Inputs, scores
-- and the inputs' hashes are untouched; a published ranking recomputed from its rows ("verify") gives
-- these ranks. Agenda slots and flags keep their rank as stored in the same ranking, now the shared one.
create temp table shared_cadre_ranks on commit drop as
select ranking_id, cadre_id,
  rank() over (partition by ranking_id, band order by (score * 10000)::bigint desc, attendance_value desc nulls last, att desc nulls last)::int as rank,
  count(*) over (partition by ranking_id, band, (score * 10000)::bigint, attendance_value, att)::int as tie_size
from (
  select ranking_id, cadre_id, band, score, attendance_value,
    case when attendance_den > 0 then attendance_num::numeric(60,30) / attendance_den end as att
  from ranking_cadre_results where score is not null
) s;
--> statement-breakpoint
create temp table shared_unit_ranks on commit drop as
select ranking_id, unit_id,
  rank() over (partition by ranking_id, peer_group order by (score * 10000)::bigint desc, attendance_value desc nulls last, att desc nulls last)::int as rank,
  count(*) over (partition by ranking_id, peer_group, (score * 10000)::bigint, attendance_value, att)::int as tie_size
from (
  select ranking_id, unit_id, peer_group, score, attendance_value,
    case when attendance_den > 0 then attendance_num::numeric(60,30) / attendance_den end as att
  from ranking_unit_results where score is not null
) s;
--> statement-breakpoint
insert into audit_log (actor_label, action, entity_type, entity_id, before, after, reason)
select 'migration', 'ranking.ranks_shared', 'ranking', k.id::text,
  jsonb_build_object('rule', 'sequential: ties broken by code or staff number'),
  jsonb_build_object('rule', 'shared: ties share the rank (1, 2, 2, 4)',
    'cadresMoved', (select count(*) from ranking_cadre_results r join shared_cadre_ranks x using (ranking_id, cadre_id) where r.ranking_id = k.id and r.rank <> x.rank),
    'unitsMoved', (select count(*) from ranking_unit_results r join shared_unit_ranks x using (ranking_id, unit_id) where r.ranking_id = k.id and r.rank <> x.rank)),
  'Ranks shared by rows equal on score and attendance, as the scoring model states (并列).'
from rankings k
where exists (select 1 from ranking_cadre_results r join shared_cadre_ranks x using (ranking_id, cadre_id) where r.ranking_id = k.id and r.rank <> x.rank)
   or exists (select 1 from ranking_unit_results r join shared_unit_ranks x using (ranking_id, unit_id) where r.ranking_id = k.id and r.rank <> x.rank)
order by k.id;
--> statement-breakpoint
update ranking_cadre_results r set rank = x.rank, tie_size = x.tie_size
from shared_cadre_ranks x where x.ranking_id = r.ranking_id and x.cadre_id = r.cadre_id;
--> statement-breakpoint
update ranking_unit_results r set rank = x.rank, tie_size = x.tie_size
from shared_unit_ranks x where x.ranking_id = r.ranking_id and x.unit_id = r.unit_id;
--> statement-breakpoint
update ranking_meeting_items i set rank = r.rank, tie_size = r.tie_size
from ranking_meetings m, ranking_unit_results r
where m.id = i.meeting_id and r.ranking_id = m.ranking_id and r.unit_id = i.unit_id;
--> statement-breakpoint
update ranking_flags f set rank = r.rank
from ranking_unit_results r where r.ranking_id = f.ranking_id and r.unit_id = f.unit_id and r.rank is not null;
--> statement-breakpoint
update ranking_flags f set previous_rank = r.rank
from ranking_unit_results r where r.ranking_id = f.previous_ranking_id and r.unit_id = f.unit_id and r.rank is not null;
