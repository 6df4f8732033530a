CREATE TABLE "import_files" (
	"batch_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_files_batch_id_seq_pk" PRIMARY KEY("batch_id","seq")
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "file_bytes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written: confirming now reads the kept file again, and batches previewed before files were
-- kept have none; they are discarded (their summary stays), as a discarded batch is.
UPDATE "import_batches" SET "status" = 'discarded' WHERE "status" = 'previewed';--> statement-breakpoint
ALTER TABLE "import_batches" DROP COLUMN "rows";
