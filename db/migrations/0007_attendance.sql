CREATE TYPE "public"."attendance_flag_kind" AS ENUM('shared_device', 'shared_address', 'other_venue');--> statement-breakpoint
CREATE TYPE "public"."attendance_flag_status" AS ENUM('open', 'dismissed', 'confirmed');--> statement-breakpoint
CREATE TYPE "public"."attendance_source" AS ENUM('qr', 'roster', 'import', 'close', 'correction');--> statement-breakpoint
CREATE TYPE "public"."attendance_status" AS ENUM('present', 'late', 'excused', 'absent');--> statement-breakpoint
CREATE TYPE "public"."attendance_makeup_status" AS ENUM('submitted', 'confirmed', 'rejected');--> statement-breakpoint
CREATE TABLE "attendance_flags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attendance_flags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"record_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"kind" "attendance_flag_kind" NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "attendance_flag_status" DEFAULT 'open' NOT NULL,
	"reviewed_by_user_id" integer,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_flags_one_per_kind" UNIQUE("record_id","kind")
);
--> statement-breakpoint
CREATE TABLE "attendance_makeups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attendance_makeups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"status" "attendance_makeup_status" DEFAULT 'submitted' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_user_id" integer,
	"decided_at" timestamp with time zone,
	"decision_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_makeups_one_per_cadre" UNIQUE("session_id","cadre_id")
);
--> statement-breakpoint
CREATE TABLE "attendance_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attendance_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"session_venue_id" integer,
	"status" "attendance_status" NOT NULL,
	"source" "attendance_source" NOT NULL,
	"checked_in_at" timestamp with time zone,
	"minutes_watched" integer,
	"walk_in" boolean DEFAULT false NOT NULL,
	"other_venue" boolean DEFAULT false NOT NULL,
	"device_id" text,
	"client_address" text,
	"recorded_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_records_one_per_cadre" UNIQUE("session_id","cadre_id"),
	CONSTRAINT "attendance_records_minutes" CHECK ("attendance_records"."minutes_watched" is null or "attendance_records"."minutes_watched" >= 0)
);
--> statement-breakpoint
CREATE TABLE "attendance_warnings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attendance_warnings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cadre_id" integer NOT NULL,
	"rate" numeric(5, 4) NOT NULL,
	"sessions" integer NOT NULL,
	"last_session_id" integer,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "attendance_flags" ADD CONSTRAINT "attendance_flags_session_id_class_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."class_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_flags" ADD CONSTRAINT "attendance_flags_record_id_attendance_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."attendance_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_flags" ADD CONSTRAINT "attendance_flags_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_flags" ADD CONSTRAINT "attendance_flags_reviewed_by_user_id_users_id_fk" FOREIGN KEY ("reviewed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_makeups" ADD CONSTRAINT "attendance_makeups_session_id_class_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."class_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_makeups" ADD CONSTRAINT "attendance_makeups_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_makeups" ADD CONSTRAINT "attendance_makeups_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_session_venue_id_class_session_venues_id_fk" FOREIGN KEY ("session_venue_id") REFERENCES "public"."class_session_venues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_registration_fk" FOREIGN KEY ("session_id","cadre_id") REFERENCES "public"."class_registrations"("session_id","cadre_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_warnings" ADD CONSTRAINT "attendance_warnings_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_warnings" ADD CONSTRAINT "attendance_warnings_last_session_id_class_sessions_id_fk" FOREIGN KEY ("last_session_id") REFERENCES "public"."class_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendance_flags_session_id_status_index" ON "attendance_flags" USING btree ("session_id","status");--> statement-breakpoint
CREATE INDEX "attendance_flags_cadre_id_index" ON "attendance_flags" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "attendance_makeups_cadre_id_index" ON "attendance_makeups" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "attendance_makeups_status_index" ON "attendance_makeups" USING btree ("status");--> statement-breakpoint
CREATE INDEX "attendance_records_cadre_id_index" ON "attendance_records" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "attendance_records_venue" ON "attendance_records" USING btree ("session_venue_id","checked_in_at");--> statement-breakpoint
CREATE INDEX "attendance_records_device" ON "attendance_records" USING btree ("session_id","device_id") WHERE "attendance_records"."device_id" is not null;--> statement-breakpoint
CREATE INDEX "attendance_records_address" ON "attendance_records" USING btree ("session_id","client_address","checked_in_at") WHERE "attendance_records"."client_address" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_warnings_one_open" ON "attendance_warnings" USING btree ("cadre_id") WHERE "attendance_warnings"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "attendance_warnings_cadre_id_index" ON "attendance_warnings" USING btree ("cadre_id");