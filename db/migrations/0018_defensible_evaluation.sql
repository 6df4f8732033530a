CREATE TYPE "public"."accountability_kind" AS ENUM('reminder_talk', 'admonishment_talk', 'written_inquiry', 'criticism', 'ordered_review', 'admonition', 'organizational_adjustment');--> statement-breakpoint
CREATE TYPE "public"."accountability_source" AS ENUM('flag', 'initiative', 'public_rating');--> statement-breakpoint
CREATE TYPE "public"."accountability_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."accountability_subject" AS ENUM('unit', 'cadre');--> statement-breakpoint
CREATE TYPE "public"."ranking_commitment_status" AS ENUM('open', 'done');--> statement-breakpoint
CREATE TABLE "accountability_attachments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "accountability_attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"record_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accountability_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "accountability_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"subject" "accountability_subject" NOT NULL,
	"unit_id" integer NOT NULL,
	"cadre_id" integer,
	"kind" "accountability_kind" NOT NULL,
	"source" "accountability_source" NOT NULL,
	"flag_id" integer,
	"source_ref" text,
	"held_on" date NOT NULL,
	"interviewers" text NOT NULL,
	"findings" text NOT NULL,
	"rectification" text,
	"rectification_due" date,
	"report_text" text,
	"report_submitted_at" timestamp with time zone,
	"report_submitted_by" integer,
	"follow_up" text,
	"followed_up_at" timestamp with time zone,
	"followed_up_by" integer,
	"effect_months" integer DEFAULT 0 NOT NULL,
	"effect_until" date,
	"status" "accountability_status" DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"closing_note" text,
	"request_key" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accountability_records_cadre_subject" CHECK ("accountability_records"."subject" = 'unit' or "accountability_records"."cadre_id" is not null),
	CONSTRAINT "accountability_records_flag_source" CHECK (("accountability_records"."source" = 'flag') = ("accountability_records"."flag_id" is not null)),
	CONSTRAINT "accountability_records_closed" CHECK (("accountability_records"."status" = 'closed') = ("accountability_records"."closed_at" is not null)),
	CONSTRAINT "accountability_records_effect" CHECK ("accountability_records"."effect_months" >= 0 and ("accountability_records"."effect_months" = 0) = ("accountability_records"."effect_until" is null)),
	CONSTRAINT "accountability_records_due" CHECK ("accountability_records"."rectification_due" is null or "accountability_records"."rectification" is not null)
);
--> statement-breakpoint
CREATE TABLE "ranking_commitment_notes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_commitment_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"commitment_id" integer NOT NULL,
	"note" text NOT NULL,
	"kind" text DEFAULT 'progress' NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "ranked" boolean;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "ranking_peer_group" "unit_kind";--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "deadline" date;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "status" "ranking_commitment_status" DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "done_by_user_id" integer;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD COLUMN "tie_size" integer;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "tie_size" integer;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "participates" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "tie_size" integer;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD COLUMN "nominations_closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD COLUMN "nominations_closed_by" integer;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD COLUMN "nominations_closed_reason" text;--> statement-breakpoint
