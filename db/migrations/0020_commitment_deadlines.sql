CREATE TYPE "public"."ranking_commitment_status" AS ENUM('open', 'done');--> statement-breakpoint
CREATE TABLE "ranking_commitment_notes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ranking_commitment_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"commitment_id" integer NOT NULL,
	"note" text NOT NULL,
	"kind" text DEFAULT 'progress' NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "deadline" date;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "status" "ranking_commitment_status" DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD COLUMN "done_by_user_id" integer;--> statement-breakpoint
ALTER TABLE "ranking_commitment_notes" ADD CONSTRAINT "ranking_commitment_notes_commitment_id_ranking_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."ranking_commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranking_commitment_notes" ADD CONSTRAINT "ranking_commitment_notes_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ranking_commitment_notes_commitment_id_index" ON "ranking_commitment_notes" USING btree ("commitment_id");--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_done_by_user_id_users_id_fk" FOREIGN KEY ("done_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ranking_commitments_responsible_cadre_id_index" ON "ranking_commitments" USING btree ("responsible_cadre_id");--> statement-breakpoint
CREATE INDEX "ranking_commitments_status_deadline_index" ON "ranking_commitments" USING btree ("status","deadline");--> statement-breakpoint
ALTER TABLE "ranking_commitments" ADD CONSTRAINT "ranking_commitments_done" CHECK (("ranking_commitments"."status" = 'done') = ("ranking_commitments"."done_at" is not null));--> statement-breakpoint
-- Hand-written (the deadline column above is added nullable, then filled, then made NOT NULL as the
-- schema says): commitments recorded before they had a deadline are due by the end of the quarter
-- after their meeting's — the quarter whose ranking shows whether the unit improved.
update ranking_commitments c set deadline = (make_date(substr(m.quarter, 1, 4)::int, (substr(m.quarter, 6, 1)::int - 1) * 3 + 1, 1)
    + interval '6 months' - interval '1 day')::date
from ranking_meetings m where m.id = c.meeting_id and c.deadline is null;
--> statement-breakpoint
ALTER TABLE "ranking_commitments" ALTER COLUMN "deadline" SET NOT NULL;
