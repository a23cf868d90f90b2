import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

// Dynamic Registration makes the tool fetch URLs that whoever opens /lti/register chooses: the
// `openid_configuration` parameter, then the registration endpoint that configuration names. Left
// alone that is a server-side request forgery: anyone could make Attest GET or POST an address
// only it can reach (a cloud metadata service, a database admin page on the private network). So
// these fetches go through here: http(s) only, no credentials in the URL, every address the host
// resolves to must be allowed by the policy, and the connection goes to the address that was
// checked (the lookup is ours), so a DNS answer that changes between check and connect cannot
// slip a private address in. No redirect is followed, the wait is bounded and so is the body.

/** Which addresses a registration fetch may reach. */
export type HostPolicy = 'public-only' | 'public-and-loopback' | 'any';

export type AddressKind = 'public' | 'loopback' | 'private';

export interface FetchLimits {
  /** The whole exchange (connect, headers, body) must finish within this. */
  readonly timeoutMs: number;
  /** A body longer than this is refused before it is parsed. */
  readonly maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 5_000, maxBytes: 256 * 1024 };

export type FetchRefusalReason =
  | 'invalid_url'
  | 'scheme_not_http'
  | 'credentials_in_url'
  | 'host_not_allowed'
  | 'unreachable'
  | 'timeout'
  | 'redirect'
  | 'too_large'
  | 'http_error'
  | 'not_json';

/** Why a platform URL was not fetched, or its answer not used. `message` is safe to show an administrator. */
export class FetchRefusal extends Error {
  readonly reason: FetchRefusalReason;
  constructor(reason: FetchRefusalReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'FetchRefusal';
    this.reason = reason;
  }
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// Everything that is not the public internet (IANA special-purpose registries): a registration
// never needs to reach these, and they are where an attacker would aim.
const notPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
] as const) {
  notPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, and IPv4-compatible addresses
  ['64:ff9b::', 96], // NAT64: reaches an IPv4 address we have not classified
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4: likewise
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  notPublic.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address carried in an IPv6 one (`::ffff:10.0.0.1`, `::ffff:a00:1`, `::ffff:0:a00:1`), or null. */
function embeddedIpv4(address: string): string | null {
  const match = /^::ffff:(.+)$/i.exec(address);
  if (!match?.[1]) return null;
  const fromTail = (tail: string): string | null => {
    if (isIP(tail) === 4) return tail;
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
    if (!hex?.[1] || !hex[2]) return null;
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  };
  return fromTail(match[1]) ?? (match[1].startsWith('0:') ? fromTail(match[1].slice(2)) : null);
}

/** Whether an IP address is on the public internet, this machine, or anywhere else. */
export function classifyAddress(address: string): AddressKind {
  const ipv4 = isIP(address) === 4 ? address : embeddedIpv4(address);
  if (ipv4) {
    if (loopback.check(ipv4, 'ipv4')) return 'loopback';
    return notPublic.check(ipv4, 'ipv4') ? 'private' : 'public';
  }
  // An IPv4-mapped form we could not read is not trusted (a BlockList rule for ::ffff:0:0/96
  // would also match every plain IPv4 address, so this cannot be a rule).
  if (isIP(address) !== 6 || /^::ffff:/i.test(address)) return 'private';
  if (loopback.check(address, 'ipv6')) return 'loopback';
  return notPublic.check(address, 'ipv6') ? 'private' : 'public';
}

export function isAddressAllowed(address: string, policy: HostPolicy): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || policy === 'any' || (kind === 'loopback' && policy === 'public-and-loopback');
}

function hostRefusal(url: URL, address: string): FetchRefusal {
  return new FetchRefusal(
    'host_not_allowed',
    `${url.hostname} is a private, loopback or link-local address (${address}); Attest only registers platforms on the public internet unless ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS is set`,
  );
}

