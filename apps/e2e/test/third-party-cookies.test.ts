import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useBrowser, useServer } from '../src/fixtures.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// The LMS (127.0.0.1) and the tool (localhost) are different sites, exactly as a college's Moodle
// and Attest are. This file proves the browser the other suites use treats the tool as a
// third-party frame whose unpartitioned cookies are blocked, so their launches passing means
// launches work for users whose browsers block third-party cookies.

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><title>probe</title><body>${body}</body></html>`);
}

const toolSite = useServer('localhost', (req: IncomingMessage, res: ServerResponse) => {
  if (req.url === '/set') {
    res.setHeader('Set-Cookie', ['unpartitioned=1; SameSite=None; Secure; Path=/', 'partitioned=1; SameSite=None; Secure; Partitioned; Path=/']);
    // Navigating on makes the browser decide which of the two cookies to send back.
    html(res, '<script>location.replace("/echo")</script>');
    return;
  }
  html(res, `<pre id="cookies">${req.headers.cookie ?? '(none)'}</pre>`);
});
const lmsSite = useServer('127.0.0.1', (_req, res) => html(res, `<iframe title="tool" src="http://localhost:${toolSite.port}/set"></iframe>`));
// Contexts with the browser's defaults (no viewport of the suites'), one per test, closed after it.
const browser = useBrowser();

describe('the browser the suites launch', () => {
  it('does not send an unpartitioned SameSite=None cookie back to a cross-site frame, but does send a partitioned one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${lmsSite.port}/`);
    const frame = page.frameLocator('iframe[title="tool"]');
    const echoed = await frame.locator('#cookies').textContent({ timeout: UI_WAIT_MS });
    const sent = (echoed ?? '').split(';').map((part) => part.trim());

    expect(sent).toContain('partitioned=1');
    expect(sent).not.toContain('unpartitioned=1');
  });

  it('sends the same unpartitioned cookie when the tool is the top-level site, so the block is about the frame', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${toolSite.port}/set`);
    await page.waitForURL(/\/echo$/);
    const sent = ((await page.locator('#cookies').textContent()) ?? '').split(';').map((part) => part.trim());

    expect(sent).toContain('unpartitioned=1');
  });
});
