import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, sql } from 'drizzle-orm';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessorRecords, evidenceFeedback, evidenceFiles, evidenceItems } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { assignRequestId, errorMiddleware } from '../../src/http/error-middleware.ts';
import type { ToolServer } from '../../src/index.ts';
import { aLearner, aRecord, assessmentCatalogue, launch, S, setUpLms } from '../assessment/assessment-fixture.ts';
import type { Api, Course2 } from '../assessment/assessment-fixture.ts';
import { aDraft } from '../evidence/portfolio-fixture.ts';
import { backends, openTestDatabase, startTestToolServer } from '../support/index.ts';

// U+0000 and lone surrogates in any text gave a 500 (PostgreSQL cannot store the one, UTF-8 cannot
// carry the other) and a log line quoting the SQL parameters, user text included. Now they are
// refused at the edge with a 400 that names the field, and nothing is stored; and a 500 that does
// happen logs the code, route and request id, never a query's text or parameters.

const NUL = 'before\u0000after';
const LONE_SURROGATE = 'before\uD83Dafter';

describe.each(backends)('text the database cannot store, on %s', (backend) => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;
  let learnerApi: Api;
  let learnerId: string;

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    lms = await setUpLms(tool, 'moodle');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
    const learner = aLearner(lms);
    learnerId = learner.id;
    learnerApi = await launch(tool, lms.lms, learner, lms.link);
  });

  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  async function storedRows(): Promise<Record<string, number>> {
    const rows: Record<string, number> = {};
    for (const [name, table] of Object.entries({ evidenceItems, evidenceFiles, assessorRecords, evidenceFeedback })) {
      const [row] = await tool.db.select({ n: count() }).from(table);
      rows[name] = row?.n ?? 0;
    }
    return rows;
  }

  const expectRefused = (reply: { status: number; body: unknown }, path: string, code: string) => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'invalid_request', details: expect.arrayContaining([{ path, code }]) } });
    expect(JSON.stringify(reply.body)).not.toContain('before');
  };

  it.each([
    ['NUL', NUL, 'text_contains_nul'],
    ['a lone surrogate', LONE_SURROGATE, 'text_contains_lone_surrogate'],
  ])('answers 400 naming the evidence title, description and customer label that hold %s, and stores nothing', async (_what, text, code) => {
    const before = await storedRows();
    expectRefused(await learnerApi.post('/api/evidence', aDraft({ title: text })), 'title', code);
    expectRefused(await learnerApi.post('/api/evidence', aDraft({ description: text })), 'description', code);
    expectRefused(await learnerApi.post('/api/evidence', aDraft({ customerRef: text })), 'customerRef', code);
    expect(await storedRows()).toEqual(before);
  });

  it.each([
    ['NUL', NUL, 'text_contains_nul'],
    ['a lone surrogate', LONE_SURROGATE, 'text_contains_lone_surrogate'],
  ])('answers 400 naming the feedback, its action plan and a record’s notes that hold %s, and stores nothing', async (_what, text, code) => {
    const before = await storedRows();
    const userPath = `/api/assessor/learners/${encodeURIComponent(learnerId)}`;
    expectRefused(await assessor.post(`${userPath}/feedback`, { text }), 'text', code);
    expectRefused(await assessor.post(`${userPath}/feedback`, { text: 'Good work.', actionPlan: text }), 'actionPlan', code);
    const observation = aRecord('observation', [S('1.2')]);
    expectRefused(await assessor.post(`${userPath}/records`, { ...observation, content: { ...observation.content, observed: text } }), 'content.observed', code);
    expect(await storedRows()).toEqual(before);
  });

  it('answers 400 to an upload whose X-File-Name holds NUL or a lone surrogate, and stores no file', async () => {
    const created = await learnerApi.post('/api/evidence', aDraft());
    expect(created.status).toBe(201);
    const itemId = (created.body as { id: string }).id;
    const before = await storedRows();
    const bytes = new TextEncoder().encode('plain text evidence');
    const withNul = await learnerApi.raw('POST', `/api/evidence/${itemId}/files`, { raw: bytes, headers: { 'content-type': 'text/plain', 'x-file-name': encodeURIComponent('notes\u0000.txt') } });
    expectRefused(withNul, 'X-File-Name', 'text_contains_nul');
    // A lone surrogate cannot be percent-encoded as UTF-8: what a client sends for one is not UTF-8.
    const withSurrogate = await learnerApi.raw('POST', `/api/evidence/${itemId}/files`, { raw: bytes, headers: { 'content-type': 'text/plain', 'x-file-name': 'notes%ED%A0%BD.txt' } });
    expectRefused(withSurrogate, 'X-File-Name', 'text_not_valid_utf8');
    expect(await storedRows()).toEqual(before);
  });

  it('answers 400 to a route parameter holding NUL or a lone surrogate, before any route reads it', async () => {
    expectRefused(await learnerApi.get('/api/evidence/abc%00def'), 'url', 'text_contains_nul');
    expectRefused(await learnerApi.get('/api/evidence/abc%ED%A0%BDdef'), 'url', 'text_not_valid_utf8');
    expectRefused(await assessor.get('/api/assessor/learners/x%00y'), 'url', 'text_contains_nul');
  });

  it('gives every response its own request id, whatever the client sent', async () => {
    const response = await fetch(`${tool.url}/healthz`, { headers: { 'x-request-id': 'chosen-by-client' } });
    await response.text();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe.each(backends)('a 500 from the database on %s', (backend) => {
  let connection: DatabaseConnection;
  let server: Server;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    // The real error middleware behind a route whose query fails with the user's text as a parameter.
    const app = express();
    app.use(assignRequestId);
    app.post('/api/things/:thingId/notes', express.json(), async (req, res) => {
      const { note } = req.body as { note: string };
      await connection.db.execute(sql`select ${note}::uuid as id, ${req.params['thingId']} as thing`);
      res.json({ ok: true });
    });
    app.use(errorMiddleware((message, details) => lines.push(`${message} ${JSON.stringify(details)}`)));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await connection?.close();
  });

  it('logs the code, route pattern, request id and error class, never the user’s text, the query or the ids in the URL', async () => {
    const secret = 'my-private-note-4711';
    const response = await fetch(`${url}/api/things/thing-0815/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: secret }) });
    const body = (await response.json()) as { error: { code: string; message: string; requestId?: string } };
    const requestId = response.headers.get('x-request-id');
    expect(response.status).toBe(500);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error).toEqual({ code: 'internal', message: 'Something went wrong on our side. Please try again.', requestId });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toContain('"code":"internal"');
    expect(line).toContain(`"requestId":"${requestId}"`);
    expect(line).toContain('"method":"POST","route":"/api/things/:thingId/notes"');
    expect(line).toContain('"code":"22P02"');
    for (const leak of [secret, 'thing-0815', 'select', 'params']) expect(line).not.toContain(leak);
  });
});
