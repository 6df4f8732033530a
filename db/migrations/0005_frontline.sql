CREATE TYPE "public"."frontline_category" AS ENUM('supervision', 'stability', 'petition', 'pairing', 'investment', 'major_project', 'sinking_service', 'field_research');--> statement-breakpoint
CREATE TYPE "public"."frontline_status" AS ENUM('draft', 'submitted', 'verified', 'returned');--> statement-breakpoint
CREATE TABLE "frontline_attachments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "frontline_attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
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
CREATE TABLE "frontline_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "frontline_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cadre_id" integer NOT NULL,
	"category" "frontline_category" NOT NULL,
	"place" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"summary" text NOT NULL,
	"outcome" text DEFAULT '' NOT NULL,
	"evidence" text DEFAULT '' NOT NULL,
	"links" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "frontline_status" DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"source" text DEFAULT 'app' NOT NULL,
	"import_batch_id" integer,
	"created_by_user_id" integer,
	"submitted_at" timestamp with time zone,
	"submitted_by_user_id" integer,
	"verified_at" timestamp with time zone,
	"verified_by_user_id" integer,
	"returned_at" timestamp with time zone,
	"returned_by_user_id" integer,
	"return_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "frontline_records_dates" CHECK ("frontline_records"."start_date" <= "frontline_records"."end_date"),
	CONSTRAINT "frontline_records_length" CHECK ("frontline_records"."end_date" - "frontline_records"."start_date" < 366)
);
--> statement-breakpoint
ALTER TABLE "frontline_attachments" ADD CONSTRAINT "frontline_attachments_record_id_frontline_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."frontline_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_attachments" ADD CONSTRAINT "frontline_attachments_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_records" ADD CONSTRAINT "frontline_records_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_records" ADD CONSTRAINT "frontline_records_import_batch_id_import_batches_id_fk" FOREIGN KEY ("import_batch_id") REFERENCES "public"."import_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_records" ADD CONSTRAINT "frontline_records_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_records" ADD CONSTRAINT "frontline_records_submitted_by_user_id_users_id_fk" FOREIGN KEY ("submitted_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_records" ADD CONSTRAINT "frontline_records_verified_by_user_id_users_id_fk" FOREIGN KEY ("verified_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontline_records" ADD CONSTRAINT "frontline_records_returned_by_user_id_users_id_fk" FOREIGN KEY ("returned_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "frontline_attachments_record_id_sha256_index" ON "frontline_attachments" USING btree ("record_id","sha256");--> statement-breakpoint
CREATE INDEX "frontline_records_cadre_id_start_date_index" ON "frontline_records" USING btree ("cadre_id","start_date");--> statement-breakpoint
CREATE INDEX "frontline_records_status_cadre_id_index" ON "frontline_records" USING btree ("status","cadre_id");--> statement-breakpoint
CREATE INDEX "frontline_records_import_batch_id_index" ON "frontline_records" USING btree ("import_batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "frontline_records_natural_key" ON "frontline_records" USING btree ("cadre_id","category","start_date","end_date","place");