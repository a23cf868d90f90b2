import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * ltijs's collections (platform, publickey, idtoken, state, …) in one table. `fields` holds what
 * ltijs queries by (the whole document, or only the index fields of an encrypted one); `iv`/`data`
 * hold the encrypted body. `docKey` is the collection's identity (see ltijs-store.ts), unique so that
 * `Replace` can be a single upsert and concurrent launches cannot create duplicates.
 */
export const ltijsDocuments = pgTable(
  'ltijs_documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    collection: text('collection').notNull(),
    docKey: text('doc_key').notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    iv: text('iv'),
    data: text('data'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ltijs_documents_collection_doc_key_key').on(t.collection, t.docKey),
    index('ltijs_documents_fields_idx').using('gin', t.fields),
  ],
);
