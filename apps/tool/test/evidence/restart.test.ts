import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceItemSchema, PortfolioSchema } from '@attest/contracts';
import { startToolServer } from '../../src/index.ts';
import type { DatabaseConnection, ToolServer } from '../../src/index.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { backends, openTestDatabase, testCatalogue, registerWithTool } from '../support/index.ts';
import { aDraft, apiAs, pdfBytes, unitA } from './portfolio-fixture.ts';

// A saved draft lives in the database and its files in the file store, not in the process: a tool
// server stopped and started again on the same port, database and data directory shows the learner
// exactly what they had saved.

describe.each(backends)('a restart of the tool server on %s', (backend) => {
  let connection: DatabaseConnection;
  let lms: PlatformEmulator;
  let dataDir: string;
  let tool: ToolServer | null = null;
  const key = randomBytes(32).toString('hex');

  const start = (port: number) =>
    startToolServer({ connection, catalogue: testCatalogue([unitA]), env: { host: '127.0.0.1', port, publicUrl: null, dataDir, ltiEncryptionKey: key, nodeEnv: 'test' }, log: () => {} });

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    dataDir = mkdtempSync(join(tmpdir(), 'attest-restart-'));
    lms = await startPlatformEmulator({ mode: 'moodle' });
  });
  afterAll(async () => {
    await tool?.close();
    await lms?.close();
    await connection?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Two server starts and two launches: on busy shared cores this outlasts the 30 s default.
  it('loses no saved draft and no stored file', async () => {
    tool = await start(0);
    const port = tool.port;
    const registration = await registerWithTool(lms, tool.url, tool.lti.platforms);
    const course = lms.createCourse({ title: 'Customer Service L2' });
    const learner = lms.createUser({ name: 'Lee Learner' });
    lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: unitA.title, custom: { attest_unit: unitA.id } });
    const launch = async (toolUrl: string) => {
      const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${toolUrl}/app/`));
      return new URL(end.url).searchParams.get('ltik');
    };

    const before = apiAs(tool.url, await launch(tool.url));
    const created = EvidenceItemSchema.parse((await before.post('/api/evidence', aDraft({ title: 'First words' }))).body);
    const saved = EvidenceItemSchema.parse((await before.put(`/api/evidence/${created.id}`, { baseVersion: 1, draft: aDraft({ title: 'Saved just before the restart' }) })).body);
    const withFile = EvidenceItemSchema.parse((await before.upload(created.id, { name: 'notes.pdf', type: 'application/pdf', bytes: pdfBytes('kept') })).body);
    await tool.close();
    tool = null;
    // Nothing answers while it is down.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    tool = await start(port);
    const after = apiAs(tool.url, await launch(tool.url));
    const portfolio = PortfolioSchema.parse((await after.get('/api/portfolio')).body);
    expect(portfolio.items).toEqual([expect.objectContaining({ id: created.id, version: saved.version, title: 'Saved just before the restart', state: 'draft' })]);
    const download = await after.get(`/api/evidence/${created.id}/files/${withFile.files[0]!.id}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(download.body as ArrayBuffer).equals(pdfBytes('kept'))).toBe(true);
  }, 120_000);
});
