import { createHmac } from 'node:crypto';
import type { Request } from 'express';

// ltijs checks a launch's `state` against the cookie its login set, `state<state>` holding the
// issuer, signed by cookie-parser with the encryption key (ltijs Provider.js, the appRoute handler:
// `req.signedCookies['state' + state]`, then Auth.validateToken's MISSING_VALIDATION_COOKIE). A
// cookie-less launch (platform-storage-launch.ts) has no such cookie: once *we* have verified that
// this browser holds the login's state and nonce in platform storage, we hand ltijs, for this one
// request, the cookie it would have had. ltijs's own check stays on for every other launch; its
// `devMode`, which would switch the check off for all of them, stays off (decision 2).

/** cookie-signature's `sign`: the value, a dot, the base64 HMAC-SHA256 without padding. */
function sign(value: string, secret: string): string {
  return `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Adds ltijs's state cookie for `state` and `issuer` to this request's Cookie header; false (and
 * nothing added) for a state ltijs never makes (it makes hex), which could break the header.
 */
export function vouchForStateWithLtijs(req: Request, encryptionKey: string, state: string, issuer: string): boolean {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(state)) return false;
  const cookie = `state${state}=${encodeURIComponent(`s:${sign(issuer, encryptionKey)}`)}`;
  req.headers.cookie = req.headers.cookie ? `${req.headers.cookie}; ${cookie}` : cookie;
  return true;
}
