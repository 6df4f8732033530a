ALTER TABLE "attendance_flags" DROP CONSTRAINT "attendance_flags_session_id_class_sessions_id_fk";
--> statement-breakpoint
ALTER TABLE "attendance_records" DROP CONSTRAINT "attendance_records_session_venue_id_class_session_venues_id_fk";
