CREATE TYPE "public"."class_session_status" AS ENUM('draft', 'published', 'closed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."class_leave_status" AS ENUM('pending', 'approved', 'refused', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."class_registration_source" AS ENUM('mandatory', 'self', 'admin');--> statement-breakpoint
CREATE TYPE "public"."class_registration_status" AS ENUM('registered', 'cancelled');--> statement-breakpoint
CREATE TABLE "class_calendar_feeds" (
	"cadre_id" integer PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_calendar_feeds_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "class_leave_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_leave_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"reason" text NOT NULL,
	"status" "class_leave_status" DEFAULT 'pending' NOT NULL,
	"requested_by_user_id" integer,
	"decided_by_user_id" integer,
	"decided_at" timestamp with time zone,
	"decision_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "class_registrations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_registrations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"status" "class_registration_status" DEFAULT 'registered' NOT NULL,
	"source" "class_registration_source" NOT NULL,
	"venue_id" integer,
	"waitlist_venue_id" integer,
	"waitlisted_at" timestamp with time zone,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_registrations_waitlist" CHECK (("class_registrations"."waitlist_venue_id" is null) = ("class_registrations"."waitlisted_at" is null)
        and ("class_registrations"."waitlist_venue_id" is null or "class_registrations"."status" = 'registered')
        and ("class_registrations"."waitlist_venue_id" is null or "class_registrations"."waitlist_venue_id" is distinct from "class_registrations"."venue_id"))
);
--> statement-breakpoint
CREATE TABLE "class_series" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_series_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"recurrence" jsonb NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"training_hours" numeric(4, 1) NOT NULL,
	"deadline_hours_before" integer DEFAULT 6 NOT NULL,
	"audience" jsonb NOT NULL,
	"audience_mandatory" boolean DEFAULT true NOT NULL,
	"open_registration" boolean DEFAULT true NOT NULL,
	"live_url" text,
	"idempotency_key" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_series_idempotencyKey_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "class_series_dates" CHECK ("class_series"."start_date" <= "class_series"."end_date"),
	CONSTRAINT "class_series_times" CHECK ("class_series"."start_time" < "class_series"."end_time")
);
--> statement-breakpoint
CREATE TABLE "class_series_venues" (
	"series_id" integer NOT NULL,
	"venue_id" integer NOT NULL,
	CONSTRAINT "class_series_venues_series_id_venue_id_pk" PRIMARY KEY("series_id","venue_id")
);
--> statement-breakpoint
CREATE TABLE "class_session_venues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_session_venues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"venue_id" integer NOT NULL,
	"capacity" integer NOT NULL,
	"ranks" "cadre_rank"[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_session_venues_unique" UNIQUE("session_id","venue_id"),
	CONSTRAINT "class_session_venues_capacity" CHECK ("class_session_venues"."capacity" > 0)
);
--> statement-breakpoint
CREATE TABLE "class_sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"series_id" integer,
	"title" text NOT NULL,
	"lecturer" text DEFAULT '' NOT NULL,
	"lecturer_affiliation" text DEFAULT '' NOT NULL,
	"topic_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"registration_deadline" timestamp with time zone NOT NULL,
	"live_url" text,
	"replay_url" text,
	"materials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"training_hours" numeric(4, 1) NOT NULL,
	"status" "class_session_status" DEFAULT 'draft' NOT NULL,
	"audience" jsonb NOT NULL,
	"audience_mandatory" boolean DEFAULT true NOT NULL,
	"open_registration" boolean DEFAULT true NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_sessions_code_unique" UNIQUE("code"),
	CONSTRAINT "class_sessions_times" CHECK ("class_sessions"."starts_at" < "class_sessions"."ends_at"),
	CONSTRAINT "class_sessions_deadline" CHECK ("class_sessions"."registration_deadline" <= "class_sessions"."starts_at"),
	CONSTRAINT "class_sessions_hours" CHECK ("class_sessions"."training_hours" >= 0)
);
--> statement-breakpoint
CREATE TABLE "class_venue_staff" (
	"session_venue_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_venue_staff_session_venue_id_user_id_pk" PRIMARY KEY("session_venue_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "class_venues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_venues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"capacity" integer NOT NULL,
	"ranks" "cadre_rank"[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_venues_capacity" CHECK ("class_venues"."capacity" > 0)
);
--> statement-breakpoint
ALTER TABLE "class_calendar_feeds" ADD CONSTRAINT "class_calendar_feeds_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_leave_requests" ADD CONSTRAINT "class_leave_requests_session_id_class_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."class_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_leave_requests" ADD CONSTRAINT "class_leave_requests_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_leave_requests" ADD CONSTRAINT "class_leave_requests_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_leave_requests" ADD CONSTRAINT "class_leave_requests_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_registrations" ADD CONSTRAINT "class_registrations_session_id_class_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."class_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_registrations" ADD CONSTRAINT "class_registrations_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_registrations" ADD CONSTRAINT "class_registrations_venue_fk" FOREIGN KEY ("session_id","venue_id") REFERENCES "public"."class_session_venues"("session_id","venue_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_registrations" ADD CONSTRAINT "class_registrations_waitlist_venue_fk" FOREIGN KEY ("session_id","waitlist_venue_id") REFERENCES "public"."class_session_venues"("session_id","venue_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_series" ADD CONSTRAINT "class_series_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_series_venues" ADD CONSTRAINT "class_series_venues_series_id_class_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."class_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_series_venues" ADD CONSTRAINT "class_series_venues_venue_id_class_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."class_venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_session_venues" ADD CONSTRAINT "class_session_venues_session_id_class_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."class_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_session_venues" ADD CONSTRAINT "class_session_venues_venue_id_class_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."class_venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_sessions" ADD CONSTRAINT "class_sessions_series_id_class_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."class_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_sessions" ADD CONSTRAINT "class_sessions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_venue_staff" ADD CONSTRAINT "class_venue_staff_session_venue_id_class_session_venues_id_fk" FOREIGN KEY ("session_venue_id") REFERENCES "public"."class_session_venues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_venue_staff" ADD CONSTRAINT "class_venue_staff_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "class_leave_requests_live" ON "class_leave_requests" USING btree ("session_id","cadre_id") WHERE "class_leave_requests"."status" in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "class_leave_requests_cadre_id_index" ON "class_leave_requests" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "class_leave_requests_pending" ON "class_leave_requests" USING btree ("session_id") WHERE "class_leave_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "class_registrations_one_per_cadre" ON "class_registrations" USING btree ("session_id","cadre_id");--> statement-breakpoint
CREATE INDEX "class_registrations_cadre_id_index" ON "class_registrations" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "class_registrations_seats" ON "class_registrations" USING btree ("session_id","venue_id") WHERE "class_registrations"."status" = 'registered';--> statement-breakpoint
CREATE INDEX "class_registrations_waitlist" ON "class_registrations" USING btree ("session_id","waitlist_venue_id","waitlisted_at") WHERE "class_registrations"."waitlist_venue_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "class_series_title_unique" ON "class_series" USING btree ("title");--> statement-breakpoint
CREATE INDEX "class_session_venues_venue_id_index" ON "class_session_venues" USING btree ("venue_id");--> statement-breakpoint
CREATE INDEX "class_sessions_starts_at_index" ON "class_sessions" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "class_sessions_status_starts_at_index" ON "class_sessions" USING btree ("status","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "class_sessions_series_start" ON "class_sessions" USING btree ("series_id","starts_at");--> statement-breakpoint
CREATE INDEX "class_venue_staff_user_id_index" ON "class_venue_staff" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "class_venues_name_unique" ON "class_venues" USING btree ("name");