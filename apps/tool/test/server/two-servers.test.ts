import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvidenceItemSchema, RESUMABLE_UPLOADS_PATH } from '@attest/contracts';
import { startPlatformEmulator, type PlatformEmulator } from '@attest/platform-emulator';
import { createProxyServer } from 'http-proxy-3';
import { freePort } from '../support/free-port.ts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, scorePassbacks, type DatabaseConnection } from '../../src/db/index.ts';
import { startJobQueue } from '../../src/jobs/index.ts';
import { createScorePassback } from '../../src/scores/create-score-passback.ts';
import { withDatabase } from '../support/global-setup.ts';
import { aDraft, apiAs, pdfBytes, pngBytes } from '../evidence/portfolio-fixture.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { adminQuery } from '../support/admin-query.ts';

// Issue 15, part 2: two tool processes on one PostgreSQL behind one public origin, a round-robin
// reverse proxy (http-proxy-3) in front, as a college scaling out would run them. Whatever one
// server did, the other must see: the launch one took serves the API on the other, a file one
// stored the other reads, a learner's two tabs on different servers still meet the version check,
// and a platform the operator registers while both run launches on either. Nothing here may rest
// on one process's memory. PostgreSQL only: PGlite is one process's database by design.

const toolDir = fileURLToPath(new URL('../..', import.meta.url));
const UNIT_ID = 'nvq2-cs-201';

interface Served {
  readonly method: string;
  readonly path: string;
  readonly server: number;
}

