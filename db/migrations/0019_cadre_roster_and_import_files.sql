CREATE TYPE "public"."cadre_term_kind" AS ENUM('rank', 'post', 'status');--> statement-breakpoint
CREATE TYPE "public"."cadre_degree" AS ENUM('doctor', 'master', 'bachelor');--> statement-breakpoint
CREATE TYPE "public"."cadre_gender" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TABLE "import_files" (
	"batch_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_files_batch_id_seq_pk" PRIMARY KEY("batch_id","seq")
);
--> statement-breakpoint
CREATE TABLE "cadre_terms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cadre_terms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cadre_id" integer NOT NULL,
	"kind" "cadre_term_kind" NOT NULL,
	"rank" "cadre_rank",
	"title" text,
	"status" "cadre_status",
	"start_date" date,
	"end_date" date NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadre_terms_dates" CHECK ("cadre_terms"."start_date" is null or "cadre_terms"."start_date" < "cadre_terms"."end_date"),
	CONSTRAINT "cadre_terms_value" CHECK (("cadre_terms"."kind" = 'rank') = ("cadre_terms"."rank" is not null) and ("cadre_terms"."kind" = 'post') = ("cadre_terms"."title" is not null) and ("cadre_terms"."kind" = 'status') = ("cadre_terms"."status" is not null))
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "file_bytes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "gender" "cadre_gender";--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "ethnicity" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "birth_date" date;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "native_place" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "political_status" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "education" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "degree" "cadre_degree";--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "work_start_date" date;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "rank_since" date;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "post_since" date;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "status_since" date;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadre_terms" ADD CONSTRAINT "cadre_terms_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cadre_terms_by_cadre" ON "cadre_terms" USING btree ("cadre_id","kind","end_date");--> statement-breakpoint
CREATE INDEX "cadre_terms_ended" ON "cadre_terms" USING btree ("kind","end_date","cadre_id");--> statement-breakpoint
-- Hand-written: confirming now reads the kept file again, and batches previewed before files were
-- kept have none; they are discarded (their summary stays), as a discarded batch is.
UPDATE "import_batches" SET "status" = 'discarded' WHERE "status" = 'previewed';--> statement-breakpoint
ALTER TABLE "import_batches" DROP COLUMN "rows";--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_ethnicity_code" CHECK ("cadres"."ethnicity" is null or "cadres"."ethnicity" in ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46', '47', '48', '49', '50', '51', '52', '53', '54', '55', '56', '97', '98'));--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_political_status_code" CHECK ("cadres"."political_status" is null or "cadres"."political_status" in ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13'));--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_education_code" CHECK ("cadres"."education" is null or "cadres"."education" in ('10', '20', '30', '40', '60', '70', '80', '90'));--> statement-breakpoint
-- Hand-written: every cadre's history of rank, post and status, rebuilt once from the audit log (the
-- before and after of each cadre.updated / cadre.transferred entry). Each change ends a term holding
-- the value before it, from the previous change (or from before records began); several changes on one
-- day keep the last. The current values began on the day of their last change. From here on, edits and
-- imports write the history themselves, and no rule reads the audit log for it.
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
)
INSERT INTO cadre_terms (cadre_id, kind, rank, title, status, start_date, end_date, source)
SELECT cadre_id, kind,
  CASE WHEN kind = 'rank' THEN before_value::cadre_rank END,
  CASE WHEN kind = 'post' THEN before_value END,
  CASE WHEN kind = 'status' THEN before_value::cadre_status END,
  prev_day, day, 'audit'
FROM ordered
WHERE prev_day IS NULL OR prev_day < day;
--> statement-breakpoint
UPDATE cadres c SET
  rank_since = (SELECT max(t.end_date) FROM cadre_terms t WHERE t.cadre_id = c.id AND t.kind = 'rank'),
  post_since = (SELECT max(t.end_date) FROM cadre_terms t WHERE t.cadre_id = c.id AND t.kind = 'post'),
  status_since = (SELECT max(t.end_date) FROM cadre_terms t WHERE t.cadre_id = c.id AND t.kind = 'status')
WHERE EXISTS (SELECT 1 FROM cadre_terms t WHERE t.cadre_id = c.id);
