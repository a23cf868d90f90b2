CREATE TABLE "evidence_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"item_id" uuid,
	"unit_id" text,
	"author_user_id" text NOT NULL,
	"author_name" text,
	"text" text NOT NULL,
	"action_plan" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_feedback_subject_check" CHECK (("evidence_feedback"."item_id" is null) <> ("evidence_feedback"."unit_id" is null))
);
--> statement-breakpoint
CREATE TABLE "evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"author_user_id" text NOT NULL,
	"author_role" text DEFAULT 'candidate' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"evidence_type" text NOT NULL,
	"activity_date" text NOT NULL,
	"customer_ref" text,
	"occasion_ref" text,
	"work_setting" text NOT NULL,
	"method" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_items_state_check" CHECK ("evidence_items"."state" in ('draft', 'submitted')),
	CONSTRAINT "evidence_items_version_check" CHECK ("evidence_items"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "evidence_mappings" (
	"item_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"target" text NOT NULL,
	"ref" text NOT NULL,
	"decision" text DEFAULT 'pending' NOT NULL,
	"method" text NOT NULL,
	"feedback" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_mappings_pkey" PRIMARY KEY("item_id","unit_id","target","ref"),
	CONSTRAINT "evidence_mappings_target_check" CHECK ("evidence_mappings"."target" in ('statement', 'scope-item', 'evidence-requirement')),
	CONSTRAINT "evidence_mappings_decision_check" CHECK ("evidence_mappings"."decision" in ('pending', 'accepted', 'referred'))
);
--> statement-breakpoint
CREATE TABLE "evidence_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"draft" jsonb NOT NULL,
	"mappings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"saved_by" text NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_revisions_kind_check" CHECK ("evidence_revisions"."kind" in ('saved', 'submitted', 'reopened', 'conflict-copy'))
);
--> statement-breakpoint
CREATE TABLE "unit_sign_offs" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"role" text NOT NULL,
	"signer_user_id" text NOT NULL,
	"signer_name" text,
	"signed_on" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_sign_offs_pkey" PRIMARY KEY("issuer","client_id","deployment_id","context_id","learner_user_id","unit_id","role")
);
--> statement-breakpoint
ALTER TABLE "evidence_feedback" ADD CONSTRAINT "evidence_feedback_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_mappings" ADD CONSTRAINT "evidence_mappings_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_revisions" ADD CONSTRAINT "evidence_revisions_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_feedback_learner_idx" ON "evidence_feedback" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id");--> statement-breakpoint
CREATE INDEX "evidence_files_item_idx" ON "evidence_files" USING btree ("item_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "evidence_items_learner_idx" ON "evidence_items" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_revisions_item_idx" ON "evidence_revisions" USING btree ("item_id","seq");