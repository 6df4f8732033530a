-- One attendance row per cadre and session: the same unique constraint, whose index now also carries the
-- status, so that the counts over a quarter's sessions (rankings, attendance figures) read the index
-- alone instead of visiting every row. drizzle's schema cannot express INCLUDE; the constraint keeps its
-- name and columns, so drizzle-kit sees nothing to change (docs/decisions/0011).
CREATE UNIQUE INDEX "attendance_records_one_per_cadre_covering" ON "attendance_records" USING btree ("session_id", "cadre_id") INCLUDE ("status");--> statement-breakpoint
ALTER TABLE "attendance_records" DROP CONSTRAINT "attendance_records_one_per_cadre";--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_one_per_cadre" UNIQUE USING INDEX "attendance_records_one_per_cadre_covering";
