import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyAddress, fetchPlatformJson, FetchRefusal, isAddressAllowed, parsePlatformUrl } from '../../src/lti/fetch-platform-json.ts';
import type { FetchRefusalReason } from '../../src/lti/fetch-platform-json.ts';

// The guard in front of every Dynamic Registration fetch. Address classes are checked as data (no
// traffic leaves this machine); the fetch itself runs against real servers on 127.0.0.1.

interface Loopback {
  readonly url: string;
  readonly requests: { method: string; path: string; body: string }[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function loopback(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const requests: Loopback['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      handle(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

async function refusalOf(work: Promise<unknown>): Promise<FetchRefusal> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FetchRefusal);
  return error as FetchRefusal;
}

async function expectRefused(work: Promise<unknown>, reason: FetchRefusalReason): Promise<FetchRefusal> {
  const refusal = await refusalOf(work);
  expect(refusal.reason, refusal.message).toBe(reason);
  return refusal;
}

const json = (body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['169.254.169.254', 'private'],
    ['0.0.0.0', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['224.0.0.251', 'private'],
    ['255.255.255.255', 'private'],
    ['::', 'private'],
    ['::127.0.0.1', 'private'],
    ['fd00::1', 'private'],
    ['fe80::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'private'],
    ['not an address', 'private'],
    ['172.15.255.255', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['11.0.0.1', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
  ])('classes %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('allows loopback only under the policies that name it, and private addresses only under "any"', () => {
    expect(['public-only', 'public-and-loopback', 'any'].map((policy) => isAddressAllowed('127.0.0.1', policy as never))).toEqual([false, true, true]);
    expect(['public-only', 'public-and-loopback', 'any'].map((policy) => isAddressAllowed('10.1.2.3', policy as never))).toEqual([false, false, true]);
    expect(['public-only', 'public-and-loopback', 'any'].map((policy) => isAddressAllowed('93.184.216.34', policy as never))).toEqual([true, true, true]);
  });
});

describe('parsePlatformUrl', () => {
  it.each([
    ['not a url', 'invalid_url'],
    ['file:///etc/passwd', 'scheme_not_http'],
    ['ftp://lms.example.ac.uk/config', 'scheme_not_http'],
    ['gopher://127.0.0.1:6379/_INFO', 'scheme_not_http'],
    ['javascript:alert(1)', 'scheme_not_http'],
    ['https://admin:secret@lms.example.ac.uk/config', 'credentials_in_url'],
    ['https://admin@lms.example.ac.uk/config', 'credentials_in_url'],
  ] as const)('refuses %s (%s)', (url, reason) => {
    let caught: unknown = null;
    try {
      parsePlatformUrl(url, 'openid_configuration URL');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FetchRefusal);
    expect((caught as FetchRefusal).reason).toBe(reason);
  });

  it('accepts an https URL with a path and query', () => {
    expect(parsePlatformUrl('https://moodle.example.ac.uk/mod/lti/openid-configuration.php?x=1', 'x').host).toBe('moodle.example.ac.uk');
  });
});

describe('fetchPlatformJson', () => {
  const limits = { timeoutMs: 400, maxBytes: 1024 };

  it('fetches JSON from an allowed host and posts the body it is given', async () => {
    const server = await loopback(json({ client_id: 'abc' }));
    const answer = await fetchPlatformJson(`${server.url}/register`, 'registration endpoint', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, 'public-and-loopback', limits);
    expect(answer).toEqual({ client_id: 'abc' });
    expect(server.requests).toEqual([{ method: 'POST', path: '/register', body: '{"a":1}' }]);
  });

  it('resolves a host name itself and connects to the address it checked', async () => {
    const server = await loopback(json({ issuer: 'named' }));
    const byName = server.url.replace('127.0.0.1', 'localhost');
    expect(await fetchPlatformJson(`${byName}/config`, 'OpenID configuration', {}, 'public-and-loopback', limits)).toEqual({ issuer: 'named' });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a loopback address, by number or by name, without connecting, when the policy is public-only', async () => {
    const server = await loopback(json({}));
    const port = new URL(server.url).port;
    for (const url of [`${server.url}/config`, `http://localhost:${port}/config`, `http://127.1.2.3:${port}/config`, `http://[::ffff:127.0.0.1]:${port}/config`]) {
      const refusal = await expectRefused(fetchPlatformJson(url, 'OpenID configuration', {}, 'public-only', limits), 'host_not_allowed');
      expect(refusal.message).toContain('ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS');
    }
    expect(server.requests).toEqual([]);
  });

  it('refuses private and link-local addresses even where loopback is allowed, before any connection', async () => {
    // 0.0.0.0 would reach this machine if the guard let it through; nothing else here leaves it.
    const server = await loopback(json({}));
    const port = new URL(server.url).port;
    for (const host of ['0.0.0.0', '[::ffff:0.0.0.0]']) {
      await expectRefused(fetchPlatformJson(`http://${host}:${port}/config`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'host_not_allowed');
    }
    expect(server.requests).toEqual([]);
  });

  it('does not follow a redirect, even to an allowed address', async () => {
    const target = await loopback(json({ issuer: 'x' }));
    const redirecting = await loopback((_req, res) => res.writeHead(302, { location: `${target.url}/config` }).end());
    const refusal = await expectRefused(fetchPlatformJson(`${redirecting.url}/config`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'redirect');
    // Where it redirects is the answer's content: not repeated to whoever opened /lti/register.
    expect(refusal.message).not.toContain(`${target.url}/config`);
    expect(refusal.message).toContain(`OpenID configuration at ${new URL(redirecting.url).host} answered with a redirect`);
    expect(target.requests).toEqual([]);
  });

  it('gives up on a host that accepts the connection but never answers, within the timeout', async () => {
    const silent = await loopback(() => {});
    const started = Date.now();
    await expectRefused(fetchPlatformJson(`${silent.url}/config`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('gives up on a body that trickles without end, within the timeout', async () => {
    const trickle = await loopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"issuer":');
    });
    await expectRefused(fetchPlatformJson(`${trickle.url}/config`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'timeout');
  });

  it('refuses a body over the size limit, whether declared or streamed, and accepts one exactly at it', async () => {
    const declared = await loopback((_req, res) => res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)));
    await expectRefused(fetchPlatformJson(`${declared.url}/c`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'too_large');
    const streamed = await loopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`"${'x'.repeat(600)}`);
      res.end(`${'x'.repeat(600)}"`);
    });
    await expectRefused(fetchPlatformJson(`${streamed.url}/c`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'too_large');
    const exact = await loopback((_req, res) => res.writeHead(200).end(`"${'x'.repeat(1022)}"`));
    expect(await fetchPlatformJson(`${exact.url}/c`, 'OpenID configuration', {}, 'public-and-loopback', limits)).toBe('x'.repeat(1022));
    const oneOver = await loopback((_req, res) => res.writeHead(200).end(`"${'x'.repeat(1023)}"`));
    await expectRefused(fetchPlatformJson(`${oneOver.url}/c`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'too_large');
  });

  it('names the status and host of an error answer, and of a body that is not JSON, without quoting either body', async () => {
    const failing = await loopback((_req, res) => res.writeHead(500).end('database down'));
    const refusal = await expectRefused(fetchPlatformJson(`${failing.url}/c`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'http_error');
    expect(refusal.message).toBe(`the platform's OpenID configuration at ${new URL(failing.url).host} answered HTTP 500`);
    const html = await loopback((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>internal admin page</html>'));
    const notJson = await expectRefused(fetchPlatformJson(`${html.url}/c`, 'OpenID configuration', {}, 'public-and-loopback', limits), 'not_json');
    expect(notJson.message).toBe(`the platform's OpenID configuration at ${new URL(html.url).host} did not answer with JSON`);
    expect(notJson.cause).toBeUndefined();
  });

  it('reports a closed port as unreachable', async () => {
    const server = await loopback(json({}));
    const url = `${server.url}/c`;
    servers.splice(0).forEach((s) => s.close());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expectRefused(fetchPlatformJson(url, 'OpenID configuration', {}, 'public-and-loopback', limits), 'unreachable');
  });
});
