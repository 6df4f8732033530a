ALTER TABLE "import_batches" ADD COLUMN "processed_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "total_rows" integer DEFAULT 0 NOT NULL;