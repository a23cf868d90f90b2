import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveUi } from '../../src/http/serve-ui.ts';

describe('serving the built UI at /app/', () => {
  let distDir: string;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'attest-dist-'));
    const app = express().use('/app/', serveUi(distDir));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(distDir, { recursive: true, force: true });
  });

  it('explains with a 503 page how to build the UI while there is no build', async () => {
    const response = await fetch(`${baseUrl}/app/`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('npm run build');
  });

  describe('once built', () => {
    beforeAll(() => {
      mkdirSync(join(distDir, 'assets'), { recursive: true });
      writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>Attest UI</title><script type="module" src="/app/assets/main-abc123.js"></script>');
      writeFileSync(join(distDir, 'assets', 'main-abc123.js'), 'console.log("attest")');
    });

    it('serves the app shell for the launch landing, never cached', async () => {
      const response = await fetch(`${baseUrl}/app/?ltik=a.b.c`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Attest UI</title>');
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('serves hashed assets with a long, immutable cache lifetime', async () => {
      const response = await fetch(`${baseUrl}/app/assets/main-abc123.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });

    it('answers client-side routes with the app shell', async () => {
      const response = await fetch(`${baseUrl}/app/caseload/learner-1`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Attest UI</title>');
    });

    it('does not serve files from outside the build', async () => {
      const response = await fetch(`${baseUrl}/app/..%2f..%2fetc%2fpasswd`);
      expect(await response.text()).not.toContain('root:');
    });
  });
});
