CREATE TYPE "public"."rating_burst_status" AS ENUM('open', 'kept', 'discounted');--> statement-breakpoint
CREATE TYPE "public"."rating_case_outcome" AS ENUM('closed', 'accountability');--> statement-breakpoint
CREATE TYPE "public"."rating_case_state" AS ENUM('open', 'submitted', 'closed', 'void');--> statement-breakpoint
CREATE TYPE "public"."rating_finding" AS ENUM('confirmed', 'not_confirmed', 'unverifiable');--> statement-breakpoint
CREATE TYPE "public"."rating_not_counted" AS ENUM('repeat', 'address_limit');--> statement-breakpoint
CREATE TYPE "public"."rating_reason" AS ENUM('attitude', 'efficiency', 'buck_passing', 'fees', 'other');--> statement-breakpoint
CREATE TABLE "public_ratings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "public_ratings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"point_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rated_on" date NOT NULL,
	"satisfied" boolean NOT NULL,
	"reasons" "rating_reason"[] DEFAULT '{}' NOT NULL,
	"comment" text,
	"device_id" text NOT NULL,
	"address_hash" text NOT NULL,
	"counted" boolean NOT NULL,
	"not_counted" "rating_not_counted",
	"discounted_burst_id" integer,
	CONSTRAINT "public_ratings_counted_reason" CHECK ("public_ratings"."counted" = ("public_ratings"."not_counted" is null))
);
--> statement-breakpoint
CREATE TABLE "rating_accountability_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_accountability_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"case_id" integer,
	"ten_worst_list_id" integer,
	"unit_id" integer NOT NULL,
	"cadre_id" integer,
	"note" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"requested_by_user_id" integer,
	"accountability_record_id" integer
);
--> statement-breakpoint
CREATE TABLE "rating_bursts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_bursts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"point_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"day" date NOT NULL,
	"ratings" integer NOT NULL,
	"unsatisfied" integer NOT NULL,
	"usual" numeric(10, 2) NOT NULL,
	"devices" integer NOT NULL,
	"addresses" integer NOT NULL,
	"status" "rating_burst_status" DEFAULT 'open' NOT NULL,
	"review_note" text,
	"reviewed_at" timestamp with time zone,
	"reviewed_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_bursts_point_day" UNIQUE("point_id","day")
);
--> statement-breakpoint
CREATE TABLE "rating_case_calls" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_case_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"reached" boolean NOT NULL,
	"note" text NOT NULL,
	"called_at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_user_id" integer
);
--> statement-breakpoint
CREATE TABLE "rating_cases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"rating_id" bigint NOT NULL,
	"unit_id" integer NOT NULL,
	"point_id" integer NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_on" date NOT NULL,
	"state" "rating_case_state" DEFAULT 'open' NOT NULL,
	"phone" text,
	"phone_erased_at" timestamp with time zone,
	"finding" "rating_finding",
	"finding_note" text,
	"rectification" text,
	"submitted_at" timestamp with time zone,
	"submitted_by_user_id" integer,
	"return_note" text,
	"outcome" "rating_case_outcome",
	"review_note" text,
	"closed_at" timestamp with time zone,
	"closed_by_user_id" integer,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_cases_ratingId_unique" UNIQUE("rating_id"),
	CONSTRAINT "rating_cases_closed" CHECK (("rating_cases"."state" in ('closed', 'void')) = ("rating_cases"."closed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "rating_points" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_points_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"is_unit_point" boolean DEFAULT false NOT NULL,
	"retired_at" timestamp with time zone,
	"retired_by_user_id" integer,
	"retire_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_points_code_unique" UNIQUE("code"),
	CONSTRAINT "rating_points_code" CHECK ("rating_points"."code" ~ '^[A-Za-z0-9_-]{1,40}$')
);
--> statement-breakpoint
CREATE TABLE "rating_ten_worst_lists" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_ten_worst_lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"size" integer NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"reason" text NOT NULL,
	"entries" jsonb NOT NULL,
	"entries_hash" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by_user_id" integer,
	CONSTRAINT "rating_ten_worst_year_version" UNIQUE("year","version"),
	CONSTRAINT "rating_ten_worst_size" CHECK ("rating_ten_worst_lists"."size" between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "rating_accountability_requests" ADD CONSTRAINT "rating_accountability_requests_case_id_rating_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rating_cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_accountability_requests" ADD CONSTRAINT "rating_accountability_requests_ten_worst_list_id_rating_ten_worst_lists_id_fk" FOREIGN KEY ("ten_worst_list_id") REFERENCES "public"."rating_ten_worst_lists"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_accountability_requests" ADD CONSTRAINT "rating_accountability_requests_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_accountability_requests" ADD CONSTRAINT "rating_accountability_requests_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_accountability_requests" ADD CONSTRAINT "rating_accountability_requests_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_bursts" ADD CONSTRAINT "rating_bursts_point_id_rating_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."rating_points"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_bursts" ADD CONSTRAINT "rating_bursts_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_bursts" ADD CONSTRAINT "rating_bursts_reviewed_by_user_id_users_id_fk" FOREIGN KEY ("reviewed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_case_calls" ADD CONSTRAINT "rating_case_calls_case_id_rating_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rating_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_case_calls" ADD CONSTRAINT "rating_case_calls_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_cases" ADD CONSTRAINT "rating_cases_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_cases" ADD CONSTRAINT "rating_cases_submitted_by_user_id_users_id_fk" FOREIGN KEY ("submitted_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_cases" ADD CONSTRAINT "rating_cases_closed_by_user_id_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_points" ADD CONSTRAINT "rating_points_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_points" ADD CONSTRAINT "rating_points_retired_by_user_id_users_id_fk" FOREIGN KEY ("retired_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_ten_worst_lists" ADD CONSTRAINT "rating_ten_worst_lists_published_by_user_id_users_id_fk" FOREIGN KEY ("published_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "public_ratings_one_counted_per_device_day" ON "public_ratings" USING btree ("point_id","device_id","rated_on") WHERE "public_ratings"."counted";--> statement-breakpoint
CREATE INDEX "public_ratings_address_recent" ON "public_ratings" USING btree ("point_id","address_hash","rated_at");--> statement-breakpoint
CREATE INDEX "public_ratings_unit_id_rated_on_index" ON "public_ratings" USING btree ("unit_id","rated_on");--> statement-breakpoint
CREATE INDEX "public_ratings_point_id_rated_on_index" ON "public_ratings" USING btree ("point_id","rated_on");--> statement-breakpoint
CREATE UNIQUE INDEX "rating_accountability_one_per_case" ON "rating_accountability_requests" USING btree ("case_id") WHERE "rating_accountability_requests"."case_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "rating_accountability_one_per_list_unit" ON "rating_accountability_requests" USING btree ("ten_worst_list_id","unit_id") WHERE "rating_accountability_requests"."ten_worst_list_id" is not null;--> statement-breakpoint
CREATE INDEX "rating_bursts_status_index" ON "rating_bursts" USING btree ("status");--> statement-breakpoint
CREATE INDEX "rating_case_calls_case_id_index" ON "rating_case_calls" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "rating_cases_unit_id_state_index" ON "rating_cases" USING btree ("unit_id","state");--> statement-breakpoint
CREATE INDEX "rating_cases_state_due_on_index" ON "rating_cases" USING btree ("state","due_on");--> statement-breakpoint
CREATE INDEX "rating_cases_closed_at_index" ON "rating_cases" USING btree ("closed_at") WHERE "rating_cases"."phone" is not null;--> statement-breakpoint
CREATE INDEX "rating_points_unit_id_index" ON "rating_points" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rating_points_one_unit_point" ON "rating_points" USING btree ("unit_id") WHERE "rating_points"."is_unit_point";