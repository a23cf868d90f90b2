CREATE TABLE "audit_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"deployment_id" text,
	"context_id" text,
	"actor_type" text NOT NULL,
	"actor_user_id" text,
	"actor_role" text,
	"actor_name" text,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"subject_label" text,
	"learner_user_id" text,
	"unit_id" text,
	"content_digest" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"previous_hash" text NOT NULL,
	"entry_hash" text NOT NULL,
	CONSTRAINT "audit_entries_actor_type_check" CHECK ("audit_entries"."actor_type" in ('user', 'system', 'cli')),
	CONSTRAINT "audit_entries_sequence_check" CHECK ("audit_entries"."sequence" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_entries_tenant_sequence_key" ON "audit_entries" USING btree ("issuer","client_id","sequence");--> statement-breakpoint
CREATE INDEX "audit_entries_learner_idx" ON "audit_entries" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id","sequence");--> statement-breakpoint
-- The audit trail is append-only in the database itself: no row of it is ever changed or removed,
-- whoever asks. (Disabling the trigger needs the table's owner; `audit verify` still catches that.)
CREATE FUNCTION "attest_refuse_audit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: % is refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_entries_append_only" BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION "attest_refuse_audit_change"();--> statement-breakpoint
CREATE TRIGGER "audit_entries_no_truncate" BEFORE TRUNCATE ON "audit_entries" FOR EACH STATEMENT EXECUTE FUNCTION "attest_refuse_audit_change"();
