CREATE TYPE "public"."shortlist_decision" AS ENUM('shortlisted', 'deferred', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."shortlist_round_status" AS ENUM('open', 'published');--> statement-breakpoint
CREATE TABLE "shortlist_nominations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shortlist_nominations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"cadre_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"recommendation" text NOT NULL,
	"eligible" boolean NOT NULL,
	"eligibility" jsonb NOT NULL,
	"override_reason" text,
	"nominated_by" integer,
	"decision" "shortlist_decision",
	"decision_reason" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shortlist_nominations_override" CHECK ("shortlist_nominations"."eligible" or length(trim(coalesce("shortlist_nominations"."override_reason", ''))) > 0),
	CONSTRAINT "shortlist_nominations_recommendation" CHECK (length(trim("shortlist_nominations"."recommendation")) > 0),
	CONSTRAINT "shortlist_nominations_decision_reason" CHECK ("shortlist_nominations"."decision" is null or length(trim(coalesce("shortlist_nominations"."decision_reason", ''))) > 0)
);
--> statement-breakpoint
CREATE TABLE "shortlist_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shortlist_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"quota" integer NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "shortlist_round_status" DEFAULT 'open' NOT NULL,
	"published_version" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shortlist_rounds_quota_positive" CHECK ("shortlist_rounds"."quota" > 0),
	CONSTRAINT "shortlist_rounds_name_present" CHECK (length(trim("shortlist_rounds"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "shortlist_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shortlist_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"version" integer NOT NULL,
	"reason" text,
	"entries" jsonb NOT NULL,
	"hash" text NOT NULL,
	"published_by" integer,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shortlist_versions_reason" CHECK ("shortlist_versions"."version" = 1 or length(trim(coalesce("shortlist_versions"."reason", ''))) > 0)
);
--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "digest_copies_liaisons" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "shortlist_nominations" ADD CONSTRAINT "shortlist_nominations_round_id_shortlist_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."shortlist_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_nominations" ADD CONSTRAINT "shortlist_nominations_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_nominations" ADD CONSTRAINT "shortlist_nominations_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_nominations" ADD CONSTRAINT "shortlist_nominations_nominated_by_users_id_fk" FOREIGN KEY ("nominated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_nominations" ADD CONSTRAINT "shortlist_nominations_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD CONSTRAINT "shortlist_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_versions" ADD CONSTRAINT "shortlist_versions_round_id_shortlist_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."shortlist_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_versions" ADD CONSTRAINT "shortlist_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shortlist_nominations_one_per_cadre" ON "shortlist_nominations" USING btree ("round_id","cadre_id");--> statement-breakpoint
CREATE INDEX "shortlist_nominations_unit_id_index" ON "shortlist_nominations" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "shortlist_nominations_cadre_id_index" ON "shortlist_nominations" USING btree ("cadre_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shortlist_versions_round_version" ON "shortlist_versions" USING btree ("round_id","version");