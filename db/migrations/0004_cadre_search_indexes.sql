-- Cadre search (name fragment, staff-number prefix, pinyin-initials prefix) at province scale:
-- a trigram index serves ILIKE '%…%' on names; pattern-ops indexes serve the prefix searches.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS cadres_name_trgm ON cadres USING gin (name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS cadres_staff_no_lower_prefix ON cadres (lower(staff_no) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS cadres_name_initials_prefix ON cadres (name_initials text_pattern_ops);
