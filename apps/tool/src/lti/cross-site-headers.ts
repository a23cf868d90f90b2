import type { RequestHandler, Response } from 'express';

// ltijs runs inside an LMS iframe on another site. Chromium blocks third-party cookies by default
// and only sends a cross-site cookie back if it is Partitioned (CHIPS), SameSite=None and Secure;
// ltijs sets none of Partitioned, so its OIDC `state` cookie would never return and every launch
// would fail. Its bundled helmet also sends COOP/COEP/CORP, which stop the UI being framed and its
// assets loading cross-origin. This middleware rewrites both on our LTI routes only.

/** Headers ltijs (through helmet) sets that break a cross-site iframe. */
export const FRAME_BLOCKING_HEADERS = [
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'x-frame-options',
] as const;

/** Rewrites one Set-Cookie value so it survives in a third-party, partitioned context. */
export function toPartitionedCookie(setCookie: string): string {
  const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
  const kept = attributes.filter((attribute) => {
    const name = attribute.split('=')[0]?.trim().toLowerCase();
    return attribute !== '' && name !== 'samesite' && name !== 'secure' && name !== 'partitioned';
  });
  return [pair, ...kept, 'SameSite=None', 'Secure', 'Partitioned'].join('; ');
}

function patchSetCookie(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? toPartitionedCookie(item) : item));
  if (typeof value === 'string') return toPartitionedCookie(value);
  return value;
}

function isFrameBlocking(name: string): boolean {
  return (FRAME_BLOCKING_HEADERS as readonly string[]).includes(name.toLowerCase());
}

/** Wraps `setHeader` on this response: every later writer (ltijs, Express 4 or 5) goes through it. */
export function patchResponseHeaders(res: Response): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) => {
    if (isFrameBlocking(name)) return res;
    if (name.toLowerCase() === 'set-cookie') return setHeader(name, patchSetCookie(value) as string | string[]);
    return setHeader(name, value);
  }) as Response['setHeader'];
}

export const crossSiteHeaders: RequestHandler = (_req, res, next) => {
  patchResponseHeaders(res);
  next();
};
