ALTER TABLE "shortlist_rounds" ADD COLUMN "nominations_closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD COLUMN "nominations_closed_by" integer;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD COLUMN "nominations_closed_reason" text;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD CONSTRAINT "shortlist_rounds_nominations_closed_by_users_id_fk" FOREIGN KEY ("nominations_closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shortlist_rounds" ADD CONSTRAINT "shortlist_rounds_closed_early_reason" CHECK (("shortlist_rounds"."nominations_closed_at" is null) = ("shortlist_rounds"."nominations_closed_reason" is null) and ("shortlist_rounds"."nominations_closed_reason" is null or length(trim("shortlist_rounds"."nominations_closed_reason")) > 0));--> statement-breakpoint
-- Hand-written: a round published before its deadline had its nominations closed by the publication
-- itself. Record that as what it was, with the publisher, so the round says when and why they closed.
update shortlist_rounds r set nominations_closed_at = v.published_at, nominations_closed_by = v.published_by,
  nominations_closed_reason = 'Closed by the first publication, before its deadline (published before nominations had to be closed explicitly).'
from shortlist_versions v
where v.round_id = r.id and v.version = 1 and v.published_at < r.deadline and r.nominations_closed_at is null;
