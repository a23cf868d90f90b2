// A minimal LTI tool for the emulator's tests: its own keys and JWKS, a Dynamic Registration
// endpoint that does what a real tool does, and helpers to sign what a tool signs.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface FakeTool {
  readonly url: string;
  readonly loginUrl: string;
  readonly launchUrl: string;
  readonly jwksUrl: string;
  readonly registrationUrl: string;
  readonly privateKey: CryptoKey;
  /** What the last registration POST answered (status and JSON). */
  lastRegistration: { status: number; body: unknown } | null;
  /** The scopes the tool asks for when it registers. */
  registrationScope: string;
  /**
   * For browser tests: when set, /login redirects the browser to this authorization endpoint (as a
   * real tool does) and /launch answers with a page that asks the LMS to resize its frame.
   */
  authorizationUrl: string | null;
  clientId: string | null;
  signAssertion(input: { clientId: string; audience: string; jti?: string; key?: CryptoKey }): Promise<string>;
  sign(payload: JWTPayload, key?: CryptoKey): Promise<string>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeTool(): Promise<FakeTool> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let url = '';
  const tool: FakeTool = {
    get url() { return url; },
    get loginUrl() { return `${url}/login`; },
    get launchUrl() { return `${url}/launch`; },
    get jwksUrl() { return `${url}/jwks`; },
    get registrationUrl() { return `${url}/register`; },
    privateKey,
    lastRegistration: null,
    authorizationUrl: null,
    clientId: null,
    registrationScope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score https://purl.imsglobal.org/spec/lti-ags/scope/lineitem https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    signAssertion: ({ clientId, audience, jti, key }) =>
      new SignJWT({ jti: jti ?? randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key ?? privateKey),
    sign: (payload, key) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt().setExpirationTime('5m').sign(key ?? privateKey),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const requestUrl = new URL(req.url ?? '/', url);
      if (requestUrl.pathname === '/jwks') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [publicJwk] }));
        return;
      }
      if (requestUrl.pathname === '/register') {
        // LTI DR 1.0 §3.5–3.6: read the platform's configuration, POST the registration with the token.
        const configUrl = requestUrl.searchParams.get('openid_configuration') ?? '';
        const token = requestUrl.searchParams.get('registration_token');
        const config = (await (await fetch(configUrl)).json()) as Record<string, string>;
        const response = await fetch(config['registration_endpoint'] ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({
            application_type: 'web',
            response_types: ['id_token'],
            grant_types: ['implicit', 'client_credentials'],
            initiate_login_uri: tool.loginUrl,
            redirect_uris: [tool.launchUrl],
            client_name: 'Fake tool',
            jwks_uri: tool.jwksUrl,
            token_endpoint_auth_method: 'private_key_jwt',
            scope: tool.registrationScope,
            'https://purl.imsglobal.org/spec/lti-tool-configuration': {
              domain: new URL(url).host,
              target_link_uri: tool.launchUrl,
              claims: ['iss', 'sub', 'name', 'email'],
              messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: `${url}/deep-link` }],
            },
          }),
        });
        const text = await response.text();
        tool.lastRegistration = { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
        res.setHeader('content-type', 'text/html');
        res.end(`<script>(window.opener || window.parent).postMessage({subject: 'org.imsglobal.lti.close'}, '*');</script>`);
        return;
      }
      if (requestUrl.pathname === '/login' && tool.authorizationUrl) {
        const fields = new URLSearchParams(req.method === 'POST' ? await readBody(req) : requestUrl.search);
        const auth = new URL(tool.authorizationUrl);
        const params = {
          scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none',
          client_id: tool.clientId ?? fields.get('client_id') ?? '', redirect_uri: tool.launchUrl,
          login_hint: fields.get('login_hint') ?? '', lti_message_hint: fields.get('lti_message_hint') ?? '',
          nonce: randomUUID(), state: randomUUID(),
        };
        for (const [name, value] of Object.entries(params)) auth.searchParams.set(name, value);
        res.writeHead(302, { location: auth.href });
        res.end();
        return;
      }
      if (requestUrl.pathname === '/launch' && tool.authorizationUrl) {
        const idToken = new URLSearchParams(await readBody(req)).get('id_token') ?? '';
        const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        res.setHeader('content-type', 'text/html');
        res.end(`<!doctype html><title>Tool</title><p id="launched">Launched as ${String(claims['sub'])}</p>
<script>window.parent.postMessage({ subject: 'lti.frameResize', height: 1234 }, '*');</script>`);
        return;
      }
      if (requestUrl.pathname === '/launch' || requestUrl.pathname === '/login') {
        res.setHeader('content-type', 'text/plain');
        res.end(await readBody(req));
        return;
      }
      res.statusCode = 404;
      res.end();
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', () => resolve()));
  url = `http://localhost:${(server.address() as AddressInfo).port}`;
  return tool;
}
