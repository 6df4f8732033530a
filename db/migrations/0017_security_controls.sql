ALTER TYPE "public"."granted_role" ADD VALUE 'security_admin' BEFORE 'venue_staff';--> statement-breakpoint
ALTER TYPE "public"."granted_role" ADD VALUE 'audit_admin' BEFORE 'venue_staff';--> statement-breakpoint
CREATE TABLE "log_chain_anchors" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "log_chain_anchors_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"log" text NOT NULL,
	"upto_seq" bigint NOT NULL,
	"last_hash" text NOT NULL,
	"removed_rows" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "security_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "security_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"user_id" integer,
	"actor_user_id" integer,
	"identifier" text,
	"address" text,
	"user_agent" text,
	"reason" text,
	"details" jsonb,
	"chain_seq" bigint,
	"prev_hash" text,
	"hash" text
);
--> statement-breakpoint
CREATE TABLE "login_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"second_factor_until" timestamp with time zone,
	"user_agent" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_throttles" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "login_throttles_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "password_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "password_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recovery_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "recovery_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "actor_name" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "actor_roles" text[];--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "actor_units" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "second_factor_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "user_agent" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "address" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "one_time_password_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "demo_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_key" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_enrolled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "login_devices" ADD CONSTRAINT "login_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_history" ADD CONSTRAINT "password_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "security_events_at_index" ON "security_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "security_events_user_id_at_index" ON "security_events" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "security_events_kind_at_index" ON "security_events" USING btree ("kind","at");--> statement-breakpoint
CREATE UNIQUE INDEX "security_events_chain_seq_index" ON "security_events" USING btree ("chain_seq");--> statement-breakpoint
CREATE INDEX "login_devices_user_id_index" ON "login_devices" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "login_devices_expires_at_index" ON "login_devices" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "login_throttles_window_started_at_index" ON "login_throttles" USING btree ("window_started_at");--> statement-breakpoint
CREATE INDEX "password_history_user_id_created_at_index" ON "password_history" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_codes_user_id_code_hash_index" ON "recovery_codes" USING btree ("user_id","code_hash");--> statement-breakpoint
CREATE INDEX "audit_log_action_index" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_seq_index" ON "audit_log" USING btree ("chain_seq");--> statement-breakpoint
DROP TABLE "login_failures" CASCADE;
--> statement-breakpoint
-- Hand-written below: append-only rules that allow sealing a row into the hash chain once, the
-- security log's retention prune, the notification that asks a sealer to run after commit, and the
-- separation of duties (三员分立) enforced by the database as well as the app.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Sealing: the chain columns go from null to a value once; nothing else may change.
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
     AND (to_jsonb(NEW) - 'chain_seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'chain_seq' - 'prev_hash' - 'hash') THEN
    RETURN NEW;
  END IF;
  -- The security log's nightly prune, and only of rows older than the 180-day floor.
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'security_events'
     AND current_setting('luoshi.log_prune', true) = 'on' AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER security_events_no_update_delete BEFORE UPDATE OR DELETE ON security_events
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER log_chain_anchors_no_update_delete BEFORE UPDATE OR DELETE ON log_chain_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- Delivered when the inserting transaction commits: a listening app server seals the new rows.
CREATE FUNCTION log_rows_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('luoshi_log_sealing', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_added AFTER INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION log_rows_added();
--> statement-breakpoint
CREATE TRIGGER security_events_added AFTER INSERT ON security_events FOR EACH STATEMENT EXECUTE FUNCTION log_rows_added();
--> statement-breakpoint
-- 三员分立: the audit administrator is never also the system or the security administrator.
CREATE FUNCTION user_roles_separate_duties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.role::text = 'audit_admin' AND EXISTS (
        SELECT 1 FROM user_roles r WHERE r.user_id = NEW.user_id AND r.role::text IN ('system_admin', 'security_admin')))
     OR (NEW.role::text IN ('system_admin', 'security_admin') AND EXISTS (
        SELECT 1 FROM user_roles r WHERE r.user_id = NEW.user_id AND r.role::text = 'audit_admin')) THEN
    RAISE EXCEPTION 'separation of duties: the audit administrator cannot also be the system or security administrator (user %)', NEW.user_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER user_roles_separate_duties BEFORE INSERT OR UPDATE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION user_roles_separate_duties();
--> statement-breakpoint
-- Sessions open at the upgrade: those of accounts without an administrative role count as complete;
-- an administrator signs in again, with the second factor this release makes mandatory for them.
UPDATE sessions SET second_factor_at = created_at
WHERE user_id NOT IN (SELECT user_id FROM user_roles WHERE role::text IN ('org_admin', 'system_admin'));