/** The proxy: each request to the next server in turn, and a record of who served what. */
async function startRoundRobinProxy() {
  const targets: string[] = [];
  const served: Served[] = [];
  let next = 0;
  const proxy = createProxyServer({ xfwd: true });
  const server: Server = createServer((req, res) => {
    const index = next++ % targets.length;
    served.push({ method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0] ?? '', server: index });
    proxy.web(req, res, { target: targets[index] }, () => {
      if (!res.headersSent) res.writeHead(502).end('tool server unreachable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    targets,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One tool process (`src/main.ts`, as the demo and a container start it) on `port`, once it says it listens. */
async function startToolProcess(env: Record<string, string>, port: number): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: toolDir, env: { PATH: process.env['PATH'] ?? '', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Attest tool listening at')) resolve();
    });
    child.once('close', (code) => reject(new Error(`the tool exited with ${code} before listening:\n${output}`)));
    // Migrating a new database on two busy cores can take a minute; longer than this is a fault.
    setTimeout(() => reject(new Error(`the tool did not listen within 200 s:\n${output}`)), 200_000).unref();
  });
  return { url: `http://127.0.0.1:${port}`, child, log: () => output };
}

describe('two tool servers on one PostgreSQL behind one origin', () => {
  const adminUrl = inject('attestPostgresAdminUrl');
  const databaseName = `attest_two_servers_${randomBytes(6).toString('hex')}`;
  const filesDir = mkdtempSync(join(tmpdir(), 'attest-two-servers-'));
  const servers: { url: string; child: ChildProcess; log: () => string }[] = [];
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
  let lms: PlatformEmulator;

  beforeAll(async () => {
    // A database of its own, migrated by the first server to start.
    await adminQuery(adminUrl, `create database "${databaseName}"`);
    proxy = await startRoundRobinProxy();
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: withDatabase(adminUrl, databaseName),
      HOST: '127.0.0.1',
      PUBLIC_URL: proxy.url,
      LTI_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      EVIDENCE_FILES_DIR: filesDir,
      TRUST_PROXY: 'loopback',
    };
    // One after the other: each migrates the database at start, and the second finds it done.
    for (let n = 0; n < 2; n++) {
      // Any free port: the tool prints its public URL (the proxy's), not the port it took.
      const started = await startToolProcess(env, await freePort());
      servers.push(started);
      proxy.targets.push(started.url);
    }

    // The operator registers the LMS by the command line while both servers run.
    lms = await startPlatformEmulator({ mode: 'moodle' });
    const tool = lms.registerTool({ loginUrl: `${proxy.url}/lti/login`, redirectUris: [`${proxy.url}/lti/launch`], jwksUrl: `${proxy.url}/lti/keys`, targetLinkUri: `${proxy.url}/lti/launch` });
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/register-platform.ts', 'register', '--issuer', lms.issuer, '--client-id', tool.clientId, '--name', lms.platformName, '--auth-url', lms.authorizationUrl, '--token-url', lms.tokenUrl, '--jwks-url', lms.jwksUrl, '--deployment', tool.deploymentId],
      { cwd: toolDir, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' },
    );
    expect(cli.status, `${cli.stdout}\n${cli.stderr}`).toBe(0);
  }, 300_000);

  afterAll(async () => {
    for (const { child } of servers) child.kill('SIGKILL');
    await proxy?.close();
    await lms?.close();
    await adminQuery(adminUrl, `drop database if exists "${databaseName}" with (force)`).catch(() => undefined);
    rmSync(filesDir, { recursive: true, force: true });
  });

  /** A learner's launch through the proxy, walked as a browser would; the ltik the app got. */
  async function learnerLaunch(name: string) {
    const course = lms.createCourse({ title: 'Customer Service L2' });
    const learner = lms.createUser({ name });
    lms.enrol(course.id, learner.id, 'learner');
    const clientId = lms.listTools()[0]!.clientId;
    const link = lms.placeResourceLink({ courseId: course.id, clientId, title: 'Unit 201', custom: { attest_unit: UNIT_ID } });
    const from = proxy.served.length;
    const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${proxy.url}/app/`));
    const ltik = new URL(end.url).searchParams.get('ltik');
    expect(ltik, `the launch stopped at ${end.url} (${end.response.status})`).toBeTruthy();
    return { api: apiAs(proxy.url, ltik), launchedOn: proxy.served.slice(from).filter((entry) => entry.path.startsWith('/lti/')) };
  }

  /**
   * Sends `call` until a server other than `server` answers it: round robin alternates, but other
   * traffic through the proxy can fall between two of the test's requests. Reads only.
   */
  async function onOtherServerThan<T>(server: number, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const from = proxy.served.length;
      const reply = await call();
      if (proxy.served.slice(from).some((entry) => entry.server !== server)) return reply;
    }
    throw new Error(`no request reached a server other than ${server}`);
  }
  const lastServer = () => proxy.served.at(-1)!.server;

  it('launches through both servers and serves the launch’s API from either, for a platform registered while both ran', async () => {
    const { api, launchedOn } = await learnerLaunch('Lee Learner');
    expect(new Set(launchedOn.map((entry) => entry.server))).toEqual(new Set([0, 1]));
    const answeredBy = new Set<number>();
    for (let n = 0; n < 4; n++) {
      const session = await api.get('/api/session');
      expect(session.status).toBe(200);
      answeredBy.add(lastServer());
    }
    expect(answeredBy).toEqual(new Set([0, 1]));
  });

  it('reads a file through one server that was uploaded through the other', async () => {
    const { api } = await learnerLaunch('Fay Files');
    const item = EvidenceItemSchema.parse((await api.post('/api/evidence', aDraft({ evidenceType: 'photo' }))).body);
    const upload = await api.upload(item.id, { name: 'Till receipt.png', type: 'image/png', bytes: pngBytes() });
    expect(upload.status).toBe(201);
    const uploadedOn = lastServer();
    const file = EvidenceItemSchema.parse(upload.body).files[0]!;
    const download = await onOtherServerThan(uploadedOn, () => api.get(`/api/evidence/${item.id}/files/${file.id}`));
    expect(download.status).toBe(200);
    expect(Buffer.from(download.body as ArrayBuffer)).toEqual(pngBytes());
  });

  it('resumes an upload on the other server from the bytes the first one kept', async () => {
    const { api } = await learnerLaunch('Rui Resume');
    const item = EvidenceItemSchema.parse((await api.post('/api/evidence', aDraft({ evidenceType: 'document' }))).body);
    const bytes = pdfBytes('Two servers', 1_500_000);
    const tus = { 'tus-resumable': '1.0.0', authorization: `Bearer ${api.token}` };
    const metadata = `itemId ${Buffer.from(item.id).toString('base64')},filename ${Buffer.from('handover.pdf').toString('base64')}`;
    // Each server addressed directly, so which one answers is not left to the proxy's turn.
    const [first, second] = servers.map((server) => server.url) as [string, string];
    const created = await fetch(`${first}${RESUMABLE_UPLOADS_PATH}`, { method: 'POST', headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': metadata } });
    expect(created.status).toBe(201);
    const path = created.headers.get('location')!;
    const half = 1_100_000;
    const sent = await fetch(`${first}${path}`, { method: 'PATCH', headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: bytes.subarray(0, half) });
    expect(sent.headers.get('upload-offset')).toBe(String(half));
    const where = await fetch(`${second}${path}`, { method: 'HEAD', headers: tus });
    expect(where.headers.get('upload-offset')).toBe(String(half));
    const rest = await fetch(`${second}${path}`, { method: 'PATCH', headers: { ...tus, 'upload-offset': String(half), 'content-type': 'application/offset+octet-stream' }, body: bytes.subarray(half) });
    expect(rest.status).toBe(200);
    const file = EvidenceItemSchema.parse(await rest.json()).files[0]!;
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const download = await api.get(`/api/evidence/${item.id}/files/${file.id}`);
    expect(Buffer.from(download.body as ArrayBuffer).equals(bytes)).toBe(true);
  });

  it('keeps a learner’s two tabs on different servers to the version check: the second, stale save is refused', async () => {
    const { api } = await learnerLaunch('Tia Tabs');
    const item = EvidenceItemSchema.parse((await api.post('/api/evidence', aDraft({ title: 'Opened in two tabs' }))).body);
    const first = await api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: aDraft({ title: 'Saved from tab one' }) });
    expect(first.status).toBe(200);
    const firstOn = lastServer();
    // The second tab's save goes to the other server: round robin, and nothing else in between.
    const second = await api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: aDraft({ title: 'Saved from tab two' }) });
    expect(lastServer()).not.toBe(firstOn);
    expect(second.status).toBe(409);
    expect(second.body.error.details.current).toMatchObject({ version: 2, title: 'Saved from tab one' });
    const stored = await onOtherServerThan(lastServer(), () => api.get('/api/portfolio'));
    expect(stored.body.items.find((entry: { id: string }) => entry.id === item.id)).toMatchObject({ version: 2, title: 'Saved from tab one' });
  });

  it('delivers a passback whose server was killed mid-delivery from the server still alive', { timeout: 420_000 }, async () => {
    // Only the first server's worker may take the job: the second is paused (SIGSTOP) until then.
    const [first, second] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const course = lms.createCourse({ title: 'Customer Service L2' });
    const learner = lms.createUser({ name: 'Kit Killed-midway' });
    lms.enrol(course.id, learner.id, 'learner');
    const tool = lms.listTools()[0]!;
    const link = lms.placeResourceLink({ courseId: course.id, clientId: tool.clientId, title: 'Unit 201', custom: { attest_unit: UNIT_ID }, lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: UNIT_ID, tag: 'attest-unit' } });
    const connection: DatabaseConnection = await openDatabase({ backend: 'postgres', url: withDatabase(adminUrl, databaseName), maxConnections: 2 });
    const queue = await startJobQueue(connection, { onError: () => {} });
    try {
      second.child.kill('SIGSTOP');
      // The proxy sends nothing to a paused or dead server (the LMS fetches the tool's keys through it).
      proxy.targets.splice(0, proxy.targets.length, first.url);
      const hold = lms.holdNextScore();
      // What a sign-off does in its transaction and after it: the row, then the job (no worker here).
      const passback = await createScorePassback(connection.db, {
        target: { issuer: lms.issuer, clientId: tool.clientId, deploymentId: tool.deploymentId, lineItemUrl: link.lineItemId! },
        requestedBy: 'assessor-1',
        request: { learnerUserId: learner.id, scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
      });
      await queue.enqueueScorePassback(passback);
      await Promise.race([hold.arrived, new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`no score reached the LMS within 90 s:\n${first.log().slice(-3000)}`)), 90_000))]);
      // The score is at the LMS, its answer not yet back: the first server dies, the LMS then stores it.
      first.child.kill('SIGKILL');
      hold.release();
      second.child.kill('SIGCONT');
      proxy.targets.splice(0, proxy.targets.length, second.url);

      // pg-boss gives the dead server's job up after its expiry (120 s) and the live server takes it;
      // the LMS already holds that score (Moodle's 409 for the same timestamp), so it is sent again dated now.
      const stored = async () => (await connection.db.select().from(scorePassbacks).where(eq(scorePassbacks.id, passback.id)))[0];
      await expect.poll(async () => (await stored())?.state, { timeout: 360_000, interval: 1_000 }).not.toBe('pending');
      expect(await stored()).toMatchObject({ state: 'sent', lastStatus: 200 });
      expect(lms.getGradebook(course.id).find((entry) => entry.userId === learner.id)).toMatchObject({ scoreGiven: 100, gradingProgress: 'FullyGraded' });
    } finally {
      second.child.kill('SIGCONT');
      await queue.stop();
      await connection.close();
    }
  });
});
