CREATE TABLE "assessment_action_plans" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"plan" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_by_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_action_plans_pkey" PRIMARY KEY("issuer","client_id","deployment_id","context_id","learner_user_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_reports" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"report" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_by_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_reports_pkey" PRIMARY KEY("issuer","client_id","deployment_id","context_id","learner_user_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "assessor_profiles" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text,
	"is_qualified" boolean NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessor_profiles_pkey" PRIMARY KEY("issuer","client_id","deployment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assessor_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"kind" text NOT NULL,
	"method" text NOT NULL,
	"content" jsonb NOT NULL,
	"targets" jsonb NOT NULL,
	"author_user_id" text NOT NULL,
	"author_name" text,
	"version" integer DEFAULT 1 NOT NULL,
	"supersedes_id" uuid,
	"signed_at" timestamp with time zone,
	"signer_issuer" text,
	"signer_user_id" text,
	"signer_name" text,
	"signed_digest" text,
	"signed_content" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessor_records_signature_check" CHECK (("assessor_records"."signed_at" is null) = ("assessor_records"."signed_digest" is null))
);
--> statement-breakpoint
CREATE TABLE "evidence_judgements" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"judged_by" text NOT NULL,
	"judged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"role" text NOT NULL,
	"signer_issuer" text NOT NULL,
	"signer_user_id" text NOT NULL,
	"signer_name" text,
	"signed_at" timestamp with time zone NOT NULL,
	"signed_digest" text NOT NULL,
	"signed_content" jsonb NOT NULL,
	"is_countersignature_required" boolean DEFAULT false NOT NULL,
	CONSTRAINT "unit_signatures_role_check" CHECK ("unit_signatures"."role" in ('candidate', 'assessor', 'assessor-countersignature'))
);
--> statement-breakpoint
ALTER TABLE "assessor_records" ADD CONSTRAINT "assessor_records_supersedes_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."assessor_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_judgements" ADD CONSTRAINT "evidence_judgements_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessor_records_supersedes_key" ON "assessor_records" USING btree ("supersedes_id");--> statement-breakpoint
CREATE INDEX "assessor_records_learner_idx" ON "assessor_records" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_signatures_role_key" ON "unit_signatures" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id","unit_id","role");--> statement-breakpoint
-- Signed things are append-only in the database too, not only in the use cases: a signed assessor
-- record never changes, and a unit signature is never updated or deleted.
CREATE FUNCTION "attest_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'unit_signatures' OR OLD."signed_at" IS NOT NULL THEN
    RAISE EXCEPTION 'signed rows of % cannot change', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "assessor_records_signed_immutable" BEFORE UPDATE OR DELETE ON "assessor_records" FOR EACH ROW EXECUTE FUNCTION "attest_refuse_signed_change"();--> statement-breakpoint
CREATE TRIGGER "unit_signatures_append_only" BEFORE UPDATE OR DELETE ON "unit_signatures" FOR EACH ROW EXECUTE FUNCTION "attest_refuse_signed_change"();