ALTER TABLE "accountability_attachments" ADD CONSTRAINT "accountability_attachments_record_id_accountability_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."accountability_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_attachments" ADD CONSTRAINT "accountability_attachments_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_flag_id_ranking_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."ranking_flags"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_report_submitted_by_users_id_fk" FOREIGN KEY ("report_submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_followed_up_by_users_id_fk" FOREIGN KEY ("followed_up_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitment_notes" ADD CONSTRAINT "ranking_commitment_notes_commitment_id_ranking_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."ranking_commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitment_notes" ADD CONSTRAINT "ranking_commitment_notes_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_attachments_record_id_sha256_index" ON "accountability_attachments" USING btree ("record_id","sha256");--> statement-breakpoint
CREATE INDEX "accountability_records_unit_id_index" ON "accountability_records" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "accountability_records_cadre_id_index" ON "accountability_records" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "accountability_records_status_rectification_due_index" ON "accountability_records" USING btree ("status","rectification_due");--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_records_one_per_flag" ON "accountability_records" USING btree ("flag_id") WHERE "accountability_records"."flag_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_records_request_key" ON "accountability_records" USING btree ("request_key") WHERE "accountability_records"."request_key" is not null;--> statement-breakpoint
CREATE INDEX "ranking_commitment_notes_commitment_id_index" ON "ranking_commitment_notes" USING btree ("commitment_id");--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_done_by_user_id_users_id_fk" FOREIGN KEY ("done_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_accountability_requests" ADD CONSTRAINT "rating_accountability_requests_accountability_record_id_accountability_records_id_fk" FOREIGN KEY ("accountability_record_id") REFERENCES "public"."accountability_records"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD CONSTRAINT "shortlist_rounds_nominations_closed_by_users_id_fk" FOREIGN KEY ("nominations_closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ranking_commitments_responsible_cadre_id_index" ON "ranking_commitments" USING btree ("responsible_cadre_id");--> statement-breakpoint
CREATE INDEX "ranking_commitments_status_deadline_index" ON "ranking_commitments" USING btree ("status","deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "rating_accountability_one_per_record" ON "rating_accountability_requests" USING btree ("accountability_record_id") WHERE "rating_accountability_requests"."accountability_record_id" is not null;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_done" CHECK (("ranking_commitments"."status" = 'done') = ("ranking_commitments"."done_at" is not null));--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD CONSTRAINT "shortlist_rounds_closed_early_reason" CHECK (("shortlist_rounds"."nominations_closed_at" is null) = ("shortlist_rounds"."nominations_closed_reason" is null) and ("shortlist_rounds"."nominations_closed_reason" is null or length(trim("shortlist_rounds"."nominations_closed_reason")) > 0));--> statement-breakpoint
-- Below: hand-written parts, in the order the work was done (docs/decisions/0021, 0022).
-- Hand-written: tied ranks (并列, docs/decisions/0021). Every stored ranking is re-ranked by the shared
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
--> statement-breakpoint
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
--> statement-breakpoint
-- Hand-written: a round published before its deadline had its nominations closed by the publication
-- itself. Record that as what it was, with the publisher, so the round says when and why they closed.
update shortlist_rounds r set nominations_closed_at = v.published_at, nominations_closed_by = v.published_by,
  nominations_closed_reason = 'Closed by the first publication, before its deadline (published before nominations had to be closed explicitly).'
from shortlist_versions v
where v.round_id = r.id and v.version = 1 and v.published_at < r.deadline and r.nominations_closed_at is null;
--> statement-breakpoint
-- Hand-written: the shortlists' rule "no open flag" becomes "no accountability record open or in
-- effect on the evaluation date" (docs/decisions/0022); rounds that applied the old rule apply the new
-- one. Published versions keep the evidence they froze.
update shortlist_rounds set rules = (rules - 'noOpenFlag') || '{"noAccountability": true}'::jsonb where rules ? 'noOpenFlag';
--> statement-breakpoint
-- Hand-written: a flag resolved before the resolver was always recorded names them from its audit entry.
update ranking_flags f set resolved_by_user_id = a.actor_user_id
from audit_log a
where a.action = 'ranking.flag_resolved' and a.entity_type = 'ranking_flag' and a.entity_id = f.id::text
  and f.resolved_by_user_id is null and a.actor_user_id is not null;
--> statement-breakpoint
-- Hand-written (the deadline column above is added nullable, then filled, then made NOT NULL as the
-- schema says): commitments recorded before they had a deadline are due by the end of the quarter
-- after their meeting's — the quarter whose ranking shows whether the unit improved.
update ranking_commitments c set deadline = (make_date(substr(m.quarter, 1, 4)::int, (substr(m.quarter, 6, 1)::int - 1) * 3 + 1, 1)
    + interval '6 months' - interval '1 day')::date
from ranking_meetings m where m.id = c.meeting_id and c.deadline is null;
--> statement-breakpoint
ALTER TABLE "ranking_commitments" ALTER COLUMN "deadline" SET NOT NULL;
