-- Verified frontline records per cadre in start order, with their end: the quarter's frontline days per
-- cadre (rankings) read this index alone, in the order their running count needs, without a sort. It
-- replaces the (status, cadre_id) index, whose lookups it serves as well.
DROP INDEX "frontline_records_status_cadre_id_index";--> statement-breakpoint
CREATE INDEX "frontline_records_status_cadre_id_start_date_end_date_index" ON "frontline_records" USING btree ("status","cadre_id","start_date","end_date");