CREATE TABLE "evidence_upload_parts" (
	"upload_id" text NOT NULL,
	"start" bigint NOT NULL,
	"size" integer NOT NULL,
	"storage_key" text NOT NULL,
	CONSTRAINT "evidence_upload_parts_pk" PRIMARY KEY("upload_id","start")
);
--> statement-breakpoint
CREATE TABLE "evidence_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"learner_user_id" text NOT NULL,
	"item_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"declared_mime_type" text,
	"size" bigint NOT NULL,
	"offset" bigint DEFAULT 0 NOT NULL,
	"evidence_file_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_uploads_offset_check" CHECK ("evidence_uploads"."offset" >= 0 and "evidence_uploads"."offset" <= "evidence_uploads"."size")
);
--> statement-breakpoint
ALTER TABLE "evidence_upload_parts" ADD CONSTRAINT "evidence_upload_parts_upload_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."evidence_uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_uploads" ADD CONSTRAINT "evidence_uploads_item_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_uploads_learner_idx" ON "evidence_uploads" USING btree ("issuer","client_id","deployment_id","context_id","learner_user_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_uploads_created_idx" ON "evidence_uploads" USING btree ("created_at");