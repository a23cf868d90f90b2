CREATE TABLE "placed_units" (
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"context_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"placed_by_user_id" text NOT NULL,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "placed_units_pkey" PRIMARY KEY("issuer","client_id","deployment_id","context_id","unit_id")
);
