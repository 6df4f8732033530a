CREATE TYPE "public"."assessment_grade" AS ENUM('good', 'fairly_good', 'average', 'poor');--> statement-breakpoint
CREATE TYPE "public"."ranking_flag_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."ranking_meeting_role" AS ENUM('experience', 'commitment');--> statement-breakpoint
CREATE TYPE "public"."rank_band" AS ENUM('leading', 'section', 'staff');--> statement-breakpoint
CREATE TYPE "public"."ranking_status" AS ENUM('draft', 'published', 'superseded');--> statement-breakpoint
CREATE TABLE "ranking_assessments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_assessments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cadre_id" integer NOT NULL,
	"quarter" text NOT NULL,
	"grade" "assessment_grade" NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"unit_id" integer,
	"graded_by_user_id" integer,
	"source" text DEFAULT 'app' NOT NULL,
	"import_batch_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_assessments_one_per_quarter" UNIQUE("cadre_id","quarter"),
	CONSTRAINT "ranking_assessments_quarter" CHECK ("ranking_assessments"."quarter" ~ '^[0-9]{4}Q[1-4]$')
);
--> statement-breakpoint
CREATE TABLE "ranking_cadre_inputs" (
	"ranking_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"staff_no" text NOT NULL,
	"name" text NOT NULL,
	"unit_id" integer NOT NULL,
	"rank" "cadre_rank" NOT NULL,
	"band" "rank_band" NOT NULL,
	"enrolled" integer DEFAULT 0 NOT NULL,
	"present" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"excused" integer DEFAULT 0 NOT NULL,
	"hours_earned" numeric DEFAULT 0 NOT NULL,
	"hours_makeup" numeric DEFAULT 0 NOT NULL,
	"hours_required" numeric DEFAULT 0 NOT NULL,
	"frontline_days" integer DEFAULT 0 NOT NULL,
	"frontline_quota" integer DEFAULT 0 NOT NULL,
	"grade" "assessment_grade",
	CONSTRAINT "ranking_cadre_inputs_ranking_id_cadre_id_pk" PRIMARY KEY("ranking_id","cadre_id")
);
--> statement-breakpoint
CREATE TABLE "ranking_cadre_results" (
	"ranking_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"band" "rank_band" NOT NULL,
	"unit_id" integer NOT NULL,
	"score" numeric(9, 4),
	"rank" integer,
	"attendance_num" numeric,
	"attendance_den" numeric,
	"attendance_value" numeric,
	"attendance_weight" numeric,
	"attendance_contribution" numeric,
	"training_num" numeric,
	"training_den" numeric,
	"training_value" numeric,
	"training_weight" numeric,
	"training_contribution" numeric,
	"frontline_num" numeric,
	"frontline_den" numeric,
	"frontline_value" numeric,
	"frontline_weight" numeric,
	"frontline_contribution" numeric,
	"assessment_num" numeric,
	"assessment_den" numeric,
	"assessment_value" numeric,
	"assessment_weight" numeric,
	"assessment_contribution" numeric,
	CONSTRAINT "ranking_cadre_results_ranking_id_cadre_id_pk" PRIMARY KEY("ranking_id","cadre_id")
);
--> statement-breakpoint
CREATE TABLE "ranking_commitments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_commitments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"meeting_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"text" text NOT NULL,
	"responsible_cadre_id" integer,
	"responsible_name" text NOT NULL,
	"recorded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_commitments_one_per_unit" UNIQUE("meeting_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "ranking_flags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_flags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"quarter" text NOT NULL,
	"previous_quarter" text NOT NULL,
	"ranking_id" integer NOT NULL,
	"previous_ranking_id" integer NOT NULL,
	"peer_group" "unit_kind" NOT NULL,
	"rank" integer NOT NULL,
	"group_size" integer NOT NULL,
	"previous_rank" integer NOT NULL,
	"previous_group_size" integer NOT NULL,
	"status" "ranking_flag_status" DEFAULT 'open' NOT NULL,
	"resolution_note" text,
	"resolved_at" timestamp with time zone,
	"resolved_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_flags_one_per_quarter" UNIQUE("unit_id","quarter"),
	CONSTRAINT "ranking_flags_quarter" CHECK ("ranking_flags"."quarter" ~ '^[0-9]{4}Q[1-4]$' and "ranking_flags"."previous_quarter" ~ '^[0-9]{4}Q[1-4]$'),
	CONSTRAINT "ranking_flags_resolved" CHECK (("ranking_flags"."status" = 'resolved') = ("ranking_flags"."resolved_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "ranking_meeting_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_meeting_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"meeting_id" integer NOT NULL,
	"peer_group" "unit_kind" NOT NULL,
	"role" "ranking_meeting_role" NOT NULL,
	"unit_id" integer NOT NULL,
	"rank" integer,
	"group_size" integer,
	"speaker_cadre_id" integer,
	"speaker_name" text,
	"source" text NOT NULL,
	"reason" text,
	"removed_at" timestamp with time zone,
	"removed_by_user_id" integer,
	"removed_reason" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_meeting_items_reason" CHECK ("ranking_meeting_items"."source" = 'generated' or "ranking_meeting_items"."reason" is not null),
	CONSTRAINT "ranking_meeting_items_removed" CHECK (("ranking_meeting_items"."removed_at" is null) = ("ranking_meeting_items"."removed_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "ranking_meetings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_meetings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"quarter" text NOT NULL,
	"ranking_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"agenda_size" integer NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"minutes_recorded_at" timestamp with time zone,
	"minutes_recorded_by_user_id" integer,
	"invitations_sent_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_meetings_quarter_unique" UNIQUE("quarter"),
	CONSTRAINT "ranking_meetings_quarter" CHECK ("ranking_meetings"."quarter" ~ '^[0-9]{4}Q[1-4]$'),
	CONSTRAINT "ranking_meetings_times" CHECK ("ranking_meetings"."starts_at" < "ranking_meetings"."ends_at"),
	CONSTRAINT "ranking_meetings_agenda_size" CHECK ("ranking_meetings"."agenda_size" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "ranking_models" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_models_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"cadre_weights" jsonb NOT NULL,
	"unit_weights" jsonb NOT NULL,
	"params" jsonb NOT NULL,
	"reason" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_models_year_version" UNIQUE("year","version"),
	CONSTRAINT "ranking_models_version" CHECK ("ranking_models"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "ranking_unit_inputs" (
	"ranking_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "unit_kind" NOT NULL,
	"enrolled" integer DEFAULT 0 NOT NULL,
	"present" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"excused" integer DEFAULT 0 NOT NULL,
	"frontline_days" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"unsatisfied" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ranking_unit_inputs_ranking_id_unit_id_pk" PRIMARY KEY("ranking_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "ranking_unit_results" (
	"ranking_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"peer_group" "unit_kind" NOT NULL,
	"score" numeric(9, 4),
	"rank" integer,
	"members" integer NOT NULL,
	"members_section_up" integer NOT NULL,
	"frontline_raw" numeric,
	"frontline_min" numeric,
	"frontline_max" numeric,
	"attendance_num" numeric,
	"attendance_den" numeric,
	"attendance_value" numeric,
	"attendance_weight" numeric,
	"attendance_contribution" numeric,
	"training_num" numeric,
	"training_den" numeric,
	"training_value" numeric,
	"training_weight" numeric,
	"training_contribution" numeric,
	"frontline_num" numeric,
	"frontline_den" numeric,
	"frontline_value" numeric,
	"frontline_weight" numeric,
	"frontline_contribution" numeric,
	"satisfaction_num" numeric,
	"satisfaction_den" numeric,
	"satisfaction_value" numeric,
	"satisfaction_weight" numeric,
	"satisfaction_contribution" numeric,
	CONSTRAINT "ranking_unit_results_ranking_id_unit_id_pk" PRIMARY KEY("ranking_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "rankings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rankings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"quarter" text NOT NULL,
	"version" integer NOT NULL,
	"status" "ranking_status" DEFAULT 'draft' NOT NULL,
	"model_id" integer NOT NULL,
	"inputs_hash" text,
	"cadre_count" integer DEFAULT 0 NOT NULL,
	"unit_count" integer DEFAULT 0 NOT NULL,
	"correction_reason" text,
	"computed_at" timestamp with time zone,
	"computed_by_user_id" integer,
	"published_at" timestamp with time zone,
	"published_by_user_id" integer,
	"superseded_at" timestamp with time zone,
	"superseded_by_ranking_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rankings_quarter_version" UNIQUE("quarter","version"),
	CONSTRAINT "rankings_quarter" CHECK ("rankings"."quarter" ~ '^[0-9]{4}Q[1-4]$'),
	CONSTRAINT "rankings_published" CHECK ("rankings"."status" = 'draft' or ("rankings"."published_at" is not null and "rankings"."inputs_hash" is not null)),
	CONSTRAINT "rankings_superseded" CHECK (("rankings"."status" = 'superseded') = ("rankings"."superseded_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "satisfaction_ratings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "satisfaction_ratings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"date" date NOT NULL,
	"satisfied" integer NOT NULL,
	"unsatisfied" integer NOT NULL,
	"import_batch_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "satisfaction_ratings_unit_date" UNIQUE("unit_id","date"),
	CONSTRAINT "satisfaction_ratings_counts" CHECK ("satisfaction_ratings"."satisfied" >= 0 and "satisfaction_ratings"."unsatisfied" >= 0)
);
--> statement-breakpoint
ALTER TABLE "ranking_assessments" ADD CONSTRAINT "ranking_assessments_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_assessments" ADD CONSTRAINT "ranking_assessments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_assessments" ADD CONSTRAINT "ranking_assessments_graded_by_user_id_users_id_fk" FOREIGN KEY ("graded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_assessments" ADD CONSTRAINT "ranking_assessments_import_batch_id_import_batches_id_fk" FOREIGN KEY ("import_batch_id") REFERENCES "public"."import_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_cadre_inputs" ADD CONSTRAINT "ranking_cadre_inputs_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD CONSTRAINT "ranking_cadre_results_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_meeting_id_ranking_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."ranking_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_responsible_cadre_id_cadres_id_fk" FOREIGN KEY ("responsible_cadre_id") REFERENCES "public"."cadres"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_flags" ADD CONSTRAINT "ranking_flags_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_flags" ADD CONSTRAINT "ranking_flags_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_flags" ADD CONSTRAINT "ranking_flags_previous_ranking_id_rankings_id_fk" FOREIGN KEY ("previous_ranking_id") REFERENCES "public"."rankings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_flags" ADD CONSTRAINT "ranking_flags_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD CONSTRAINT "ranking_meeting_items_meeting_id_ranking_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."ranking_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD CONSTRAINT "ranking_meeting_items_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD CONSTRAINT "ranking_meeting_items_speaker_cadre_id_cadres_id_fk" FOREIGN KEY ("speaker_cadre_id") REFERENCES "public"."cadres"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD CONSTRAINT "ranking_meeting_items_removed_by_user_id_users_id_fk" FOREIGN KEY ("removed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meeting_items" ADD CONSTRAINT "ranking_meeting_items_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meetings" ADD CONSTRAINT "ranking_meetings_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meetings" ADD CONSTRAINT "ranking_meetings_minutes_recorded_by_user_id_users_id_fk" FOREIGN KEY ("minutes_recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_meetings" ADD CONSTRAINT "ranking_meetings_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_models" ADD CONSTRAINT "ranking_models_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_unit_inputs" ADD CONSTRAINT "ranking_unit_inputs_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD CONSTRAINT "ranking_unit_results_ranking_id_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."rankings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_model_id_ranking_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."ranking_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_computed_by_user_id_users_id_fk" FOREIGN KEY ("computed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_published_by_user_id_users_id_fk" FOREIGN KEY ("published_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_superseded_by_ranking_id_rankings_id_fk" FOREIGN KEY ("superseded_by_ranking_id") REFERENCES "public"."rankings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_import_batch_id_import_batches_id_fk" FOREIGN KEY ("import_batch_id") REFERENCES "public"."import_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ranking_assessments_quarter_unit_id_index" ON "ranking_assessments" USING btree ("quarter","unit_id");--> statement-breakpoint
CREATE INDEX "ranking_cadre_inputs_ranking_id_unit_id_index" ON "ranking_cadre_inputs" USING btree ("ranking_id","unit_id");--> statement-breakpoint
CREATE INDEX "ranking_cadre_results_ranking_id_band_rank_index" ON "ranking_cadre_results" USING btree ("ranking_id","band","rank");--> statement-breakpoint
CREATE INDEX "ranking_cadre_results_ranking_id_unit_id_index" ON "ranking_cadre_results" USING btree ("ranking_id","unit_id");--> statement-breakpoint
CREATE INDEX "ranking_flags_open" ON "ranking_flags" USING btree ("status","quarter");--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_meeting_items_one_live" ON "ranking_meeting_items" USING btree ("meeting_id","unit_id") WHERE "ranking_meeting_items"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "ranking_meeting_items_unit_id_index" ON "ranking_meeting_items" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "ranking_unit_results_ranking_id_peer_group_rank_index" ON "ranking_unit_results" USING btree ("ranking_id","peer_group","rank");--> statement-breakpoint
CREATE UNIQUE INDEX "rankings_one_draft" ON "rankings" USING btree ("quarter") WHERE "rankings"."status" = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "rankings_one_published" ON "rankings" USING btree ("quarter") WHERE "rankings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "satisfaction_ratings_date_index" ON "satisfaction_ratings" USING btree ("date");