/** Parses and checks a URL's form: http(s), and no user name or password in it. */
export function parsePlatformUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefusal('invalid_url', `the ${what} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefusal('scheme_not_http', `the ${what} must be an http or https URL`);
  if (url.username !== '' || url.password !== '') throw new FetchRefusal('credentials_in_url', `the ${what} must not carry a user name or password`);
  return url;
}

function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/**
 * Resolves the URL's host and refuses it if any address it resolves to is outside the policy
 * (a name with one public and one private address is refused: we would not know which we reach).
 */
export async function resolveAllowedAddresses(url: URL, policy: HostPolicy): Promise<LookupAddress[]> {
  const hostname = bareHostname(url);
  const family = isIP(hostname);
  if (family !== 0) {
    if (!isAddressAllowed(hostname, policy)) throw hostRefusal(url, hostname);
    return [{ address: hostname, family }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(hostname);
  } catch (error) {
    throw new FetchRefusal('unreachable', `${hostname} could not be resolved`, { cause: error });
  }
  const refused = addresses.find((entry) => !isAddressAllowed(entry.address, policy));
  if (refused) throw hostRefusal(url, refused.address);
  if (addresses.length === 0) throw new FetchRefusal('unreachable', `${hostname} could not be resolved`);
  return addresses;
}

export interface PlatformRequest {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * Fetches JSON from a platform under the policy and limits. Resolves with the parsed body of a 2xx
 * answer; anything else rejects with a FetchRefusal naming what went wrong.
 */
export async function fetchPlatformJson(rawUrl: string, what: string, init: PlatformRequest, policy: HostPolicy, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<unknown> {
  const url = parsePlatformUrl(rawUrl, what);
  const deadline = Date.now() + limits.timeoutMs;
  const timedOut = () => new FetchRefusal('timeout', `the platform's ${what} at ${url.host} did not answer within ${limits.timeoutMs / 1000} s`);
  const addresses = await withDeadline(resolveAllowedAddresses(url, policy), deadline, timedOut);
  const [first] = addresses;
  if (!first) throw new FetchRefusal('unreachable', `${url.hostname} could not be resolved`);

  const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    let settled = false;
    let response: IncomingMessage | null = null;
    const finish = (error: FetchRefusal | null, value?: { status: number; body: Buffer }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        request.destroy();
        response?.destroy();
        reject(error);
      } else if (value) {
        resolve(value);
      }
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: init.method ?? 'GET',
      headers: { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
      // Connect to the address we checked, never to a fresh lookup's answer; TLS still checks the name.
      lookup: (_hostname, options, callback) => {
        const done = callback as (error: Error | null, address: string | LookupAddress[], family?: number) => void;
        if ((options as { all?: boolean }).all) done(null, addresses);
        else done(null, first.address, first.family);
      },
      agent: false,
    });
    const timer = setTimeout(() => finish(timedOut()), Math.max(0, deadline - Date.now()));
    request.on('error', (error) => finish(new FetchRefusal('unreachable', `could not reach the platform's ${what} at ${url.host}`, { cause: error })));
    request.on('response', (incoming) => {
      response = incoming;
      const status = incoming.statusCode ?? 0;
      const declared = Number(incoming.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) return finish(tooLarge(what, url, limits));
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) return finish(tooLarge(what, url, limits));
        chunks.push(chunk);
      });
      incoming.on('error', (error) => finish(new FetchRefusal('unreachable', `the platform's ${what} at ${url.host} broke off its answer`, { cause: error })));
      incoming.on('end', () => finish(null, { status, body: Buffer.concat(chunks) }));
    });
    request.end(init.body);
  });

  // The messages name the step and the host, never what the platform sent: whoever opens
  // /lti/register chooses the URL, and must not read back what a server answered the tool.
  if (status >= 300 && status < 400) {
    throw new FetchRefusal('redirect', `the platform's ${what} at ${url.host} answered with a redirect; Attest does not follow redirects during registration`);
  }
  if (status < 200 || status >= 300) throw new FetchRefusal('http_error', `the platform's ${what} at ${url.host} answered HTTP ${status}`);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    // The parser's message quotes the body: drop it.
    throw new FetchRefusal('not_json', `the platform's ${what} at ${url.host} did not answer with JSON`);
  }
}

function tooLarge(what: string, url: URL, limits: FetchLimits): FetchRefusal {
  return new FetchRefusal('too_large', `the platform's ${what} at ${url.host} sent more than ${Math.round(limits.maxBytes / 1024)} KiB`);
}

async function withDeadline<T>(work: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now()));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
