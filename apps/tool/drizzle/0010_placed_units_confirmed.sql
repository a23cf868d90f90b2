ALTER TABLE "placed_units" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "placed_units" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
-- Placements recorded before decision 0020 counted from the signed response; they stay listed as they were.
UPDATE "placed_units" SET "confirmed_at" = "placed_at";
