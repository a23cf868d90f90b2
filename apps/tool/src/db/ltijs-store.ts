// Our storage plugin for ltijs 5.9.9 (`lti.setup(key, { plugin: new LtijsStore(db) }, …)`), written
// to the semantics of ltijs's own MongoDB `Database` (node_modules/ltijs/dist/Utils/Database.js):
//   Get(key|false, collection, query?)         → matching documents, or `false` when there are none
//   Insert(key|false, collection, item, index?) → stores item; with a key, stores index + encrypted item
//   Replace(key|false, collection, query, item, index?) → upsert: replace the matching document or insert
//   Modify(key|false, collection, query, modification) → sets fields on the first matching document
//   Delete(collection, query)                   → deletes every matching document
// Encryption is ltijs's own (AES-256-CBC, key = SHA-256 of the secret, hex iv/data), so documents
// stay readable by ltijs's format. This file must not import ltijs: only src/lti/ does.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { ltijsDocuments } from './schema/ltijs-documents.ts';

type Document = Record<string, unknown>;
type EncryptionKey = string | false | null | undefined;

/**
 * The fields that identify a document in each collection ltijs uses: the fields of its `Replace`
 * queries (and of the unique indexes in ltijs's Mongo schemas). They make `Replace` one atomic upsert.
 */
const identityFields: Readonly<Record<string, readonly string[]>> = {
  idtoken: ['iss', 'clientId', 'deploymentId', 'user'],
  contexttoken: ['contextId', 'user'],
  platform: ['platformUrl', 'clientId'],
  platformStatus: ['id'],
  publickey: ['platformUrl', 'clientId'],
  privatekey: ['platformUrl', 'clientId'],
  accesstoken: ['platformUrl', 'clientId', 'scopes'],
  nonce: ['nonce'],
  state: ['state'],
};

/**
 * Lifetimes from ltijs's Mongo TTL indexes, in seconds. Documents past them are invisible to `Get`
 * and replaceable by `Insert`. The nonce lives 600 s instead of ltijs's 10 s: longer only makes
 * replays harder, and it still outlives the id_token's accepted age when that check is relaxed.
 */
const lifetimeSeconds: Readonly<Record<string, number>> = {
  idtoken: 24 * 3600,
  contexttoken: 24 * 3600,
  accesstoken: 3600,
  nonce: 600,
  state: 600,
};

export class LtijsStoreError extends Error {
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'LtijsStoreError';
  }
}

export class LtijsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** ltijs calls this from `deploy()`; the connection is ours and already open. */
  async setup(): Promise<true> {
    return true;
  }

  /** ltijs calls this from `close()`; the connection is ours, closed by whoever opened it. */
  async Close(): Promise<true> {
    return true;
  }

  async Get(encryptionKey: EncryptionKey, collection: string, query?: Document): Promise<Document[] | false> {
    if (!collection) throw new LtijsStoreError('MISSING_COLLECTION', 'Get needs a collection');
    identityOf(collection, {});
    const rows = await this.#db
      .select()
      .from(ltijsDocuments)
      .where(and(matching(collection, query), notExpired(collection)))
      .orderBy(asc(ltijsDocuments.id));
    if (rows.length === 0) return false;
    const hasCreatedAt = collection in lifetimeSeconds;
    return rows.map((row) => {
      if (encryptionKey) {
        if (row.iv === null || row.data === null) throw new LtijsStoreError('NOT_ENCRYPTED', `a ${collection} document has no encrypted data`);
        const document = JSON.parse(decrypt(row.data, row.iv, encryptionKey)) as Document;
        // ltijs turns createdAt into epoch milliseconds for decrypted documents (access token expiry).
        return hasCreatedAt ? { ...document, createdAt: row.createdAt.getTime() } : document;
      }
      const document: Document = { ...row.fields };
      if (row.iv !== null && row.data !== null) Object.assign(document, { iv: row.iv, data: row.data });
      return hasCreatedAt ? { ...document, createdAt: row.createdAt } : document;
    });
  }

  async Insert(encryptionKey: EncryptionKey, collection: string, item: Document, index?: Document): Promise<true> {
    if (!collection || !item || (encryptionKey && !index)) throw new LtijsStoreError('MISSING_PARAMS', 'Insert needs a collection, an item and, when encrypting, an index');
    const stored = toStored(encryptionKey, item, index);
    const docKey = identityOf(collection, stored.fields);
    const lifetime = lifetimeSeconds[collection];
    // A live document with the same identity is a duplicate (ltijs's unique indexes; a replayed nonce
    // or state); an expired one is what Mongo's TTL monitor would already have removed.
    const inserted = await this.#db
      .insert(ltijsDocuments)
      .values({ collection, docKey, ...stored })
      .onConflictDoUpdate({
        target: [ltijsDocuments.collection, ltijsDocuments.docKey],
        set: { ...stored, createdAt: sql`now()` },
        setWhere: lifetime === undefined ? sql`false` : sql`${ltijsDocuments.createdAt} <= now() - make_interval(secs => ${lifetime})`,
      })
      .returning({ id: ltijsDocuments.id });
    if (inserted.length === 0) throw new LtijsStoreError('DUPLICATE', `a ${collection} document with this identity already exists`);
    return true;
  }

  async Replace(encryptionKey: EncryptionKey, collection: string, query: Document, item: Document, index?: Document): Promise<true> {
    if (!collection || !item || (encryptionKey && !index)) throw new LtijsStoreError('MISSING_PARAMS', 'Replace needs a collection, an item and, when encrypting, an index');
    const stored = toStored(encryptionKey, item, index);
    const docKey = identityOf(collection, stored.fields);
    const queried = identityOf(collection, { ...stored.fields, ...definedOnly(query ?? {}) });
    if (queried !== docKey) throw new LtijsStoreError('IDENTITY_MISMATCH', `Replace in ${collection} would change the identity its query selects`);
    // One statement, so concurrent launches replacing the same id token or context cannot race into
    // duplicates or a unique-violation: the loser of the race updates the winner's row.
    await this.#db
      .insert(ltijsDocuments)
      .values({ collection, docKey, ...stored })
      .onConflictDoUpdate({ target: [ltijsDocuments.collection, ltijsDocuments.docKey], set: { ...stored, createdAt: sql`now()` } });
    return true;
  }

  async Modify(encryptionKey: EncryptionKey, collection: string, query: Document, modification: Document): Promise<true> {
    if (!collection || !query || !modification) throw new LtijsStoreError('MISSING_PARAMS', 'Modify needs a collection, a query and a modification');
    identityOf(collection, {});
    await this.#db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(ltijsDocuments)
        .where(and(matching(collection, query), notExpired(collection)))
        .orderBy(asc(ltijsDocuments.id))
        .limit(1)
        .for('update');
      if (!row) return;
      if (encryptionKey && row.iv !== null && row.data !== null) {
        // As ltijs does: only the first modified field is applied inside the encrypted body.
        const document = JSON.parse(decrypt(row.data, row.iv, encryptionKey)) as Document;
        const [field, value] = Object.entries(modification)[0] ?? [];
        if (field !== undefined) document[field] = value;
        const encrypted = encrypt(JSON.stringify(document), encryptionKey);
        await tx.update(ltijsDocuments).set(encrypted).where(eq(ltijsDocuments.id, row.id));
        return;
      }
      const fields = { ...row.fields, ...definedOnly(modification) };
      await tx
        .update(ltijsDocuments)
        .set({ fields, docKey: identityOf(collection, fields) })
        .where(eq(ltijsDocuments.id, row.id));
    });
    return true;
  }

  async Delete(collection: string, query: Document): Promise<true> {
    if (!collection || !query) throw new LtijsStoreError('MISSING_PARAMS', 'Delete needs a collection and a query');
    identityOf(collection, {});
    await this.#db.delete(ltijsDocuments).where(matching(collection, query));
    return true;
  }
}

