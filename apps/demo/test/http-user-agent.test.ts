import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAutoPostForm, HttpUserAgent } from '../src/http-user-agent.ts';

// A stand-in for the OIDC hand-over: /login sets a state cookie and redirects to /authorize, which
// answers with a self-posting form to /launch; /launch accepts only when the cookie came back.
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/login') {
      res.writeHead(302, { Location: '/authorize?state=s1', 'Set-Cookie': 'state-s1=s1; Path=/; HttpOnly; SameSite=None; Secure; Partitioned' });
      res.end();
      return;
    }
    if (url.pathname === '/storage-login') {
      // Attest's platform-storage login page (Canvas): a top-level window goes on to data-auth-url.
      res.writeHead(200, { 'Content-Type': 'text/html', 'Set-Cookie': 'state-s2=s2; Path=/' });
      res.end('<h1>Signing in</h1><p id="platform-storage" role="status" data-auth-url="/authorize?state=s2&#38;unused=1" data-target="post_message_forwarding">Signing you in</p>');
      return;
    }
    if (url.pathname === '/authorize') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<form id="f" method="POST" action="/launch?x=1&amp;y=2"><input type="hidden" name="id_token" value="a.b.c"/><input type='hidden' name='state' value='${url.searchParams.get('state')}'></form><script>f.submit()</script>`);
      return;
    }
    if (url.pathname === '/launch' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const isStateKept = (req.headers.cookie ?? '').includes(`state-${form.get('state')}=${form.get('state')}`);
        res.writeHead(isStateKept ? 302 : 401, isStateKept ? { Location: `/app/?ltik=${form.get('id_token')}-${url.searchParams.get('y')}` } : {});
        res.end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HttpUserAgent', () => {
  it('walks a redirect, a self-posting form and a cookie check, and stops where it is told', async () => {
    const agent = new HttpUserAgent();
    const result = await agent.follow(`${base}/login`, { stopAt: (url) => url.pathname === '/app/' });

    expect(new URL(result.url).searchParams.get('ltik')).toBe('a.b.c-2');
    expect(agent.cookiesFor(base).get('state-s1')).toBe('s1');
  });

  it('goes on from the platform-storage login page to its authorization URL, decoding numeric entities, as the page does in a window with no LMS', async () => {
    const agent = new HttpUserAgent();
    const result = await agent.follow(`${base}/storage-login`, { stopAt: (url) => url.pathname === '/app/' });

    expect(new URL(result.url).searchParams.get('ltik')).toBe('a.b.c-2');
    expect(agent.cookiesFor(base).get('state-s2')).toBe('s2');
  });

  it('returns the refusal when the state cookie is missing, instead of pretending it got through', async () => {
    const agent = new HttpUserAgent();
    const result = await agent.follow(`${base}/launch`, { form: { id_token: 'a.b.c', state: 's9' } });

    expect(result.status).toBe(401);
  });

  it('reads no form from a page whose form is a GET', () => {
    expect(findAutoPostForm('<form action="/search"><input name="q" value="x"></form>', base)).toBeNull();
  });
});
