import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @attest/tool run db:generate` writes SQL migrations into ./drizzle; the tool
// applies the same files at start-up on PostgreSQL and on PGlite (src/db/migrate-database.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/schema/tenants.ts', './src/db/schema/launches.ts', './src/db/schema/score-passbacks.ts', './src/db/schema/ltijs-documents.ts', './src/db/schema/evidence.ts', './src/db/schema/assessment.ts', './src/db/schema/audit.ts'],
  out: './drizzle',
});