/**
 * Removes documents past their lifetime, as Mongo's TTL monitor does for ltijs. `Get` already
 * ignores them; this keeps the table from growing by a state, a nonce and an id token per launch.
 */
export async function deleteExpiredLtijsDocuments(db: Database): Promise<number> {
  let deleted = 0;
  for (const [collection, lifetime] of Object.entries(lifetimeSeconds)) {
    const rows = await db
      .delete(ltijsDocuments)
      .where(and(eq(ltijsDocuments.collection, collection), sql`${ltijsDocuments.createdAt} <= now() - make_interval(secs => ${lifetime})`))
      .returning({ id: ltijsDocuments.id });
    deleted += rows.length;
  }
  return deleted;
}

function identityOf(collection: string, fields: Document): string {
  const names = identityFields[collection];
  if (!names) throw new LtijsStoreError('UNKNOWN_COLLECTION', `ltijs collection "${collection}" is not one this store knows`);
  return JSON.stringify(names.map((name) => fields[name] ?? null));
}

/**
 * What `Get(false, collection, query)` selects, as a condition on ltijs_documents, for a caller
 * that reads documents within a larger statement (read-launch-of-ltik.ts). `criteria` is the query
 * as `containmentOf` gives it, or a placeholder for it in a prepared statement.
 */
export function liveDocumentsWhere(collection: string, criteria: SQL | SQL.Aliased | ReturnType<typeof sql.placeholder>): SQL {
  identityOf(collection, {});
  return and(eq(ltijsDocuments.collection, collection), sql`${ltijsDocuments.fields} @> ${criteria}::jsonb`, notExpired(collection)) as SQL;
}

/** A `Get` query as the JSON document its matches contain (what `liveDocumentsWhere` compares). */
export function containmentOf(query: Document): string {
  return JSON.stringify(definedOnly(query));
}

function matching(collection: string, query: Document | undefined): SQL {
  const where = eq(ltijsDocuments.collection, collection);
  const criteria = definedOnly(query ?? {});
  if (Object.keys(criteria).length === 0) return where;
  return and(where, sql`${ltijsDocuments.fields} @> ${JSON.stringify(criteria)}::jsonb`) as SQL;
}

function notExpired(collection: string): SQL {
  const lifetime = lifetimeSeconds[collection];
  return lifetime === undefined ? sql`true` : sql`${ltijsDocuments.createdAt} > now() - make_interval(secs => ${lifetime})`;
}

/** Mongoose drops `undefined` from queries and documents; JSON would turn it into nothing too. */
function definedOnly(document: Document): Document {
  return Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined));
}

function toStored(encryptionKey: EncryptionKey, item: Document, index: Document | undefined): { fields: Document; iv: string | null; data: string | null } {
  if (!encryptionKey) return { fields: JSON.parse(JSON.stringify(item)) as Document, iv: null, data: null };
  const encrypted = encrypt(JSON.stringify(item), encryptionKey);
  return { fields: JSON.parse(JSON.stringify(index ?? {})) as Document, ...encrypted };
}

function keyFrom(secret: string): Buffer {
  return createHash('sha256').update(secret).digest().subarray(0, 32);
}

function encrypt(plain: string, secret: string): { iv: string; data: string } {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', keyFrom(secret), iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('hex'), data: data.toString('hex') };
}

function decrypt(data: string, iv: string, secret: string): string {
  const decipher = createDecipheriv('aes-256-cbc', keyFrom(secret), Buffer.from(iv, 'hex'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'hex')), decipher.final()]).toString();
}
