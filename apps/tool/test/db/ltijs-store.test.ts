import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtijsStore, deleteExpiredLtijsDocuments, ltijsDocuments } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { backends, openTestDatabase } from '../support/index.ts';

const KEY = 'contract-test-encryption-key';

describe.each(backends)('the ltijs store plugin on %s', (backend) => {
  let connection: DatabaseConnection;
  let store: LtijsStore;
  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    store = new LtijsStore(connection.db);
    await store.setup();
  });
  afterAll(async () => {
    await store.Close();
    await connection.close();
  });

  const rowsOf = (collection: string) => connection.db.select().from(ltijsDocuments).where(eq(ltijsDocuments.collection, collection));

  it('answers false when nothing matches, as ltijs expects', async () => {
    expect(await store.Get(false, 'platform', { platformUrl: 'https://nowhere.example', clientId: 'x' })).toBe(false);
  });

  it('inserts a plain document and finds it by any of its fields', async () => {
    const state = randomUUID();
    await store.Insert(false, 'state', { state, query: { iss: 'https://lms.example', login_hint: '7' } });
    const found = await store.Get(false, 'state', { state });
    expect(found).toHaveLength(1);
    expect(found && found[0]).toMatchObject({ state, query: { iss: 'https://lms.example', login_hint: '7' } });
    expect(found && found[0]?.['createdAt']).toBeInstanceOf(Date);
  });

  it('refuses a second live document with the same identity, like a replayed nonce', async () => {
    const nonce = randomUUID();
    await store.Insert(false, 'nonce', { nonce });
    await expect(store.Insert(false, 'nonce', { nonce })).rejects.toThrow(/DUPLICATE/);
    expect(await rowsOf('nonce').then((rows) => rows.filter((r) => r.fields['nonce'] === nonce))).toHaveLength(1);
  });

  it('lets an expired document be inserted again and hides it from Get meanwhile', async () => {
    const state = randomUUID();
    await store.Insert(false, 'state', { state, query: {} });
    await connection.db.execute(sql`update ltijs_documents set created_at = now() - interval '601 seconds' where collection = 'state' and fields @> ${JSON.stringify({ state })}::jsonb`);
    expect(await store.Get(false, 'state', { state })).toBe(false);
    await store.Insert(false, 'state', { state, query: { again: true } });
    expect(await store.Get(false, 'state', { state })).toMatchObject([{ state, query: { again: true } }]);
  });

  it('encrypts a document so only its index fields are readable in the database', async () => {
    const kid = randomUUID();
    const index = { kid, platformUrl: 'https://enc.example', clientId: 'enc-client' };
    await store.Replace(KEY, 'publickey', { platformUrl: index.platformUrl, clientId: index.clientId }, { key: 'PUBLIC KEY PEM', kid }, index);
    const [row] = await connection.db.select().from(ltijsDocuments).where(and(eq(ltijsDocuments.collection, 'publickey'), sql`${ltijsDocuments.fields} @> ${JSON.stringify({ kid })}::jsonb`));
    expect(row?.fields).toEqual(index);
    expect(row?.data).toMatch(/^[0-9a-f]+$/);
    expect(JSON.stringify(row)).not.toContain('PUBLIC KEY PEM');
    expect(await store.Get(KEY, 'publickey', { kid })).toEqual([{ key: 'PUBLIC KEY PEM', kid }]);
    // An unencrypted Get of an encrypted collection sees the index and the ciphertext (ltijs uses it to test for a kid).
    expect(await store.Get(false, 'publickey', { kid })).toMatchObject([{ ...index, iv: row?.iv, data: row?.data }]);
  });

  it('gives decrypted access tokens their creation time in epoch milliseconds', async () => {
    const index = { platformUrl: 'https://at.example', clientId: 'c1', scopes: 'https://purl.imsglobal.org/spec/lti-ags/scope/score' };
    const before = Date.now() - 1000;
    await store.Replace(KEY, 'accesstoken', index, { token: { access_token: 'abc', expires_in: 3600, token_type: 'bearer' } }, index);
    const [token] = (await store.Get(KEY, 'accesstoken', index)) || [];
    expect(token?.['token']).toEqual({ access_token: 'abc', expires_in: 3600, token_type: 'bearer' });
    expect(typeof token?.['createdAt']).toBe('number');
    expect(token?.['createdAt']).toBeGreaterThanOrEqual(before);
  });

  it('replaces the document its query selects instead of adding another', async () => {
    const query = { iss: 'https://r.example', clientId: 'c', deploymentId: 'd', user: randomUUID() };
    await store.Replace(false, 'idtoken', query, { ...query, userInfo: { name: 'First' } });
    await store.Replace(false, 'idtoken', query, { ...query, userInfo: { name: 'Second' } });
    const found = await store.Get(false, 'idtoken', query);
    expect(found).toHaveLength(1);
    expect(found && found[0]?.['userInfo']).toEqual({ name: 'Second' });
  });

  it('survives 10 parallel Replace calls on the same key with exactly one row left', async () => {
    const query = { contextId: `ctx-${randomUUID()}`, user: 'learner-1' };
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.Replace(false, 'contexttoken', query, { ...query, path: `/launch/${i}` })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = (await rowsOf('contexttoken')).filter((r) => r.fields['contextId'] === query.contextId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.fields['path']).toMatch(/^\/launch\/\d$/);
  });

  it('refuses a Replace whose document would move away from the identity its query selects', async () => {
    await expect(store.Replace(false, 'platformStatus', { id: 'a' }, { id: 'b', active: true })).rejects.toThrow(/IDENTITY_MISMATCH/);
  });

  it('modifies the fields of a plain document and keeps its identity in step', async () => {
    const kid = randomUUID();
    await store.Replace(false, 'platform', { platformUrl: 'https://m.example', clientId: kid }, { platformUrl: 'https://m.example', clientId: kid, platformName: 'Old', kid });
    await store.Modify(false, 'platform', { platformUrl: 'https://m.example', clientId: kid }, { platformName: 'New' });
    expect(await store.Get(false, 'platform', { kid })).toMatchObject([{ platformName: 'New', platformUrl: 'https://m.example' }]);
    await store.Modify(false, 'platform', { kid }, { platformUrl: 'https://moved.example' });
    // A later Replace under the new identity must update that row, not add a second one.
    await store.Replace(false, 'platform', { platformUrl: 'https://moved.example', clientId: kid }, { platformUrl: 'https://moved.example', clientId: kid, platformName: 'Moved', kid });
    expect(await store.Get(false, 'platform', { kid })).toMatchObject([{ platformName: 'Moved', platformUrl: 'https://moved.example' }]);
  });

  it('modifies the first field inside an encrypted document, as ltijs does', async () => {
    const index = { platformUrl: 'https://me.example', clientId: randomUUID(), scopes: 's' };
    await store.Replace(KEY, 'accesstoken', index, { token: { access_token: 'old' }, other: 1 }, index);
    await store.Modify(KEY, 'accesstoken', index, { token: { access_token: 'new' }, other: 2 });
    expect(await store.Get(KEY, 'accesstoken', index)).toMatchObject([{ token: { access_token: 'new' }, other: 1 }]);
  });

  it('does nothing when Modify matches no document', async () => {
    await store.Modify(false, 'platformStatus', { id: 'missing' }, { active: true });
    expect(await store.Get(false, 'platformStatus', { id: 'missing' })).toBe(false);
  });

  it('deletes every matching document and nothing else', async () => {
    const platformUrl = `https://d-${randomUUID()}.example`;
    await store.Insert(false, 'platformStatus', { id: `${platformUrl}-1`, active: true });
    await store.Replace(false, 'platform', { platformUrl, clientId: 'a' }, { platformUrl, clientId: 'a' });
    await store.Replace(false, 'platform', { platformUrl, clientId: 'b' }, { platformUrl, clientId: 'b' });
    await store.Delete('platform', { platformUrl });
    expect(await store.Get(false, 'platform', { platformUrl })).toBe(false);
    expect(await store.Get(false, 'platformStatus', { id: `${platformUrl}-1` })).toMatchObject([{ active: true }]);
  });

  it('lists a whole collection when Get has no query', async () => {
    const all = await store.Get(false, 'platform');
    expect(all && all.length).toBeGreaterThanOrEqual(1);
  });

  it('sweeps out documents past their lifetime and keeps live ones and those that never expire', async () => {
    const stale = randomUUID();
    const live = randomUUID();
    const platform = randomUUID();
    await store.Insert(false, 'nonce', { nonce: stale });
    await store.Insert(false, 'nonce', { nonce: live });
    await store.Replace(false, 'platformStatus', { id: platform }, { id: platform, active: true });
    await connection.db.execute(sql`update ltijs_documents set created_at = now() - interval '2 days' where fields @> ${JSON.stringify({ nonce: stale })}::jsonb or fields @> ${JSON.stringify({ id: platform })}::jsonb`);
    expect(await deleteExpiredLtijsDocuments(connection.db)).toBeGreaterThanOrEqual(1);
    const left = (await connection.db.select().from(ltijsDocuments)).map((row) => row.fields);
    expect(left).not.toContainEqual({ nonce: stale });
    expect(left).toContainEqual({ nonce: live });
    expect(left).toContainEqual({ id: platform, active: true });
  });

  it('rejects collections ltijs does not use and calls with missing parameters', async () => {
    await expect(store.Get(false, 'mystery')).rejects.toThrow(/UNKNOWN_COLLECTION/);
    await expect(store.Insert(KEY, 'state', { state: 'x' })).rejects.toThrow(/MISSING_PARAMS/);
  });
});
