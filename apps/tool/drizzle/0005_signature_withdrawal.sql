DROP INDEX "unit_signatures_role_key";--> statement-breakpoint
ALTER TABLE "unit_signatures" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unit_signatures" ADD COLUMN "withdrawn_by_issuer" text;--> statement-breakpoint
ALTER TABLE "unit_signatures" ADD COLUMN "withdrawn_by_user_id" text;--> statement-breakpoint
ALTER TABLE "unit_signatures" ADD COLUMN "withdrawn_by_name" text;--> statement-breakpoint
ALTER TABLE "unit_signatures" ADD COLUMN "withdrawal_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "unit_signatures_role_key" ON "unit_signatures" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id","unit_id","role") WHERE "unit_signatures"."withdrawn_at" is null;--> statement-breakpoint
ALTER TABLE "unit_signatures" ADD CONSTRAINT "unit_signatures_withdrawal_check" CHECK (("unit_signatures"."withdrawn_at" is null) = ("unit_signatures"."withdrawn_by_user_id" is null) and ("unit_signatures"."withdrawn_at" is null) = ("unit_signatures"."withdrawn_by_issuer" is null) and ("unit_signatures"."withdrawn_at" is null) = ("unit_signatures"."withdrawal_reason" is null));--> statement-breakpoint
-- A unit signature is still never deleted, and never changed but in one way: withdrawn once, when
-- an assessor reopens the unit (the withdrawal fields set from null, every other column as it was).
CREATE OR REPLACE FUNCTION "attest_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  withdrawal text[] := ARRAY['withdrawn_at', 'withdrawn_by_issuer', 'withdrawn_by_user_id', 'withdrawn_by_name', 'withdrawal_reason'];
BEGIN
  IF TG_TABLE_NAME = 'unit_signatures' THEN
    IF TG_OP = 'UPDATE' AND OLD."withdrawn_at" IS NULL AND NEW."withdrawn_at" IS NOT NULL
       AND (to_jsonb(NEW) - withdrawal) = (to_jsonb(OLD) - withdrawal) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'signed rows of % cannot change', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD."signed_at" IS NOT NULL THEN
    RAISE EXCEPTION 'signed rows of % cannot change', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
