CREATE TABLE "platform_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"name" text,
	"deployment_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "launches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"user_id" text NOT NULL,
	"message_type" text NOT NULL,
	"context_id" text,
	"resource_link_id" text,
	"unit_id" text,
	"roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"line_item_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_contexts" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"title" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lti_contexts_pkey" PRIMARY KEY("issuer","client_id","deployment_id","context_id")
);
--> statement-breakpoint
CREATE TABLE "lti_users" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text,
	"email" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lti_users_pkey" PRIMARY KEY("issuer","client_id","deployment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "score_passbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"line_item_url" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"score_given" double precision,
	"score_maximum" double precision,
	"activity_progress" text NOT NULL,
	"grading_progress" text NOT NULL,
	"comment" text,
	"score_timestamp" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_status" integer,
	"extensions" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "score_passbacks_state_check" CHECK ("score_passbacks"."state" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "ltijs_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"collection" text NOT NULL,
	"doc_key" text NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"iv" text,
	"data" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "platform_registrations_issuer_client_id_key" ON "platform_registrations" USING btree ("issuer","client_id");--> statement-breakpoint
CREATE INDEX "launches_tenant_user_idx" ON "launches" USING btree ("issuer","client_id","deployment_id","user_id");--> statement-breakpoint
CREATE INDEX "score_passbacks_target_idx" ON "score_passbacks" USING btree ("issuer","client_id","deployment_id","line_item_url","learner_user_id","score_timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "ltijs_documents_collection_doc_key_key" ON "ltijs_documents" USING btree ("collection","doc_key");--> statement-breakpoint
CREATE INDEX "ltijs_documents_fields_idx" ON "ltijs_documents" USING gin ("fields");