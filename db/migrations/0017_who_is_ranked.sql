ALTER TABLE "units" ADD COLUMN "ranked" boolean;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "ranking_peer_group" "unit_kind";--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "participates" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Hand-written: who is ranked (参与排名). With ranked null a unit follows the default — directly under
-- the city or county: yes; a sub-unit: no — so existing sub-units (a bureau's school, a town's service
-- centre) leave the rankings from the next computation on. The leadership pseudo-unit that holds the
-- city's or county's leaders (示范市市级领导, 县级领导, 领导班子) is set to no explicitly. Every unit whose
-- participation changes gets an audit entry; rankings already computed keep the units they ranked.
update units set ranked = false where parent_id is null and (name ~ '级领导$' or name like '%领导班子%');
--> statement-breakpoint
insert into audit_log (actor_label, action, entity_type, entity_id, before, after, reason)
select 'migration', 'unit.ranking_changed', 'unit', id::text, jsonb_build_object('ranked', true),
  jsonb_build_object('ranked', false, 'by', case when ranked is false then 'explicit' else 'default' end),
  case when ranked is false then 'The leadership pseudo-unit is not a unit to rank against others.'
    else 'Sub-units are not ranked by default (参与排名).' end
from units
where parent_id is not null or ranked is false
order by id;
