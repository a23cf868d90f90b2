import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_S3_CREDENTIALS, startLocalS3Server } from '@attest/evidence-files/testing/local-s3-server';
import type { LocalS3Server } from '@attest/evidence-files/testing/local-s3-server';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EvidenceItemSchema } from '@attest/contracts';
import { EXIT_UNAVAILABLE, startToolServer, StartupError } from '../../src/index.ts';
import type { DatabaseConnection, Env, ToolServer } from '../../src/index.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { openTestDatabase, testCatalogue, registerWithTool } from '../support/index.ts';
import { aDraft, apiAs, pdfBytes, unitA } from './portfolio-fixture.ts';

// The tool with ATTEST_FILE_STORE=s3, against s3rver on loopback: a learner's upload goes into the
// bucket, comes back through the tool's own download route (authorisation and headers unchanged,
// decision 0016), and leaves the bucket when deleted. One backend is enough: the database plays no
// part in where the bytes go.

describe('the tool server with evidence in S3', () => {
  let s3: LocalS3Server;
  let s3Directory: string;
  let connection: DatabaseConnection;
  let lms: PlatformEmulator;
  let dataDir: string;
  let tool: ToolServer | null = null;
  const key = randomBytes(32).toString('hex');

  const start = (evidenceFileStore: Env['evidenceFileStore']) =>
    startToolServer({ connection, catalogue: testCatalogue([unitA]), env: { host: '127.0.0.1', port: 0, publicUrl: null, dataDir, ltiEncryptionKey: key, nodeEnv: 'test', evidenceFileStore }, log: () => {} });

  beforeAll(async () => {
    // The store takes credentials from the AWS SDK's default chain, as in production.
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_S3_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_S3_CREDENTIALS.secretAccessKey);
    s3Directory = mkdtempSync(join(tmpdir(), 'attest-tool-s3rver-'));
    s3 = await startLocalS3Server({ directory: s3Directory });
    connection = await openTestDatabase('pglite');
    dataDir = mkdtempSync(join(tmpdir(), 'attest-tool-s3-'));
    lms = await startPlatformEmulator({ mode: 'moodle' });
  });
  afterAll(async () => {
    await tool?.close();
    await lms?.close();
    await connection?.close();
    await s3?.close();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(s3Directory, { recursive: true, force: true });
  });

  it('stores an upload in the bucket, serves it through the tool, and deletes it from the bucket', async () => {
    tool = await start({ kind: 's3', bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true });
    const registration = await registerWithTool(lms, tool.url, tool.lti.platforms);
    const course = lms.createCourse({ title: 'Customer Service L2' });
    const learner = lms.createUser({ name: 'Sam Sharma' });
    lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: unitA.title, custom: { attest_unit: unitA.id } });
    const toolUrl = tool.url;
    const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${toolUrl}/app/`));
    const api = apiAs(tool.url, new URL(end.url).searchParams.get('ltik'));

    const item = EvidenceItemSchema.parse((await api.post('/api/evidence', aDraft({ title: 'Till float check' }))).body);
    const uploaded = await api.upload(item.id, { name: 'float.pdf', type: 'application/pdf', bytes: pdfBytes('counted twice') });
    expect(uploaded.status).toBe(201);
    const file = EvidenceItemSchema.parse(uploaded.body).files[0]!;
    expect(await s3.objectKeys()).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]+\/[0-9a-f]{2}\/[0-9a-f]{32}$/)]);

    const download = await api.get(`/api/evidence/${item.id}/files/${file.id}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(download.body as ArrayBuffer).equals(pdfBytes('counted twice'))).toBe(true);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    // Another request without the learner's launch token gets nothing from the bucket.
    expect((await apiAs(tool.url, null).get(`/api/evidence/${item.id}/files/${file.id}`)).status).toBe(401);

    expect((await api.delete(`/api/evidence/${item.id}/files/${file.id}`)).status).toBe(200);
    expect(await s3.objectKeys()).toEqual([]);
    expect(await s3.pendingMultipartUploads()).toEqual([]);
    await tool.close();
    tool = null;
  }, 120_000);

  it('refuses to start, naming the bucket, when the bucket is not there', async () => {
    const failure: unknown = await start({ kind: 's3', bucket: 'no-such-bucket', region: s3.region, endpoint: s3.endpoint, forcePathStyle: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).exitCode).toBe(EXIT_UNAVAILABLE);
    expect((failure as StartupError).message).toContain(`cannot use S3 bucket "no-such-bucket" at ${s3.endpoint}: it does not exist`);
    expect((failure as StartupError).message).toContain('Check ATTEST_S3_BUCKET');
  }, 60_000);
});
