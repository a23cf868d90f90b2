CREATE TABLE "attest_administrators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "attest_administrators_issuer_user_id_key" ON "attest_administrators" USING btree ("issuer","user_id");