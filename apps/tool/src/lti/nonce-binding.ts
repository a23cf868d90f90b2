import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

// ltijs refuses a nonce it has seen before, but never checks that the id_token's nonce is the one
// it sent with *this* login (OIDC Core §3.2.2.11; LTI Security Framework §5.1.3 step 9): it does not
// keep it. We bind it to the login instead: when ltijs redirects to the platform, we read the state
// and nonce from its Location and set a cookie named after the state holding an HMAC of the nonce.
// At launch the id_token's nonce must reproduce that HMAC.

const COOKIE_PREFIX = 'lti_nonce_';
const LIFETIME_SECONDS = 60;

export function nonceCookieName(state: string): string {
  return `${COOKIE_PREFIX}${state.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

export function nonceDigest(key: string, nonce: string): string {
  return createHmac('sha256', key).update(`lti-nonce:${nonce}`).digest('base64url');
}

/** The Set-Cookie value binding `nonce` to the login that issued `state`. */
export function bindingCookie(key: string, state: string, nonce: string): string {
  return `${nonceCookieName(state)}=${nonceDigest(key, nonce)}; Max-Age=${LIFETIME_SECONDS}; Path=/; HttpOnly`;
}

/** Watches this response for ltijs's redirect to the platform and sets the binding cookie with it. */
export function bindNonceOnRedirect(res: Response, key: string): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) => {
    const result = setHeader(name, value);
    if (name.toLowerCase() === 'location' && typeof value === 'string') {
      try {
        const url = new URL(value);
        const state = url.searchParams.get('state');
        const nonce = url.searchParams.get('nonce');
        if (state && nonce) {
          const existing = res.getHeader('set-cookie');
          const cookies = Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : [];
          setHeader('Set-Cookie', [...cookies, bindingCookie(key, state, nonce)]);
        }
      } catch {
        // A relative or unparsable Location is not the redirect to the platform.
      }
    }
    return result;
  }) as Response['setHeader'];
}

function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

/** Whether the id_token's nonce is the one issued with the login that set `state`. */
export function isNonceBoundToState(req: Request, key: string, state: string, nonce: string): boolean {
  const stored = cookieValue(req, nonceCookieName(state));
  if (!stored) return false;
  const expected = Buffer.from(nonceDigest(key, nonce));
  const actual = Buffer.from(stored);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
