import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvidenceFileError, LocalDirectoryFileStore, storeUpload, type StoredUpload } from '../src/index.ts';
import * as sample from './sample-files.ts';

// The way the tool server will use the package: a raw request body streamed straight into
// `storeUpload`, over real HTTP on loopback, including a client that goes away mid-upload.

type Outcome = { stored: StoredUpload } | { code: string; status: number };

let directory: string;
let server: Server;
let origin: string;
let outcomes: Promise<Outcome>[];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'attest-evidence-http-'));
  const store = new LocalDirectoryFileStore({ directory });
  outcomes = [];
  server = createServer((req, res) => {
    const outcome = handle(store, req);
    outcomes.push(outcome);
    void outcome.then((result) => {
      if (res.destroyed) return;
      // Closing the connection after an early refusal stops the client sending the rest.
      if ('code' in result) res.writeHead(result.status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(result));
      else res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(result.stored));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

async function handle(store: LocalDirectoryFileStore, req: IncomingMessage): Promise<Outcome> {
  try {
    const stored = await storeUpload(store, {
      tenantId: 'tenant-http',
      source: req,
      fileName: decodeURIComponent(String(req.headers['x-file-name'] ?? '')),
      declaredMimeType: req.headers['content-type'],
      kind: 'recording',
      maxBytes: 64 * 1024,
    });
    return { stored };
  } catch (error) {
    if (isEvidenceFileError(error)) return { code: error.code, status: error.status };
    throw error;
  }
}

async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

function send(body: Buffer, headers: Record<string, string>, { stopAfter }: { stopAfter?: number } = {}): Promise<{ status: number; body: string } | 'dropped'> {
  return new Promise((resolve) => {
    const req = request(`${origin}/upload`, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', () => resolve('dropped'));
    if (stopAfter === undefined) {
      req.end(body);
    } else {
      req.write(body.subarray(0, stopAfter), () => setTimeout(() => req.destroy(), 20));
    }
  });
}

describe('uploading over HTTP', () => {
  it('stores a recording sent as a request body', async () => {
    const bytes = sample.wav(4_000);
    const response = await send(bytes, { 'content-type': 'audio/wav', 'x-file-name': encodeURIComponent('Talk with Sam.wav') });
    expect(response).toMatchObject({ status: 201 });
    const stored = (await outcomes[0]) as { stored: StoredUpload };
    expect(stored.stored).toMatchObject({ type: 'wav', size: bytes.length, fileName: 'Talk with Sam.wav' });
    expect(await filesOnDisk()).toEqual([stored.stored.key.split('/')[2]]);
  });

  it('stores nothing when the client disconnects half-way through the body', async () => {
    const bytes = sample.wav(20_000);
    await send(bytes, { 'content-type': 'audio/wav', 'x-file-name': 'talk.wav' }, { stopAfter: 16_000 });
    expect(await outcomes[0]).toEqual({ code: 'upload_incomplete', status: 400 });
    expect(await filesOnDisk()).toEqual([]);
  });

  it('answers 413 for a body over the limit and stores nothing', async () => {
    const bytes = sample.mp4(Buffer.alloc(200 * 1024, 9));
    const response = await send(bytes, { 'content-type': 'video/mp4', 'x-file-name': 'task.mp4' });
    expect(await outcomes[0]).toEqual({ code: 'payload_too_large', status: 413 });
    if (response !== 'dropped') expect(response.status).toBe(413);
    expect(await filesOnDisk()).toEqual([]);
  });
});
