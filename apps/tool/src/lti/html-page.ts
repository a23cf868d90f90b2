import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { frameAncestorsDirective, setPageHeaders } from '../http/security-headers.ts';

// The few pages the LTI routes answer themselves (a refused launch, a registration result) show
// inside the LMS's iframe. Each is a complete, small document with a Content-Security-Policy that
// allows nothing but its own inline style and, where a page needs one, its own inline script,
// each pinned by hash: whatever text lands in the page, nothing else can run or load. Only the
// registered, active LMSs may frame it: the LTI router puts their sites in `res.locals` (see
// FRAME_ORIGINS_LOCAL) before any page is sent.

/** Where the LTI router leaves this request's frame origins for sendHtmlPage. */
export const FRAME_ORIGINS_LOCAL = 'attestFrameOrigins';

const STYLE = [
  'body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:1.5rem;color:#1a1a1a;background:#fff}',
  'main{max-width:40rem}',
  'h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}',
  'code{font-family:ui-monospace,Menlo,Consolas,monospace;background:#f1f1f1;padding:0 .25em;overflow-wrap:anywhere}',
  '.support{color:#444;font-size:.9375rem;border-top:1px solid #ccc;padding-top:.75rem;margin-top:1.5rem}',
].join('');

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HtmlPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

/**
 * A page from a title (plain text, escaped here), a body (HTML the caller built, escaping what it
 * interpolated) and at most one inline script (code the caller wrote, never user input).
 */
export function htmlPage(page: { title: string; bodyHtml: string; script?: string; formAction?: "'self'"; referrer?: 'same-origin' }): HtmlPage {
  // formAction: a page whose script submits a form to Attest itself (the platform-storage launch).
  // referrer: such a form's POST needs a real Origin header, which `no-referrer` turns into `null`.
  const policy = ["default-src 'none'", `style-src ${sha256(STYLE)}`, ...(page.script ? [`script-src ${sha256(page.script)}`] : []), "base-uri 'none'", `form-action ${page.formAction ?? "'none'"}`];
  return {
    contentSecurityPolicy: policy.join('; '),
    html: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${page.referrer ? `\n<meta name="referrer" content="${page.referrer}">` : ''}
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${page.bodyHtml}
</main>${page.script ? `\n<script>${page.script}</script>` : ''}
</body>
</html>
`,
  };
}

/** Sends the page; without frame origins in `res.locals` (a route outside the LTI router), no site may frame it. */
export function sendHtmlPage(res: Response, status: number, page: HtmlPage): void {
  const origins = res.locals[FRAME_ORIGINS_LOCAL] as readonly string[] | undefined;
  setPageHeaders(res, `${page.contentSecurityPolicy}; ${frameAncestorsDirective(origins ?? [])}`);
  res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).send(page.html);
}
