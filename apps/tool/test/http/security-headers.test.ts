import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator, ToolRegistration } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolServer } from '../../src/index.ts';
import { backends, registerWithTool, startTestToolServer } from '../support/index.ts';

// The headers of every HTML page the tool serves: /app/ (which receives the launch token) and the
// LTI routes' own pages. frame-ancestors names the sites of the registered, active LMSs only: a
// Moodle by its issuer, a hosted Canvas by the school's own site recorded with its registration.

const directive = (policy: string | null, name: string): string[] => {
  const found = (policy ?? '').split(';').map((part) => part.trim().split(/\s+/)).find(([directiveName]) => directiveName === name);
  return found ? found.slice(1) : [];
};

describe.each(backends)('security headers on %s', (backend) => {
  let tool: ToolServer;
  let moodle: PlatformEmulator;
  let canvas: PlatformEmulator;
  let stranger: PlatformEmulator;
  let moodleRegistration: ToolRegistration;

  beforeAll(async () => {
    tool = await startTestToolServer(backend);
    [moodle, canvas, stranger] = await Promise.all([startPlatformEmulator({ mode: 'moodle' }), startPlatformEmulator({ mode: 'canvas' }), startPlatformEmulator({ mode: 'moodle' })]);
    moodleRegistration = await registerWithTool(moodle, tool.url, tool.lti.platforms);
    // A Canvas admin registers by hand with the shared issuer and names the school's own site.
    const canvasRegistration = await registerWithTool(canvas, tool.url, tool.lti.platforms);
    await tool.lti.platforms.addFrameOrigin(canvas.issuer, canvasRegistration.clientId, `${canvas.url}/courses/1`);
  });
  afterAll(async () => {
    await tool?.close();
    await Promise.all([moodle?.close(), canvas?.close(), stranger?.close()]);
  });

  function expectPageHeaders(response: Response): string {
    const policy = response.headers.get('content-security-policy');
    expect(policy).not.toBeNull();
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const ancestors = directive(policy, 'frame-ancestors');
    expect(ancestors).toEqual([new URL(canvas.url).origin, new URL(moodle.issuer).origin].sort());
    expect(ancestors).not.toContain(new URL(stranger.url).origin);
    expect(ancestors).not.toContain('https://canvas.instructure.com');
    expect(ancestors).not.toContain('*');
    return policy ?? '';
  }

  it('serves /app/?ltik= with a strict policy: scripts and styles from the tool only, framed by the registered LMSs only', async () => {
    const response = await fetch(`${tool.url}/app/?ltik=a.b.c`);
    const policy = expectPageHeaders(response);
    expect(directive(policy, 'script-src')).toEqual(["'self'"]);
    expect(directive(policy, 'style-src')).toEqual(["'self'"]);
    expect(directive(policy, 'default-src')).toEqual(["'self'"]);
    expect(directive(policy, 'base-uri')).toEqual(["'none'"]);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('gives the LTI routes’ refusal pages and the registration page the same frame-ancestors and referrer policy', async () => {
    const refusal = await fetch(`${tool.url}/lti/login`, { headers: { accept: 'text/html' } });
    expect(refusal.status).toBe(400);
    expect(refusal.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = expectPageHeaders(refusal);
    expect(directive(policy, 'default-src')).toEqual(["'none'"]);
    expect(directive(policy, 'script-src')).toEqual([]);

    const registration = await fetch(`${tool.url}/lti/register`, { headers: { accept: 'text/html' } });
    expect(registration.status).toBe(400);
    expectPageHeaders(registration);
  });

  it('lets the LMS that is registering frame the registration answer, and records its site for later pages', async () => {
    const registering = await startPlatformEmulator({ mode: 'moodle' });
    try {
      const start = registering.startDynamicRegistration(`${tool.url}/lti/register`);
      const response = await fetch(start.toolRegistrationUrl, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(directive(response.headers.get('content-security-policy'), 'frame-ancestors')).toContain(new URL(registering.url).origin);
      const [registered] = (await tool.lti.platforms.list()).filter((platform) => platform.issuer === registering.issuer);
      expect(registered?.frameOrigins).toEqual([new URL(registering.url).origin]);
      // Inactive until an administrator activates it: not yet a frame ancestor of /app/.
      expect(directive((await fetch(`${tool.url}/app/`)).headers.get('content-security-policy'), 'frame-ancestors')).not.toContain(new URL(registering.url).origin);
      await tool.lti.platforms.remove(registering.issuer, registered!.clientId);
    } finally {
      await registering.close();
    }
  });

  it('drops a platform’s site from frame-ancestors as soon as it is deactivated, and restores it on activation', async () => {
    const origin = new URL(moodle.issuer).origin;
    await tool.lti.platforms.setActive(moodle.issuer, moodleRegistration.clientId, false);
    try {
      expect(directive((await fetch(`${tool.url}/app/`)).headers.get('content-security-policy'), 'frame-ancestors')).toEqual([new URL(canvas.url).origin]);
    } finally {
      await tool.lti.platforms.setActive(moodle.issuer, moodleRegistration.clientId, true);
    }
    expect(directive((await fetch(`${tool.url}/app/`)).headers.get('content-security-policy'), 'frame-ancestors')).toContain(origin);
  });

  it('lets a registered but inactive LMS frame the page that says so, and an unregistered one frame nothing of its own', async () => {
    const login = (issuer: string, clientId: string) => {
      const query = new URLSearchParams({ iss: issuer, client_id: clientId, login_hint: 'user-1', target_link_uri: `${tool.url}/lti/launch`, lti_deployment_id: moodleRegistration.deploymentId });
      return fetch(`${tool.url}/lti/login?${query}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    };
    const origin = new URL(moodle.issuer).origin;
    await tool.lti.platforms.setActive(moodle.issuer, moodleRegistration.clientId, false);
    try {
      const refused = await login(moodle.issuer, moodleRegistration.clientId);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('waiting for an Attest administrator to activate it');
      expect(directive(refused.headers.get('content-security-policy'), 'frame-ancestors')).toEqual([new URL(canvas.url).origin, origin].sort());
    } finally {
      await tool.lti.platforms.setActive(moodle.issuer, moodleRegistration.clientId, true);
    }
    const unknown = await login(stranger.issuer, 'client-nobody-registered');
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(directive(unknown.headers.get('content-security-policy'), 'frame-ancestors')).not.toContain(new URL(stranger.issuer).origin);
  });
});
