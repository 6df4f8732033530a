CREATE TYPE "public"."accountability_kind" AS ENUM('reminder_talk', 'admonishment_talk', 'written_inquiry', 'criticism', 'ordered_review', 'admonition', 'organizational_adjustment');--> statement-breakpoint
CREATE TYPE "public"."accountability_source" AS ENUM('flag', 'initiative', 'public_rating');--> statement-breakpoint
CREATE TYPE "public"."accountability_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."accountability_subject" AS ENUM('unit', 'cadre');--> statement-breakpoint
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
ALTER TABLE "accountability_attachments" ADD CONSTRAINT "accountability_attachments_record_id_accountability_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."accountability_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_attachments" ADD CONSTRAINT "accountability_attachments_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_flag_id_ranking_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."ranking_flags"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_report_submitted_by_users_id_fk" FOREIGN KEY ("report_submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_followed_up_by_users_id_fk" FOREIGN KEY ("followed_up_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_attachments_record_id_sha256_index" ON "accountability_attachments" USING btree ("record_id","sha256");--> statement-breakpoint
CREATE INDEX "accountability_records_unit_id_index" ON "accountability_records" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "accountability_records_cadre_id_index" ON "accountability_records" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "accountability_records_status_rectification_due_index" ON "accountability_records" USING btree ("status","rectification_due");--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_records_one_per_flag" ON "accountability_records" USING btree ("flag_id") WHERE "accountability_records"."flag_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_records_request_key" ON "accountability_records" USING btree ("request_key") WHERE "accountability_records"."request_key" is not null;--> statement-breakpoint
-- Hand-written: the shortlists' rule "no open flag" becomes "no accountability record open or in
-- effect on the evaluation date" (docs/decisions/0016); rounds that applied the old rule apply the new
-- one. Published versions keep the evidence they froze.
update shortlist_rounds set rules = (rules - 'noOpenFlag') || '{"noAccountability": true}'::jsonb where rules ? 'noOpenFlag';
--> statement-breakpoint
-- Hand-written: a flag resolved before the resolver was always recorded names them from its audit entry.
update ranking_flags f set resolved_by_user_id = a.actor_user_id
from audit_log a
where a.action = 'ranking.flag_resolved' and a.entity_type = 'ranking_flag' and a.entity_id = f.id::text
  and f.resolved_by_user_id is null and a.actor_user_id is not null;
