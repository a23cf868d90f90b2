import type { RequestHandler, Response } from 'express';

// Every HTML page Attest serves runs inside an LMS's frame and, on /app/, holds the launch token.
// So each carries a Content-Security-Policy whose `frame-ancestors` names only the sites of the
// LMSs registered and active now (never `*`), and `Referrer-Policy: no-referrer`, so the token in
// `/app/?ltik=` never leaves in a Referer.

/** The active platforms' sites, read per request (PlatformRegistry.activeFrameOrigins caches it briefly). */
export type FrameOriginsSource = () => Promise<readonly string[]>;

/** `frame-ancestors` for these origins; with none registered, no site may frame the page. */
export function frameAncestorsDirective(origins: readonly string[]): string {
  return `frame-ancestors ${origins.length > 0 ? origins.join(' ') : "'none'"}`;
}

/**
 * The UI's policy: its scripts and styles are files from 'self' (the Vite build inlines neither);
 * API calls go to 'self'; an assessor's preview of a learner's file is a blob: URL made from a
 * fetched download (img, audio, video, PDF object); the deep-linking screen posts its signed
 * response to the LMS, which is one of the frame origins.
 */
export function uiContentSecurityPolicy(frameOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "object-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "frame-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${frameOrigins.length > 0 ? ` ${frameOrigins.join(' ')}` : ''}`,
    frameAncestorsDirective(frameOrigins),
  ].join('; ');
}

/** The headers besides the CSP that every HTML page gets. */
export function setPageHeaders(res: Response, contentSecurityPolicy: string): void {
  res.set({
    'content-security-policy': contentSecurityPolicy,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
}

/** For /app/: sets the UI's policy, computed for this request, before the page or an asset is sent. */
export function uiSecurityHeaders(frameOrigins: FrameOriginsSource): RequestHandler {
  return (_req, res, next) => {
    frameOrigins().then(
      (origins) => {
        setPageHeaders(res, uiContentSecurityPolicy(origins));
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
