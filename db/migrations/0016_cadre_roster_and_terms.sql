CREATE TYPE "public"."cadre_term_kind" AS ENUM('rank', 'post', 'status');--> statement-breakpoint
CREATE TYPE "public"."cadre_degree" AS ENUM('doctor', 'master', 'bachelor');--> statement-breakpoint
CREATE TYPE "public"."cadre_gender" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TABLE "cadre_terms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cadre_terms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cadre_id" integer NOT NULL,
	"kind" "cadre_term_kind" NOT NULL,
	"rank" "cadre_rank",
	"title" text,
	"status" "cadre_status",
	"start_date" date,
	"end_date" date,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadre_terms_dates" CHECK ("cadre_terms"."start_date" is null or "cadre_terms"."end_date" is null or "cadre_terms"."start_date" < "cadre_terms"."end_date"),
	CONSTRAINT "cadre_terms_value" CHECK (("cadre_terms"."kind" = 'rank') = ("cadre_terms"."rank" is not null) and ("cadre_terms"."kind" = 'post') = ("cadre_terms"."title" is not null) and ("cadre_terms"."kind" = 'status') = ("cadre_terms"."status" is not null))
);
--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "gender" "cadre_gender";--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "ethnicity" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "birth_date" date;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "native_place" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "political_status" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "education" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "degree" "cadre_degree";--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "work_start_date" date;--> statement-breakpoint
ALTER TABLE "cadre_terms" ADD CONSTRAINT "cadre_terms_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cadre_terms_by_cadre" ON "cadre_terms" USING btree ("cadre_id","kind","start_date");--> statement-breakpoint
CREATE INDEX "cadre_terms_ended" ON "cadre_terms" USING btree ("kind","end_date","cadre_id") WHERE "cadre_terms"."end_date" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cadre_terms_one_open" ON "cadre_terms" USING btree ("cadre_id","kind") WHERE "cadre_terms"."end_date" is null;--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_ethnicity_code" CHECK ("cadres"."ethnicity" is null or "cadres"."ethnicity" in ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46', '47', '48', '49', '50', '51', '52', '53', '54', '55', '56', '97', '98'));--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_political_status_code" CHECK ("cadres"."political_status" is null or "cadres"."political_status" in ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13'));--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_education_code" CHECK ("cadres"."education" is null or "cadres"."education" in ('10', '20', '30', '40', '60', '70', '80', '90'));--> statement-breakpoint
-- Hand-written: every cadre's history of rank, post and status, rebuilt once from the audit log (the
-- before and after of each cadre.updated / cadre.transferred entry). The term a change ends holds the
-- value before it, from the previous change (or from before records began); the running term holds
-- the cadre's value now. Several changes on one day keep the last. From here on, edits and imports
-- write the terms themselves, and no rule reads the audit log for them.
WITH changes AS (
  SELECT a.entity_id::int AS cadre_id, k.kind, a.before ->> k.field AS before_value,
         (a.at AT TIME ZONE 'Asia/Shanghai')::date AS day, a.at, a.id
  FROM audit_log a
  CROSS JOIN (VALUES ('rank'::cadre_term_kind, 'rank'), ('post'::cadre_term_kind, 'title'), ('status'::cadre_term_kind, 'status')) AS k(kind, field)
  WHERE a.entity_type = 'cadre' AND a.action IN ('cadre.updated', 'cadre.transferred')
    AND a.entity_id ~ '^[0-9]{1,9}$'
    AND a.before ? k.field AND a.after ? k.field
    AND (a.before ->> k.field) IS DISTINCT FROM (a.after ->> k.field)
    AND CASE k.kind
      WHEN 'rank' THEN (a.before ->> 'rank') = ANY (enum_range(NULL::cadre_rank)::text[])
      WHEN 'status' THEN (a.before ->> 'status') = ANY (enum_range(NULL::cadre_status)::text[])
      ELSE (a.before ->> 'title') IS NOT NULL END
    AND EXISTS (SELECT 1 FROM cadres c WHERE c.id = a.entity_id::int)
),
ordered AS (
  SELECT cadre_id, kind, before_value, day, lag(day) OVER (PARTITION BY cadre_id, kind ORDER BY at, id) AS prev_day
  FROM changes
),
terms AS (
  SELECT cadre_id, kind, before_value AS value, prev_day AS start_date, day AS end_date FROM ordered
  UNION ALL
  SELECT c.id, k.kind,
    CASE k.kind WHEN 'rank' THEN c.rank::text WHEN 'post' THEN c.title ELSE c.status::text END,
    (SELECT max(x.day) FROM changes x WHERE x.cadre_id = c.id AND x.kind = k.kind), NULL
  FROM cadres c CROSS JOIN (VALUES ('rank'::cadre_term_kind), ('post'::cadre_term_kind), ('status'::cadre_term_kind)) AS k(kind)
)
INSERT INTO cadre_terms (cadre_id, kind, rank, title, status, start_date, end_date, source)
SELECT cadre_id, kind,
  CASE WHEN kind = 'rank' THEN value::cadre_rank END,
  CASE WHEN kind = 'post' THEN coalesce(value, '') END,
  CASE WHEN kind = 'status' THEN value::cadre_status END,
  start_date, end_date, 'audit'
FROM terms
WHERE start_date IS NULL OR end_date IS NULL OR start_date < end_date;
