ALTER TABLE "platform_registrations" ADD COLUMN "registered_via" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "platform_registrations" ADD COLUMN "activated_at" timestamp with time zone;--> statement-breakpoint
-- Rows from before this column existed: an active one was activated at some point (we use its creation time); all are `manual`, so none is ever pruned.
UPDATE "platform_registrations" SET "activated_at" = "created_at" WHERE "is_active";
