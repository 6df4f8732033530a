ALTER TABLE "ranking_cadre_inputs" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ranking_unit_inputs" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "ranking_cadre_inputs" CASCADE;--> statement-breakpoint
DROP TABLE "ranking_unit_inputs" CASCADE;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" DROP CONSTRAINT "ranking_cadre_results_ranking_id_rankings_id_fk";
--> statement-breakpoint
ALTER TABLE "ranking_unit_results" DROP CONSTRAINT "ranking_unit_results_ranking_id_rankings_id_fk";
--> statement-breakpoint
DROP INDEX "ranking_cadre_results_ranking_id_band_rank_index";--> statement-breakpoint
DROP INDEX "ranking_cadre_results_ranking_id_unit_id_index";--> statement-breakpoint
DROP INDEX "ranking_unit_results_ranking_id_peer_group_rank_index";--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "attendance_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "attendance_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "attendance_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "training_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "training_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "training_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "frontline_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "frontline_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "frontline_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "assessment_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "assessment_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ALTER COLUMN "assessment_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "frontline_raw" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "frontline_min" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "frontline_max" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "attendance_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "attendance_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "attendance_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "training_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "training_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "training_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "frontline_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "frontline_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "frontline_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "satisfaction_value" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "satisfaction_weight" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ALTER COLUMN "satisfaction_contribution" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "staff_no" text NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "name" text NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "cadre_rank" "cadre_rank" NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "enrolled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "present" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "late" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "excused" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "hours_earned" numeric DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "hours_makeup" numeric DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "hours_required" numeric DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "frontline_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "frontline_quota" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_cadre_results" ADD COLUMN "grade" "assessment_grade";--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "code" text NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "name" text NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "enrolled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "present" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "late" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "excused" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "frontline_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "satisfied" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ranking_unit_results" ADD COLUMN "unsatisfied" integer DEFAULT 0 NOT NULL;